"""The agent's side of a handoff against real databases (SQLite and PostgreSQL)."""
import threading
import uuid
from datetime import timedelta

import pytest

from evn.adapters import orm
from evn.adapters.db import make_engine, session_factory
from evn.adapters.unit_of_work import Factory
from evn.domain import agent_sessions
from evn.domain.agent_hours import DeskHours
from evn.domain.reply_windows import HUMAN_AGENT_TAG
from evn.domain.statuses import HandoffStatus
from evn.services import identity as outcome
from evn.services.agents import AgentError, AgentService
from evn.services.billing import BillingService
from evn.services.handoffs import AGENT_JOINED, AGENT_MESSAGE, HANDOFF_CLOSED, HANDOFF_UNANSWERED, HandoffService
from evn.services.identity import IdentityService
from evn.services.requests import RequestService

SECRET = "a-test-session-secret-of-some-length"
ROUND_THE_CLOCK = DeskHours.parse("00:00-24:00")


@pytest.fixture
def core(sessions, clock):
    uow = Factory(sessions)
    identity = IdentityService(uow, clock=clock)
    billing = BillingService(uow, identity, today=lambda: clock().date())
    requests = RequestService(uow, identity, holidays=set(), schedule=[], clock=clock)
    handoffs = HandoffService(uow, clock=clock, desk=ROUND_THE_CLOCK, wait=timedelta(minutes=5))
    return uow, identity, handoffs, AgentService(uow, billing, requests, clock=clock)


def name() -> str:
    return f"agent-{uuid.uuid4().hex[:8]}"


def waiting(handoffs, question="hóa đơn tôi sai, sđt 0901234567", code=None):
    chat = f"web-{uuid.uuid4().hex}"
    return handoffs.request(chat, "socketio", "asked", [{"from": "user", "text": question}], question=question,
                            verified_code=code)




def outbox_rows(uow, kind):
    with uow() as repos:
        return [(m.key, dict(m.payload)) for m in repos.outbox.session.query(orm.OutboxMessage) if m.kind == kind]


def test_an_agent_logs_in_with_the_password_only_and_every_attempt_is_audited(core):
    _uow, _identity, _handoffs, agents = core
    username = name()
    created, is_new = agents.add_or_update(username, "mat-khau-dai-du", "Nguyễn Thị Lan")
    assert is_new and created.display_name == "Nguyễn Thị Lan"
    assert agents.login(username, "sai-mat-khau") is None
    assert agents.login("nobody-" + username, "mat-khau-dai-du") is None
    agent = agents.login(username.upper(), "mat-khau-dai-du")
    assert agent is not None and agent.id == created.id
    cookie = agent_sessions.issue(agent.id, agent.session_version, SECRET)
    assert agents.current(agent_sessions.read(cookie, SECRET)) == agent
    agents.logout(agent)
    assert agents.current(agent_sessions.read(cookie, SECRET)) is None, "a logout ends the cookie"
    with pytest.raises(AgentError):
        agents.add_or_update(username, "short")


