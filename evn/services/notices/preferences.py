"""A user's choices of notices ("ngừng nhận thông báo") and whether their widget is open to hear one."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from evn.domain.notices import ALL_KINDS, NoticeKind
from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWorkFactory

PRESENCE_FRESH = timedelta(hours=12)  # an open socket not heard of for this long counts as closed (a crash)


class NoticePreferences:
    """"ngừng nhận thông báo" and "nhận lại thông báo", per channel user: every kind, or some."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.clock = clock

    def stop(self, channel: str, channel_user: str, kinds: Sequence[NoticeKind] = ()) -> None:
        """Stops these kinds, or every kind when none are named."""
        with self.uow() as uow:
            for name in [kind.value for kind in kinds] or [ALL_KINDS]:
                uow.notices.stop(channel, channel_user, name, self.clock())
            uow.commit()

    def resume(self, channel: str, channel_user: str, kinds: Sequence[NoticeKind] = ()) -> None:
        """Every kind again (none named), or these: their own stops and a stop of all are lifted."""
        with self.uow() as uow:
            stopped = uow.notices.stopped_kinds(channel, channel_user)
            if not kinds:
                uow.notices.resume(channel, channel_user, None)
            for kind in kinds:
                uow.notices.resume(channel, channel_user, kind.value)
            if kinds and ALL_KINDS in stopped:
                for other in NoticeKind:  # "all" lifted for these kinds only: the others stay stopped
                    if other not in kinds:
                        uow.notices.stop(channel, channel_user, other.value, self.clock())
            uow.commit()

    def stopped(self, channel: str, channel_user: str) -> set[str]:
        with self.uow() as uow:
            return uow.notices.stopped_kinds(channel, channel_user)


class WidgetPresence:
    """The widget channel tells this when a socket joins or leaves a conversation (any Rasa process)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.clock = clock

    def opened(self, conversation_id: str) -> int:
        """Counts the socket and makes what waited for this customer due now; returns how many waited."""
        now = self.clock()
        with self.uow() as uow:
            uow.widget_presence.opened(conversation_id, now)
            released = uow.notices.release_waiting(conversation_id, now)
            uow.commit()
        return released

    def closed(self, conversation_id: str) -> None:
        with self.uow() as uow:
            uow.widget_presence.closed(conversation_id, self.clock())
            uow.commit()
