""""Có phải điện lực thật không?": the customer forwards a message, a link, a number or an account, and hears
whether it is the company's, why, and what to do (evn.services.scam_checks). Each finding is a line of its own
response (`utter_scam_line_<pattern>`); the verdict chooses the opening and the advice."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import known_hotline, user_events
from actions.outages import outage_line
from actions.phrases import phrase
from actions.runtime import services
from evn import reference
from evn.domain import conversations
from evn.domain.formats import format_date, format_vnd
from evn.domain.language import address_forms
from evn.domain.language.hotline_words import area_named
from evn.domain.language.scam_words import asks_about_secrets, offers_a_secret
from evn.domain.scam_check.findings import Finding, Kind, Verdict
from evn.services.scam_checks import CheckResult

OPENING = {
    Verdict.COMPANYS: "utter_scam_companys",
    Verdict.NOT_COMPANYS: "utter_scam_not_companys",
    Verdict.COULD_NOT_CHECK: "utter_scam_could_not_check",
}
NATIONAL = "EVN"


def company_name(code: str | None) -> str:
    named = reference.hotline_of_company(code) if code else None
    return named[0] if named else "Tập đoàn Điện lực Việt Nam (EVN)"


def official_sites(company: str | None) -> str:
    """"evnhcmc.vn" for a company, every company's sites when it is not known."""
    return ", ".join(services().scam_checks.official.domains_of(company))


def hotline_for(result: CheckResult, tracker: Tracker, text: str) -> str:
    """The line to call: the area of the company the items name or imitate, else the customer's, else the area
    the words name, else every company's."""
    for code in (result.company, area_named(text)):
        if code and code != NATIONAL and (named := reference.hotline_of_company(code)) is not None:
            return named[1]
    return known_hotline(tracker) or reference.general_hotlines()


def finding_line(domain: DomainDict, tracker: Tracker, finding: Finding, result: CheckResult) -> str:
    values: dict[str, Any] = {"shown": finding.shown, "company": company_name(finding.company),
                              "addressee": str(tracker.get_slot("addressee") or address_forms.DEFAULT),
                              "official": official_sites(finding.company)}
    if result.claim is not None and finding.kind == Kind.OUTAGE_CLAIM:
        claim = result.claim
        values.update(where=claim.where, outages="\n".join(outage_line(domain, o) for o in claim.outages),
                      day=phrase(domain, "utter_part_scam_on_day", day=format_date(claim.day)) if claim.day else "")
    if finding.facts:  # a pay link's or a QR code's own bill and amount, never another finding's
        values.update(period=finding.fact("period"), amount=format_vnd(int(finding.fact("amount") or 0)),
                      claimed=format_vnd(int(finding.fact("claimed") or 0)))
    return phrase(domain, f"utter_scam_line_{finding.pattern}", **values)


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, result: CheckResult,
           text: str) -> None:
    """The verdict's opening, the findings it rests on first, then the others ("the cut is in the schedule, but
    the fee it asks for goes to a person's account")."""
    ordered = sorted(result.findings, key=lambda finding: finding.verdict != result.verdict)
    lines = "\n".join(dict.fromkeys(finding_line(domain, tracker, finding, result) for finding in ordered)) or phrase(
        domain, "utter_scam_line_nothing_to_check")
    dispatcher.utter_message(response=OPENING[result.verdict], lines=lines,
                             hotline=hotline_for(result, tracker, text))


class ActionCheckScam(Action):
    def name(self) -> str:
        return "action_check_scam"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = str(tracker.latest_message.get("text") or "")
        result = services().scam_checks.check(tracker.sender_id, conversations.channel_of(tracker.sender_id) or "",
                                              text)
        only_the_secret = {f.pattern for f in result.findings if f.verdict == Verdict.NOT_COMPANYS} <= {"asks_secret"}
        if (asks_about_secrets(text) and result.verdict == Verdict.COULD_NOT_CHECK) or (
                offers_a_secret(text) and only_the_secret):  # "mã otp 739214, gửi cho bên mình để xác minh"
            dispatcher.utter_message(response="utter_scam_never_asks_secrets", hotline=hotline_for(result, tracker,
                                                                                                   text))
            return []
        answer(dispatcher, tracker, domain, result, text)
        return []


def hotline_of_the_conversation(tracker: Tracker) -> str:
    """The line for the area the customer named in this conversation (newest first), else theirs, else all."""
    for event in reversed(user_events(tracker)):
        code = area_named(str(event.get("text") or ""))
        if code and (named := reference.hotline_of_company(code)) is not None:
            return named[1]
    return known_hotline(tracker) or reference.general_hotlines()


class ActionScamWhatToDo(Action):
    """After a check: "giờ phải làm sao", "lỡ chuyển tiền rồi", "báo công an ở đâu": the steps, in order."""

    def name(self) -> str:
        return "action_scam_what_to_do"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_scam_what_to_do", hotline=hotline_of_the_conversation(tracker))
        return []


class ActionScamOfficialSites(Action):
    """After a check: "vậy web thật là gì": the companies' own sites."""

    def name(self) -> str:
        return "action_scam_official_sites"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        official = services().scam_checks.official
        sites = "; ".join(f"{company_name(company)}: {', '.join(official.domains_of(company))}"
                          for company in dict.fromkeys(owner for _domain, owner in official.domains))
        dispatcher.utter_message(response="utter_scam_official_sites", sites=sites,
                                 hotline=hotline_of_the_conversation(tracker))
        return []


class ActionScamHowToVerify(Action):
    """After a check: "vậy xác minh bằng gì": the code and the registered phone, never an OTP."""

    def name(self) -> str:
        return "action_scam_how_to_verify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_scam_how_to_verify")
        return []
