"""Notices: found in the data, written once per event and channel user, delivered by the platforms' rules.

Scanning (NoticeScanner, run by the worker process every few seconds) turns data into
notice rows in SQL: new bills past the scanner's cursor, bills due in a few days or just
overdue, planned outages starting within 24 h at linked customers' addresses. A request's
status change and a payment write theirs in their own transaction (RequestService,
PaymentService). The unique key (kind, subject, channel, channel_user) makes every scan
safe to repeat: an event reaches a user once.

Delivering (NoticeDelivery) takes due rows in small batches (memory stays flat whatever
the run's size), skips kinds the user stopped and what the data has overtaken (a reminder
for a bill paid meanwhile), holds non-urgent kinds through quiet hours, picks the route the
platform allows now (evn.domain.notices.route_for), paces each channel to its rate limit,
and records the result: sent with the platform's message id, undeliverable with the reason,
or a failed attempt retried with backoff until given up.
"""
from evn.services.notices.content import outage_content
from evn.services.notices.delivery import (
    Content,
    ConversationState,
    LinkMaker,
    NoticeDelivery,
    PendingNotice,
    RateLimiter,
    Report,
    Sender,
)
from evn.services.notices.preferences import NoticePreferences, WidgetPresence
from evn.services.notices.scanning import NoticeScanner, notify_linked

__all__ = [
    "NoticeScanner",
    "notify_linked",
    "PendingNotice",
    "Content",
    "Sender",
    "ConversationState",
    "Report",
    "RateLimiter",
    "NoticeDelivery",
    "outage_content",
    "NoticePreferences",
    "WidgetPresence",
    "LinkMaker",
]
