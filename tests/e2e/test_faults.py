"""Faults that must not cost a customer their answer or their conversation (the fast ones).

Its own stack over its own seeded database, so killing and stalling its action server
does not disturb the other end-to-end tests. The supervisor restarts what is killed;
the customer meanwhile hears that the system is busy, never an empty reply, and carries
on where they were once the server is back.
"""
from __future__ import annotations

import os
import signal
import uuid

import pytest
import requests

from tests.conftest import _seeded_sqlite
from tools.model_fingerprint import is_stale
from tools.stack import ROOT, Stack, free_port, wait_until

TURN_TIMEOUT = 3
BUSY = "hệ thống đang bận"


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory):
    if is_stale(ROOT):
        pytest.fail("the trained model is older than data/, domain.yml or config.yml: run `make train`")
    database = _seeded_sqlite(tmp_path_factory.mktemp("faults-db") / "evn.sqlite3")
    servers = Stack(
        rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
        env={"DATABASE_URL": database, "PAYMENT_SIMULATOR": "1", "TURN_TIMEOUT_SECONDS": str(TURN_TIMEOUT)},
        log_dir=tmp_path_factory.mktemp("faults-logs"),
    )
    servers.start()
    yield servers
    servers.stop()


def verified(stack: Stack) -> str:
    chat = f"fault-{uuid.uuid4().hex[:10]}"
    stack.say(chat, "cho em xem hóa đơn tháng 10/2026")
    stack.say(chat, "PE01000000001")
    assert "979.560 đ" in texts(stack.say(chat, "0901234567"))
    return chat


def wait_for_actions(stack: Stack, timeout: float = 120) -> None:
    actions = stack.supervisor.service("actions")
    wait_until(f"http://127.0.0.1:{stack.actions_port}/health", timeout, actions, restarted=True)


def test_a_killed_action_server_is_restarted_while_the_others_keep_serving(fault_stack):
    chat = verified(fault_stack)
    actions = fault_stack.supervisor.service("actions")
    others = {s.name: s.pid for s in fault_stack.supervisor.services if s.name != "actions"}
    os.killpg(actions.pid, signal.SIGKILL)
    actions.process.wait(timeout=10)

    # Down: a polite busy answer, not `[]`; the pay pages and callbacks stay up.
    answer = fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu")
    assert answer and BUSY in texts(answer)
    assert requests.get(f"{fault_stack.web_url}/health", timeout=5).ok

    wait_for_actions(fault_stack)
    assert actions.restarts >= 1
    assert {s.name: s.pid for s in fault_stack.supervisor.services if s.name != "actions"} == others
    # Back: the same conversation, still verified, no second round of code and phone.
    again = texts(fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu"))
    assert "423.468 đ" in again and "mã khách hàng" not in again


def test_a_stalled_action_server_gets_a_busy_answer_within_the_turn_timeout(fault_stack):
    chat = verified(fault_stack)
    wait_for_actions(fault_stack)
    actions = fault_stack.supervisor.service("actions")
    os.killpg(actions.pid, signal.SIGSTOP)
    try:
        # Cut by the channel's bound (TURN_TIMEOUT_SECONDS): with Rasa's own 5-minute action
        # timeout this request would give up first.
        answer = fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu", timeout=10 * TURN_TIMEOUT)
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    assert BUSY in texts(answer)
    again = texts(fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu"))
    assert "423.468 đ" in again and "mã khách hàng" not in again
