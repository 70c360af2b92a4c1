"""Notices in tests: the routes recorded instead of sent, and linked users made in the database."""
from __future__ import annotations

import uuid
from datetime import datetime

from evn.domain import account_links
from evn.domain.notices import Route
from evn.services.notices import Content, PendingNotice, WidgetPresence


class Routes:
    """Records what each route was asked to deliver; can fail the next n calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[Route, PendingNotice, Content, str]] = []
        self.failures = 0

    def sender(self, route: Route):
        def send(notice: PendingNotice, content: Content, template: str) -> str:
            if self.failures:
                self.failures -= 1
                raise RuntimeError("platform unavailable")
            self.calls.append((route, notice, content, template))
            return f"{route.value}-{len(self.calls)}"
        return send

    def of(self, route: Route) -> list[tuple[PendingNotice, Content, str]]:
        return [(n, c, t) for r, n, c, t in self.calls if r is route]


def link(uow, channel: str, code: str, at: datetime, widget_open: bool = True) -> str:
    """A linked user (a widget one with its widget open, unless said otherwise)."""
    prefix = {"zalo": "zalo", "facebook": "facebook", "socketio": "web"}[channel]
    conversation = f"{prefix}-{uuid.uuid4().hex[:16]}"
    with uow() as session:
        session.links.add(conversation_id=conversation, channel=channel,
                          channel_user=conversation.split("-", 1)[1], customer_code=code, linked_at=at,
                          active_key=account_links.active_key(conversation, code))
        session.commit()
    if channel == "socketio" and widget_open:
        WidgetPresence(uow, clock=lambda: at).opened(conversation)
    return conversation
