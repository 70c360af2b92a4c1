"""Outages: the planned schedule by place and day, and reports of power cuts."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import find_request, known_hotline, last_entity, source_address, user_events
from actions.forms import AnswerForm
from actions.limits import tell_rate_limited
from actions.phrases import hotline_phrase, phrase
from actions.runtime import services
from actions.satisfaction import ask_satisfaction
from evn.domain import places
from evn.domain.formats import format_date, format_datetime
from evn.domain.identity import find_customer_code, normalize_phone
from evn.domain.incidents import Cause
from evn.domain.language import outage_report_words
from evn.domain.language.relative_days import day_range_kind, month_range, parse_day_range
from evn.domain.masking import mask_phone
from evn.domain.outage_schedule import PlannedOutage, find_outages, place_of, within_one_day
from evn.domain.place_names import NamedPlace, place_named, places_named
from evn.domain.satisfaction import Topic
from evn.domain.time import to_vietnam
from evn.services.errors import RateLimited
from evn.services.incidents import IncidentView

DEFAULT_DAYS = 7
LOOK_AHEAD = timedelta(days=31)  # how far the next planned outage at a place is looked for when none is asked of


def outage_line(domain: DomainDict, outage: PlannedOutage) -> str:
    """One line of a schedule: when, where, what and why."""
    values = {"start_day": format_date(outage.start), "start": f"{outage.start:%H:%M}",
              "end_day": format_date(outage.end), "end": f"{outage.end:%H:%M}", "place": place_of(outage),
              "area": outage.area, "reason": outage.reason}
    return phrase(domain, "utter_line_outage" if within_one_day(outage) else "utter_line_outage_overnight", **values)


def when(domain: DomainDict, start: date, end: date, today: date) -> str:
    return phrase(domain, f"utter_part_when_{day_range_kind(start, end, today)}", start=format_date(start),
                  end=format_date(end))


def incident_parts(domain: DomainDict, cause: str, estimated_at: str) -> dict[str, str]:
    """The cause and the estimate of an incident as parts of a sentence ("": not known yet)."""
    cause_words = phrase(domain, f"utter_part_cause_{cause}") if cause in {c.value for c in Cause} else ""
    return {"cause": phrase(domain, "utter_part_incident_cause", cause=cause_words) if cause_words else "",
            "estimate": phrase(domain, "utter_part_incident_estimate", estimated_at=estimated_at) if estimated_at
            else phrase(domain, "utter_part_incident_no_estimate")}


def _known(domain: DomainDict, incident: IncidentView | None) -> dict[str, str]:
    if incident is None:
        return incident_parts(domain, "", "")
    return incident_parts(domain, incident.cause.value if incident.cause else "",
                          format_datetime(to_vietnam(incident.estimated_at)) if incident.estimated_at else "")


def _report_cleared() -> list[dict[str, Any]]:
    """Forget the place and time of a report once it is answered, so the next one asks again."""
    return [SlotSet("outage_place", None), SlotSet("outage_since", None)]


class ActionShowOutageSchedule(Action):
    def name(self) -> str:
        return "action_show_outage_schedule"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        request = find_request(tracker, {"ask_outage_schedule"})
        if request is None:  # asked in the middle of another form: this very message
            entities = {e.get("entity"): str(e.get("value")) for e in tracker.latest_message.get("entities", [])}
            text = tracker.latest_message.get("text") or ""
        else:
            entities, text = request.entities, request.text
        today = services().billing.today()
        if not _names_place_or_day(text, entities, today):  # "vậy mấy giờ có điện lại": the schedule asked before
            entities, text = _schedule_asked_before(tracker, today) or (entities, text)
        question, latest = text, tracker.latest_message.get("text") or ""
        if latest != question and parse_day_range(latest, today):
            text = latest  # "còn ngày kia?": the follow-up names the day, the question the place
        schedule = services().requests.schedule
        # "còn bình thạnh thì sao": the place the follow-up names, else the question's
        # "còn bình thạnh thì sao", then "ngày đó mấy giờ": the place named since the question stays asked
        since = last_entity(tracker, "location") if latest != question else None
        named = (asked_place(latest, None, schedule) if latest != question else None) or (
            place_named(since, schedule) if since and since != entities.get("location") else None) or asked_place(
            question, entities.get("location"), schedule)
        location = named.label() if named else (entities.get("location") or last_entity(tracker, "location"))
        if not location:
            dispatcher.utter_message(response="utter_ask_outage_location")
            return []
        asked_days = parse_day_range(text, today) or month_range(text, today)
        start, end = asked_days or (today, today + timedelta(days=DEFAULT_DAYS - 1))
        found = ([o for o in schedule if o.overlaps(start, end) and named.covers(o)] if named
                 else find_outages(schedule, location, start, end))
        said_when = when(domain, start, end, today)
        if not found:
            dispatcher.utter_message(response="utter_no_outage_scheduled", where=location, when=said_when)
            later = [o for o in (schedule if named else find_outages(schedule, location, end, end + LOOK_AHEAD))
                     if o.start.date() > end and o.start.date() <= end + LOOK_AHEAD and (not named or named.covers(o))]
            if later:  # "mai phường Bến Nghé có cắt không": not tomorrow, but here is the next one there
                dispatcher.utter_message(response="utter_next_outage_scheduled", line=outage_line(domain, later[0]))
        else:
            dispatcher.utter_message(
                response="utter_outage_schedule", where=location, when=said_when,
                lines="\n".join(outage_line(domain, o) for o in found),
            )
            after = None if asked_days else _next_after(schedule, named, found, end)
            if after is not None:  # the week shown, then the next cut there (the ward's own, if one was named)
                dispatcher.utter_message(response="utter_next_outage_later", line=outage_line(domain, after))
        return []


def _next_after(schedule: list[PlannedOutage], named: NamedPlace | None, found: list[PlannedOutage],
                end: date) -> PlannedOutage | None:
    """The next cut at the place asked about after the days shown: for a ward, the next that names it, unless one
    shown already does; for a district, the next one there."""
    if named is None or named.district is None or (named.ward and any(named.ward in o.wards for o in found)):
        return None
    later = sorted((o for o in schedule if named.covers(o) and (not named.ward or named.ward in o.wards)
                    and end < o.start.date() <= end + LOOK_AHEAD), key=lambda o: o.start)
    return later[0] if later else None


def _names_place_or_day(text: str, entities: dict[str, str], today: date) -> bool:
    return bool(entities.get("location") or places_named(text, services().requests.schedule)
                or parse_day_range(text, today) or month_range(text, today))


def _schedule_asked_before(tracker: Tracker, today: date) -> tuple[dict[str, str], str] | None:
    """The entities and words of the last schedule question that named a place or a day, before the latest."""
    for event in reversed(user_events(tracker)[:-1]):
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != "ask_outage_schedule":
            continue
        entities = {e.get("entity"): str(e.get("value")) for e in (event.get("parse_data") or {}).get("entities", [])}
        if _names_place_or_day(event.get("text") or "", entities, today):
            return entities, event.get("text") or ""
    return None


def asked_place(text: str, entity: str | None, schedule: list[PlannedOutage]) -> NamedPlace | None:
    """The place of the schedule a question names as typed ("GV p10", "tp thu duc p.hiep phu"), as precisely as
    named; of several ("Cầu Giấy với Ba Đình", served one request at a time), the one this request's own words
    name (the NLU's location of its part), else the first."""
    places = places_named(text, schedule)
    own = place_named(entity, schedule) if entity else None
    if own is not None and own.district is not None:
        return next((p for p in places if p.district == own.district), own)
    if own is not None:  # "p. ben nghe q1 tp hcm": the entity is the city, the words name the ward in it
        return next((p for p in places if p.province == own.province), own)
    return places[0] if places else None


def checked_place(value: Any, dispatcher: CollectingDispatcher) -> str | None:
    """An outage's or a danger's place by the one address rule (evn.domain.places), or None after saying why."""
    text = str(value or "").strip()
    if places.is_outage_place(text):
        return text
    if text:  # an empty value is a slot cleared (the advice before a danger's form), not an answer given
        dispatcher.utter_message(response="utter_outage_place_too_short")
    return None


class ActionAskOutagePlace(Action):
    """The outage form's first question, with the hotline of the customer's company (or every company's)."""

    def name(self) -> str:
        return "action_ask_outage_place"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_ask_outage_place",
                                 hotline=hotline_phrase(domain, known_hotline(tracker)))
        return []


