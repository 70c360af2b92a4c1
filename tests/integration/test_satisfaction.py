"""How the customer felt, against real databases (SQLite and PostgreSQL): the question recorded once a day and not
soon after it was left unanswered, its answer and comment (masked), a low score's callback noted, the handoff's
agent read from the handoff and never from the conversation, each agent's own ratings."""
from __future__ import annotations

from datetime import datetime

import pytest

from evn.adapters.unit_of_work import Factory
from evn.domain.satisfaction import Topic
from evn.services.satisfaction import SatisfactionService

CHAT = "facebook-1000001"
EARLIER = datetime(2026, 11, 28, 2, 0)


@pytest.fixture
def world(fresh_sessions, clock):
    uow = Factory(fresh_sessions)
    return uow, SatisfactionService(uow, clock=clock), clock


def _handoff(uow, conversation_id: str, agent: str, outcome: str | None = "resolved") -> tuple[int, int]:
    with uow() as work:
        row = work.agents.add(username=agent, display_name=agent.title(), password_hash="x", created_at=EARLIER)
        handoff = work.handoffs.add(conversation_id=conversation_id, channel="facebook", reason="asked", transcript=[],
                                    created_at=EARLIER, agent_id=row.id)
        handoff.status, handoff.outcome = "closed", outcome
        work.commit()
        return row.id, handoff.id


def test_the_question_is_put_once_a_day_and_answered_once(world):
    uow, service, clock = world
    assert service.rate(CHAT, 5) is None  # nothing asked: nothing to rate
    question = service.ask(CHAT, "facebook", Topic.REQUEST, "YC-20261128-0001")
    assert question is not None
    assert service.rate(CHAT, 5, question=question + 1) is None  # another question's button
    assert not service.ask(CHAT, "facebook", Topic.PAYMENT, "VNP1")  # a second finished thing the same day
    rated = service.rate(CHAT, 4, "4 sao, bạn bot trả lời nhanh, sđt mình 0901234567", question=question)
    assert rated is not None and rated.score == 4 and not rated.low and not rated.before
    again = service.rate(CHAT, 1)
    assert again is not None and again.before and again.score == 4  # the first answer stands
    assert service.add_comment(CHAT, "mã PE01000000001")
    with uow() as work:
        row = work.satisfaction.latest_of(CHAT)
        assert (row.topic, row.subject, row.channel, row.score, row.agent_id) == ("request", "YC-20261128-0001",
                                                                                  "facebook", 4, None)
        assert "0901234567" not in row.comment and "PE01000000001" not in row.comment
        assert "bạn bot trả lời nhanh" in row.comment
    clock.advance(hours=24)
    assert service.ask(CHAT, "facebook", Topic.PAYMENT, "VNP1")  # a day later: again


def test_a_question_left_unanswered_is_not_put_again_for_a_week(world):
    _, service, clock = world
    assert service.ask(CHAT, "zalo", Topic.OUTAGE, "MD-20261128-0001")
    clock.advance(hours=25)
    assert not service.ask(CHAT, "zalo", Topic.REQUEST, "YC-20261129-0001")
    assert service.rate(CHAT, 5) is None  # the button pressed a day later rates nothing
    clock.advance(days=6)
    assert service.ask(CHAT, "zalo", Topic.REQUEST, "YC-20261205-0001")


def test_a_low_score_notes_its_callback_and_a_high_one_does_not(world):
    uow, service, _ = world
    service.ask(CHAT, "zalo", Topic.REQUEST, "YC-20261128-0001")
    rated = service.rate(CHAT, 2)
    assert rated is not None and rated.low
    assert service.callback_filed(CHAT, "YC-20261128-0002")
    assert not service.callback_filed(CHAT, "YC-20261128-0003")  # one callback per rating
    with uow() as work:
        assert work.satisfaction.latest_of(CHAT).callback_ticket == "YC-20261128-0002"
    other = "zalo-2000002"
    service.ask(other, "zalo", Topic.REQUEST, "YC-20261128-0004")
    service.rate(other, 5)
    assert not service.callback_filed(other, "YC-20261128-0005")


def test_a_handoff_rating_is_its_agent_s_and_only_in_its_own_conversation(world):
    uow, service, _ = world
    _, still_held = _handoff(uow, "facebook-998", "hoa", outcome=None)
    assert service.ask("facebook-998", "facebook", Topic.HANDOFF, "#", handoff_id=still_held) is None  # not closed
    agent_id, handoff_id = _handoff(uow, CHAT, "lan")
    assert not service.ask("facebook-999", "facebook", Topic.HANDOFF, f"#{handoff_id}", handoff_id=handoff_id)
    assert service.ask(CHAT, "facebook", Topic.HANDOFF, f"#{handoff_id}", handoff_id=handoff_id)
    service.rate(CHAT, 5)
    service.add_comment(CHAT, "chị Lan tư vấn rất kỹ")
    mine = service.of_agent(agent_id)
    assert [(r.score, r.topic, r.comment) for r in mine.ratings] == [(5, Topic.HANDOFF, "chị Lan tư vấn rất kỹ")]
    assert (mine.count, mine.average, mine.satisfied_share) == (1, 5, 1)
    other_agent, _ = _handoff(uow, "zalo-3", "minh")
    assert service.of_agent(other_agent).ratings == () and service.of_agent(other_agent).average is None
