"""How the customer felt: the question recorded before it is put, the answer, the comment, a low score's
callback, and each agent's own ratings for the console.

The question is a row written before the bot asks (so a retried turn does not put it twice); the rules of when
are evn.domain.satisfaction's. The check and the insert of one conversation rely on Rasa's shared lock store (Redis)
to serialise its turns: with Redis away, each Rasa process locks on its own, and two processes serving one
conversation at the same moment could both put the question. An answer is one conditional UPDATE, so of two answers
at once the first stands. The rating's agent is the handoff's own, read here, never taken from what the conversation
carries.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from evn.domain import satisfaction
from evn.domain.satisfaction import ANSWER_WITHIN, Asked, Topic
from evn.domain.statuses import AGENT_OUTCOMES
from evn.services.clock import utcnow
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory

AGENT_DAYS = 90  # the console shows an agent's ratings of this many days
AGENT_ROWS = 100
AGENT_OUTCOME_VALUES = {outcome.value for outcome in AGENT_OUTCOMES}  # a handoff its agent closed


@dataclass(frozen=True)
class Rated:
    score: int
    topic: Topic
    low: bool
    before: bool  # the question had been answered already: this answer changed nothing


@dataclass(frozen=True)
class RatingView:
    answered_at: datetime
    score: int
    topic: Topic
    channel: str
    comment: str  # masked when it was kept; "" for none
    callback_ticket: str | None


@dataclass(frozen=True)
class AgentRatings:
    ratings: tuple[RatingView, ...]  # the latest AGENT_ROWS
    count: int  # every rating of the AGENT_DAYS, which the average and the share are of
    average: float | None
    satisfied_share: float | None  # the share of 4 and 5


class SatisfactionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow, self.clock = uow, clock

    def ask(self, conversation_id: str, channel: str, topic: Topic, subject: str = "",
            handoff_id: int | None = None) -> int | None:
        """Records the question if it may be put now (evn.domain.satisfaction.may_ask): its id, which its buttons
        carry; None when it is not to be put. A handoff's question needs that handoff closed by its agent in this
        conversation, whose agent the rating is then."""
        now = self.clock()
        with self.uow() as uow:
            latest = uow.satisfaction.latest_of(conversation_id)
            if not satisfaction.may_ask(_asked(latest), now):
                return None
            agent_id = None
            if handoff_id is not None:
                handoff = uow.handoffs.get(handoff_id)
                if handoff is None or handoff.conversation_id != conversation_id or handoff.agent_id is None \
                        or handoff.outcome not in AGENT_OUTCOME_VALUES:
                    return None
                agent_id = handoff.agent_id
            row = uow.satisfaction.add(conversation_id=conversation_id, channel=channel[:32], topic=topic.value,
                                       subject=subject[:40], agent_id=agent_id, asked_at=now)
            uow.commit()
            return int(row.id)

    def rate(self, conversation_id: str, score: int, comment: str = "", question: int | None = None) -> Rated | None:
        """The answer to the question put last, if it was put within ANSWER_WITHIN (and is the one a button names);
        a question answered before keeps its first answer. None when no question is open to it."""
        if satisfaction.valid_score(score) is None:
            return None
        now = self.clock()
        with self.uow() as uow:
            row = self._recent(uow, conversation_id, now)
            if row is None or (question is not None and row.id != question):
                return None  # nothing asked, or an older question's button
            kept = satisfaction.masked_comment(comment) if comment.strip() else None
            if row.score is not None or not uow.satisfaction.answer(row.id, score, now, kept):
                uow.rollback()  # answered before, or by a second answer just now: the first stands
                first = uow.satisfaction.latest_of(conversation_id)
                if first is None or first.score is None:
                    return None
                return Rated(first.score, Topic(first.topic), satisfaction.is_low(first.score), before=True)
            topic = Topic(row.topic)
            uow.commit()
        return Rated(score, topic, satisfaction.is_low(score), before=False)

    def add_comment(self, conversation_id: str, text: str) -> bool:
        """Keeps the comment (masked) on the rating just given; False when there is none to add it to."""
        now = self.clock()
        with self.uow() as uow:
            row = self._recent(uow, conversation_id, now)
            if row is None or row.score is None or not text.strip():
                return False
            earlier = f"{row.comment} " if row.comment else ""
            row.comment = satisfaction.masked_comment(earlier + text)
            uow.commit()
        return True

    def callback_filed(self, conversation_id: str, ticket: str) -> bool:
        """Notes the callback request filed after a low rating on that rating (the report counts them)."""
        now = self.clock()
        with self.uow() as uow:
            row = self._recent(uow, conversation_id, now)
            if row is None or row.score is None or not satisfaction.is_low(row.score) or row.callback_ticket:
                return False
            row.callback_ticket = ticket[:20]
            uow.commit()
        return True

    def of_agent(self, agent_id: int) -> AgentRatings:
        """The ratings of the agent's own handoffs over the last AGENT_DAYS, newest first."""
        since = self.clock() - timedelta(days=AGENT_DAYS)
        with self.uow() as uow:
            rows = uow.satisfaction.of_agent(agent_id, since, AGENT_ROWS)
            views = tuple(RatingView(row.answered_at, row.score, Topic(row.topic), row.channel, row.comment or "",
                                     row.callback_ticket)
                          for row in rows if row.score is not None and row.answered_at is not None)
            count, total, satisfied = uow.satisfaction.agent_summary(agent_id, since)
        if not count:
            return AgentRatings(views, 0, None, None)
        return AgentRatings(views, count, total / count, satisfied / count)

    @staticmethod
    def _recent(uow: UnitOfWork, conversation_id: str, now: datetime) -> Stored | None:
        row = uow.satisfaction.latest_of(conversation_id)
        return row if row is not None and now - row.asked_at <= ANSWER_WITHIN else None


def _asked(row: Stored | None) -> Asked | None:
    return None if row is None else Asked(row.asked_at, row.score is not None)