class ValidateOutageForm(AnswerForm):
    def name(self) -> str:
        return "validate_outage_form"

    async def extract_outage_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The place, from the answer to its question or from the report itself ("mất điện từ sáng ở 12 Lê
        Lợi, phường Bến Nghé, quận 1": filed at once), else a verified customer's own code when they name their
        home ("nhà em cúp điện"; "em muốn báo mất điện" asks where); when the power went, if the message says it,
        with it."""
        text = (tracker.latest_message.get("text") or "").strip()
        found: dict[str, Any] = {}
        since = outage_report_words.since_in(text)
        if since and not tracker.get_slot("outage_since"):
            found["outage_since"] = since
        if tracker.get_slot("outage_place"):
            return found
        if tracker.get_slot("requested_slot") == "outage_place" or find_customer_code(text):
            return {**found, "outage_place": text}
        address = outage_report_words.address_in(text)
        if address:
            return {**found, "outage_place": address}
        own = tracker.get_slot("verified_code") if tracker.get_slot("verified") else None
        if own and outage_report_words.names_home(text):  # "nhà em cúp điện": the verified customer's home
            return {**found, "outage_place": own}
        return found

    def validate_outage_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"outage_place": checked_place(value, dispatcher)}

    def validate_outage_since(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()[:200]
        return {"outage_since": text or None}


class ActionReportOutage(Action):
    """The report is in the database (or merged into this hour's ticket) before the reply."""

    def name(self) -> str:
        return "action_report_outage"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        try:
            outcome = services().requests.report_outage(
                tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                tracker.get_slot("outage_place") or "", tracker.get_slot("outage_since") or "",
                tracker.get_slot("verified_code"), source_address(tracker),
            )
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return _report_cleared()
        hotline = hotline_phrase(domain, outcome.hotline)
        if outcome.planned is not None:
            dispatcher.utter_message(response="utter_outage_planned", outage=outage_line(domain, outcome.planned))
            return _report_cleared()
        request = outcome.request
        assert request is not None, "an outage report that is not planned is filed or merged"
        incident = outcome.incident
        if outcome.merged:
            known = incident is not None and (incident.cause is not None or incident.estimated_at is not None)
            dispatcher.utter_message(
                response="utter_outage_merged", ticket=request.ticket,
                first=format_datetime(to_vietnam(request.created_at)), hotline=hotline,
                known=phrase(domain, "utter_part_outage_known", **_known(domain, incident)) if known else "",
            )
        elif incident is not None and incident.follows:
            dispatcher.utter_message(response="utter_outage_still_dark", ticket=request.ticket,
                                     follows=incident.follows, hotline=hotline)
        else:
            dispatcher.utter_message(response="utter_outage_filed", ticket=request.ticket, hotline=hotline)
        asked = [] if incident is not None and incident.follows else ask_satisfaction(
            dispatcher, tracker, domain, Topic.OUTAGE, request.ticket)  # still dark: not the moment
        return [*_report_cleared(), SlotSet("last_ticket", request.ticket), *asked]  # "mã phản ánh đâu" asks again


class ActionAddReportContact(Action):
    """A phone given right after a report ("sđt 0908123123"): kept on that ticket for the crew, not taken for a
    verification (evn/domain/language/follow_ups.py, CONTACT)."""

    def name(self) -> str:
        return "action_add_report_contact"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        phone = normalize_phone(tracker.latest_message.get("text") or "")
        ticket = tracker.get_slot("last_ticket")
        added = services().requests.add_contact(tracker.sender_id, tracker.get_slot("verified_code"), ticket or "",
                                                phone or "") if phone and ticket else None
        if added is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_report_contact_added", ticket=added.ticket,
                                 masked_phone=mask_phone(phone or ""))
        return []


class ActionTellRestoration(Action):
    """"có điện lại chưa": what is known of the customer's place (the one named, the one reported in this chat,
    or the verified customer's address); with none known, the outage report's questions (a report at a place
    with an incident joins it and is told its estimate)."""

    def name(self) -> str:
        return "action_tell_restoration"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if _answered_before(tracker) == "action_show_outage_schedule":  # "vậy mấy giờ có điện lại": that schedule
            return [FollowupAction("action_show_outage_schedule")]
        text = tracker.latest_message.get("text") or ""
        code = tracker.get_slot("verified_code")
        verified = code if code and services().identity.is_verified(tracker.sender_id, code) else None
        known = services().incidents.restoration(
            tracker.sender_id, tracker.get_latest_input_channel() or "rest",
            outage_report_words.address_in(text) or text, verified, said=text)
        if known is None:
            return [FollowupAction("outage_form")]
        incident, place = known.incident, known.place
        if incident is None and known.planned is not None:
            dispatcher.utter_message(response="utter_restoration_planned", place=place,
                                     outage=outage_line(domain, known.planned),
                                     end=f"{known.planned.end:%H:%M} {format_date(known.planned.end)}")
        elif incident is None:
            dispatcher.utter_message(response="utter_restoration_unknown", place=place)
            asked = outage_report_words.address_in(text)
            if asked:  # "đúng rồi, nhà tôi mất điện, báo giúp": the report that follows is at this place
                return [SlotSet("outage_place", asked)]
        elif incident.restored_at is not None:
            dispatcher.utter_message(response="utter_restoration_restored", place=place, ticket=incident.ticket,
                                     restored_at=format_datetime(to_vietnam(incident.restored_at)))
        elif incident.estimated_at is not None:
            dispatcher.utter_message(response="utter_restoration_estimate", place=place, ticket=incident.ticket,
                                     cause=_known(domain, incident)["cause"],
                                     estimated_at=format_datetime(to_vietnam(incident.estimated_at)))
        else:
            late = services().clock() >= incident.estimate_expected_by
            dispatcher.utter_message(
                response="utter_restoration_awaiting_late" if late else "utter_restoration_awaiting", place=place,
                ticket=incident.ticket, opened_at=format_datetime(to_vietnam(incident.opened_at)),
                expected_by=format_datetime(to_vietnam(incident.estimate_expected_by)))
        return [SlotSet("last_ticket", incident.ticket)] if incident is not None else []


def _answered_before(tracker: Tracker) -> str | None:
    """The action that answered the customer's message before this one (None at the start)."""
    seen_user = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user += 1
        elif seen_user == 1 and event.get("event") == "action" and event.get("name") not in (
                "action_listen", None) and not str(event.get("name")).startswith("utter_"):
            return str(event.get("name"))
    return None