def test_two_agents_taking_one_conversation_at_once_exactly_one_gets_it(core):
    uow, _identity, handoffs, agents = core
    first, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    second, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    for _ in range(5):
        handoff = waiting(handoffs)
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def take(agent, handoff_id=handoff.id, barrier=barrier, results=results):
            barrier.wait()
            try:
                results[agent.username] = agents.take(agent, handoff_id).agent_id
            except AgentError as error:
                results[agent.username] = error.reason

        threads = [threading.Thread(target=take, args=(agent,)) for agent in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(map(str, results.values())) == sorted([str(handoffs.get(handoff.id).agent_id), "taken"])
        joined = [key for key, _ in outbox_rows(uow, AGENT_JOINED) if key == f"{AGENT_JOINED}:{handoff.id}"]
        takes = [a for a in agents.audit_of(handoff.id) if a["action"] == "take"]
        assert len(joined) == 1 and len(takes) == 1


def test_the_queue_is_oldest_first_with_position_question_and_verified_flag(core, clock):
    _uow, _identity, handoffs, agents = core
    older = waiting(handoffs, code="PE01000000001")
    clock.advance(seconds=30)
    newer = waiting(handoffs)
    assert newer.position == older.position + 1
    queue = [item for item in agents.queue() if item.id in (older.id, newer.id)]
    assert [item.id for item in queue] == [older.id, newer.id]
    assert queue[0].verified and not queue[1].verified and queue[0].waited_seconds >= 30
    assert "0901234567" not in queue[0].question and "090" in queue[0].question, "phones masked"


def test_replies_go_to_the_outbox_audited_and_only_from_the_holder(core, clock, sessions):
    uow, _identity, handoffs, agents = core
    holder, _ = agents.add_or_update(name(), "mat-khau-dai-du", "Lan")
    other, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    handoff = waiting(handoffs)
    agents.take(holder, handoff.id)
    with pytest.raises(AgentError, match="not_yours"):
        agents.reply(other, handoff.id, "xin chào", clock())
    with pytest.raises(AgentError, match="not_yours"):
        agents.open(other, handoff.id)
    with pytest.raises(AgentError, match="empty"):
        agents.reply(holder, handoff.id, "   ", clock())
    agents.reply(holder, handoff.id, "Dạ, em là Lan, em kiểm tra ngay ạ.", clock())
    replies = [a for a in agents.audit_of(handoff.id) if a["action"] == "reply"]
    assert [r["detail"]["text"] for r in replies] == ["Dạ, em là Lan, em kiểm tra ngay ạ."]
    messages = [payload for _, payload in outbox_rows(uow, AGENT_MESSAGE) if payload["handoff_id"] == handoff.id]
    assert [m["text"] for m in messages] == ["Dạ, em là Lan, em kiểm tra ngay ạ."]
    assert messages[0]["agent_name"] == "Lan" and messages[0]["messenger_tag"] is None


def test_messenger_after_24_hours_is_tagged_and_after_7_days_refused(core, clock):
    _uow, _identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    chat = f"facebook-{uuid.uuid4().hex[:16]}"
    handoff = handoffs.request(chat, "facebook", "asked", [])
    agents.take(agent, handoff.id)
    assert agents.reply(agent, handoff.id, "a", clock() - timedelta(hours=2)).messenger_tag is None
    assert agents.reply(agent, handoff.id, "b", clock() - timedelta(hours=30)).messenger_tag == HUMAN_AGENT_TAG
    with pytest.raises(AgentError, match="window_closed"):
        agents.reply(agent, handoff.id, "c", clock() - timedelta(days=8))


def test_closing_records_the_outcome_and_resumes_the_bot(core, clock):
    uow, _identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    handoff = waiting(handoffs)
    agents.take(agent, handoff.id)
    with pytest.raises(AgentError, match="outcome"):
        agents.close(agent, handoff.id, "whatever")
    closed = agents.close(agent, handoff.id, "ticket", "YC-20261128-0001")
    assert closed.status == HandoffStatus.CLOSED.value and closed.outcome == "ticket"
    assert handoffs.current(handoff.conversation_id) is None
    with pytest.raises(AgentError):
        agents.reply(agent, handoff.id, "còn đó không?", clock())
    assert [a["action"] for a in agents.audit_of(handoff.id)] == ["take", "close"]
    assert waiting(handoffs).id != handoff.id, "after closing, asking again opens a new handoff"


def test_the_customer_going_back_closes_the_handoff_and_resumes_only_a_held_one(core, clock):
    uow, _identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    waited = waiting(handoffs)
    assert handoffs.customer_left(waited.conversation_id).outcome == "customer_left"
    held = waiting(handoffs)
    agents.take(agent, held.id)
    assert handoffs.customer_left(held.conversation_id).status == HandoffStatus.CLOSED.value
    assert handoffs.customer_left(held.conversation_id) is None
    closed = {payload["handoff_id"] for _, payload in outbox_rows(uow, HANDOFF_CLOSED)}
    assert held.id in closed and waited.id not in closed


def test_a_customer_nobody_takes_in_time_is_told_once(core, clock):
    uow, _identity, handoffs, agents = core
    handoff = waiting(handoffs)
    handoffs.scan_unanswered()
    clock.advance(minutes=6)
    handoffs.scan_unanswered()
    handoffs.scan_unanswered()
    told = [p for _, p in outbox_rows(uow, HANDOFF_UNANSWERED) if p["handoff_id"] == handoff.id]
    assert len(told) == 1
    assert handoffs.get(handoff.id).status == HandoffStatus.OPEN.value, "still in the queue"


def test_the_context_is_the_verified_customer_of_that_conversation_only(core, clock):
    _uow, identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    chat = f"web-{uuid.uuid4().hex}"
    assert identity.verify("PE01000000001", "0901234567", chat).status == outcome.VERIFIED
    handoff = handoffs.request(chat, "socketio", "asked", [], verified_code="PE01000000001")
    stranger = waiting(handoffs, code="PD01000000002")  # claims a code its conversation never verified
    agents.take(agent, handoff.id)
    agents.take(agent, stranger.id)
    context = agents.context(agent, handoff.id)
    assert context is not None and context.code == "PE01000000001" and context.bills
    assert "0901234567" not in context.phone and "*" in context.name
    assert agents.context(agent, stranger.id) is None


def test_the_cli_and_make_run_create_or_update_an_agent(tmp_path, monkeypatch, capsys):
    from evn import agents as cli
    from evn.adapters.migrate import upgrade
    from evn.settings import Settings
    from tools.stack import DEMO_AGENT, ensure_agent

    url = f"sqlite:///{tmp_path / 'agents.sqlite3'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AGENT_PASSWORD", "mat-khau-cua-lan")
    assert cli.main(["add", "Lan", "--display-name", "Nguyễn Thị Lan"]) == 0
    assert cli.main(["add", "lan"]) == 0
    said = capsys.readouterr().out
    assert "Đã tạo nhân viên lan (Nguyễn Thị Lan)" in said and "Đã cập nhật nhân viên lan" in said
    monkeypatch.setenv("AGENT_PASSWORD", "short")
    assert cli.main(["add", "binh"]) == 2
    chosen = Settings.from_env({"DATABASE_URL": url, "AGENT_USER": "thu", "AGENT_PASSWORD": "mat-khau-cua-thu"},
                               root=tmp_path)
    assert ensure_agent(chosen) == "đăng nhập: thu / AGENT_PASSWORD"
    demo = ensure_agent(Settings.from_env({"DATABASE_URL": url}, root=tmp_path))
    assert demo.startswith(f"đăng nhập: {DEMO_AGENT} / ")
    production = Settings.from_env({"DATABASE_URL": url, "APP_ENV": "production"}, root=tmp_path)
    assert "AGENT_USER" in ensure_agent(production), "production creates no demo agent"
    service = AgentService(Factory(session_factory(make_engine(url))), None, None)
    assert service.login("lan", "mat-khau-cua-lan") and service.login("thu", "mat-khau-cua-thu")
    assert service.login(DEMO_AGENT, demo.rsplit(" / ", 1)[1])


def test_five_failed_logins_lock_the_name_for_a_quarter_of_an_hour(core, clock):
    _uow, _identity, _handoffs, agents = core
    username = name()
    agents.add_or_update(username, "mat-khau-dai-du")
    for _ in range(5):
        assert agents.login(username, "doan-sai") is None
    assert agents.login(username, "mat-khau-dai-du") is None, "locked: not even the right password"
    clock.advance(minutes=16)
    assert agents.login(username, "mat-khau-dai-du") is not None
