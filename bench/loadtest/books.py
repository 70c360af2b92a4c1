"""The books after a run: what the customers were told against what the tracker store and the database hold.

Every message answered exactly once, each filed request and each payment there once (none missing,
none doubled, each the right customer's), each payment confirmed once in its conversation.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import create_engine, select, text

from bench.loadtest.simulation import CONFIRMED, PERIOD, Results
from evn.adapters import orm
from ops.production import Profile


def check_books(profile: Profile, results: Results, settle: float = 30) -> dict[str, Any]:
    """Every message answered once, every request and payment there once, every payment confirmed once."""
    conversations = {f"rest-{c.sender}": c for c in results.conversations if c.sent}
    problems: list[str] = []
    tracker = create_engine(profile.settings.tracker_store_url, future=True)
    business = create_engine(profile.settings.database_url, future=True)
    deadline = time.monotonic() + settle
    while True:  # confirmations go out through the outbox, just after the IPN
        with tracker.connect() as connection:
            rows = connection.execute(
                text("SELECT sender_id, type_name, data FROM events WHERE sender_id LIKE 'rest-load-%' ORDER BY id")
            ).all()
        events: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for sender, kind, data in rows:
            event = json.loads(data)
            pushed = kind == "user" and str((event.get("parse_data") or {}).get("intent", {}).get("name")).startswith(
                "EXTERNAL_")  # a payment confirmation the web app triggered, not a customer's message
            if sender in conversations and kind in ("user", "bot") and not pushed:
                events[sender].append((kind, event.get("text") or ""))
        confirmations = {s: sum(CONFIRMED in t for k, t in e if k == "bot") for s, e in events.items()}
        waiting = [s for s, c in conversations.items() if c.paid and confirmations.get(s, 0) == 0]
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(1)
    for sender, conversation in conversations.items():
        kinds = [kind for kind, _ in events.get(sender, [])]
        users = [i for i, kind in enumerate(kinds) if kind == "user"]
        if len(users) != conversation.sent:
            problems.append(f"{sender}: {conversation.sent} messages sent, {len(users)} in the tracker store")
        unanswered = [i for i in users if i + 1 >= len(kinds) or kinds[i + 1] != "bot"]
        if unanswered:
            problems.append(f"{sender}: {len(unanswered)} messages without an answer in the tracker store")
        expected_confirmations = 1 if conversation.paid else 0
        if confirmations.get(sender, 0) != expected_confirmations:
            problems.append(f"{sender}: {confirmations.get(sender, 0)} payment confirmations, "
                            f"expected {expected_confirmations}")
    with business.connect() as connection:
        filed = connection.execute(
            select(orm.ServiceRequest.conversation_id, orm.ServiceRequest.ticket)
            .where(orm.ServiceRequest.conversation_id.like("rest-load-%"))
        ).all()
        links = connection.execute(
            select(orm.PaymentLink.conversation_id).where(orm.PaymentLink.conversation_id.like("rest-load-%"))
        ).scalars().all()
        payments = connection.execute(
            select(orm.Customer.code, orm.Payment.reference)
            .join(orm.Bill, orm.Payment.bill_id == orm.Bill.id).join(orm.Customer)
            .where(orm.Bill.period == PERIOD)
        ).all()
    tickets_by: dict[str, list[str]] = defaultdict(list)
    for sender, ticket in filed:
        tickets_by[sender].append(ticket)
    links_by: dict[str, int] = defaultdict(int)
    for sender in links:
        links_by[sender] += 1
    payments_by: dict[str, int] = defaultdict(int)
    for code, _reference in payments:
        payments_by[code] += 1
    for sender, conversation in conversations.items():
        if sorted(tickets_by.get(sender, [])) != sorted(conversation.tickets):
            problems.append(f"{sender}: tickets told {conversation.tickets}, filed {tickets_by.get(sender, [])}")
        if links_by.get(sender, 0) != len(conversation.links):
            problems.append(f"{sender}: {len(conversation.links)} links sent, {links_by.get(sender, 0)} recorded")
        paid = payments_by.get(conversation.customer.code, 0)
        if conversation.paid and paid != 1:
            problems.append(f"{sender}: paid once, {paid} payments recorded")
    tracker.dispose()
    business.dispose()
    return {
        "conversations": len(conversations),
        "completed": sum(c.completed for c in conversations.values()),
        "messages": sum(c.sent for c in conversations.values()),
        "requests_filed": len(filed),
        "links": len(links),
        "payments": sum(c.paid for c in conversations.values()),
        "problems": problems,
    }
