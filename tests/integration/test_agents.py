"""The agent's side of a handoff against real databases (SQLite and PostgreSQL)."""
import json
import threading
import uuid
from datetime import timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from evn.adapters import orm
from evn.adapters.db import make_engine, session_factory
from evn.adapters.passwords import Argon2Passwords
from evn.adapters.rasa_tracker import Turn
from evn.adapters.unit_of_work import Factory
from evn.domain import events
from evn.domain.agent_hours import DeskHours
from evn.domain.login_limits import PAIR_ALLOWANCE as MAX_PAIR
from evn.domain.login_limits import SOURCE_BURST
from evn.domain.reply_windows import HUMAN_AGENT_TAG
from evn.domain.signing import agent_sessions
from evn.domain.statuses import HandoffStatus
from evn.services import identity as outcome
from evn.services.agents import AgentError, AgentService, LoginRefused
from evn.services.billing import BillingService
from evn.services.handoffs import HandoffService
from evn.services.identity import IdentityService
from evn.services.links import AccountLinkService
from evn.services.requests import RequestService

AGENT_JOINED, AGENT_MESSAGE = events.AgentJoined.kind, events.AgentMessage.kind
HANDOFF_CLOSED, HANDOFF_UNANSWERED = events.HandoffClosed.kind, events.HandoffUnanswered.kind
SECRET = "a-test-session-secret-of-some-length"
# argon2id still, with the least work it allows: these tests log in hundreds of times
QUICK_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ROUND_THE_CLOCK = DeskHours.parse("00:00-24:00")


@pytest.fixture
def core(sessions, clock):
    uow = Factory(sessions)
    identity = IdentityService(uow, clock=clock)
    billing = BillingService(uow, identity, today=lambda: clock().date())
    requests = RequestService(uow, identity, holidays=set(), schedule=[], clock=clock)
    handoffs = HandoffService(uow, clock=clock, desk=ROUND_THE_CLOCK, wait=timedelta(minutes=5))
    return uow, identity, handoffs, AgentService(uow, billing, requests, identity, clock=clock,
                                                 passwords=Argon2Passwords(QUICK_ARGON2))


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


AN = ("PE01000000001", "0901234567")


def link_last_used(sessions, chat):
    with sessions() as session:
        return session.execute(text("SELECT last_used_at FROM account_links WHERE conversation_id = :c"),
                               {"c": chat}).scalar_one()


def actions_of(agents, handoff_id, action):
    return [row for row in agents.audit_of(handoff_id) if row["action"] == action]


def test_the_customer_panel_follows_the_phone_verification_never_a_link_and_no_agent_view_uses_one(
        core, clock, sessions):
    """Issue 23, finding 7: 31 minutes on, the linked customer's bills and payments were still shown."""
    uow, identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    chat = f"web-{uuid.uuid4().hex}"
    assert identity.verify(*AN, chat).status == outcome.VERIFIED
    AccountLinkService(uow, identity, clock=clock).link(chat, AN[0])  # the customer asked to be remembered
    handoff = handoffs.request(chat, "socketio", "asked", [], verified_code=AN[0])
    agents.take(agent, handoff.id)
    clock.advance(minutes=29)
    assert agents.context(agent, handoff.id).code == AN[0], "within the verification window"
    used = link_last_used(sessions, chat)
    clock.advance(minutes=2)
    assert agents.context(agent, handoff.id) is None, "the window passed: nothing through the customer's link"
    assert link_last_used(sessions, chat) == used, "the agent's view is no use of the customer's link"
    assert len(actions_of(agents, handoff.id, "view_customer")) == 1, "only the panel shown is audited"


def test_a_closed_handoff_shows_the_customer_only_for_a_verification_made_before_its_closing(core, clock):
    _uow, identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    kept, late = (handoffs.request(chat, "socketio", "asked", [], verified_code=AN[0])
                  for chat in (f"web-{uuid.uuid4().hex}", f"web-{uuid.uuid4().hex}"))
    for handoff in (kept, late):
        assert identity.verify(*AN, handoff.conversation_id).status == outcome.VERIFIED
        agents.take(agent, handoff.id)
    clock.advance(minutes=10)
    agents.close(agent, kept.id, "resolved")
    assert agents.context(agent, kept.id).code == AN[0], "verified before the closing, and still"
    clock.advance(minutes=21)
    assert agents.context(agent, kept.id) is None, "closed or not, the panel follows the verification window"
    agents.close(agent, late.id, "callback")
    clock.advance(minutes=1)
    assert identity.verify(*AN, late.conversation_id).status == outcome.VERIFIED, "verified again after the closing"
    assert agents.context(agent, late.id) is None, "a verification after the closing opens no closed handoff"
    assert [a["detail"] for a in actions_of(agents, kept.id, "view_customer")] == [{}], "the handoff's id only"
    assert actions_of(agents, late.id, "view_customer") == []


def test_new_turns_the_page_had_not_shown_are_audited_and_a_closed_handoff_is_history_to_its_closing(core, clock):
    _uow, _identity, handoffs, agents = core
    agent, _ = agents.add_or_update(name(), "mat-khau-dai-du")
    handoff = waiting(handoffs)
    agents.take(agent, handoff.id)

    def said(text, minutes):
        return Turn("customer", text, (clock() + timedelta(minutes=minutes)).replace(tzinfo=timezone.utc).timestamp())

    talk = [said("hóa đơn sai", -2), said("còn đó không?", -1)]
    view, shown = agents.history(agent, handoff.id, talk)
    assert view.status == HandoffStatus.TAKEN.value and shown == tuple(talk)
    assert agents.history(agent, handoff.id, talk, seen=2)[1] == tuple(talk)
    assert actions_of(agents, handoff.id, "view_turns") == [], "the page's own read and an unchanged poll"
    talk.append(said("anh ơi", 0))
    agents.history(agent, handoff.id, talk, seen=2)
    assert [a["detail"] for a in actions_of(agents, handoff.id, "view_turns")] == [{"seen": 2, "count": 3}]
    clock.advance(seconds=30)
    closed = agents.close(agent, handoff.id, "resolved")
    assert closed.closed_at == clock()
    talk.append(said("tôi quên hỏi thêm", 1))  # after the closing: the bot's conversation again
    view, shown = agents.history(agent, handoff.id, talk, seen=3)
    assert view.status == HandoffStatus.CLOSED.value and shown == tuple(talk[:3]), "history up to the closing"
    assert len(actions_of(agents, handoff.id, "view_turns")) == 1, "nothing new shown: nothing audited"
    with pytest.raises(AgentError, match="not_yours"):
        agents.history(agents.add_or_update(name(), "mat-khau-dai-du")[0], handoff.id, talk, seen=0)


def test_the_cli_and_make_run_create_or_update_an_agent(tmp_path, monkeypatch, capsys):
    from evn.adapters.migrate import upgrade
    from evn.entrypoints import agents as cli
    from evn.settings import Settings
    from ops.stack import DEMO_AGENT, ensure_agent

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
    service = AgentService(Factory(session_factory(make_engine(url))), None, None, None)
    assert service.login("lan", "mat-khau-cua-lan") and service.login("thu", "mat-khau-cua-thu")
    assert service.login(DEMO_AGENT, demo.rsplit(" / ", 1)[1])


def address() -> str:
    """A client address of this test alone (the source counters live as long as the test database)."""
    digits = uuid.uuid4().bytes
    return f"10.{digits[0]}.{digits[1]}.{digits[2]}"


class CountingPasswords(Argon2Passwords):
    """The real argon2id checks, counted (the service's own, passed through its constructor)."""

    def __init__(self, hasher: PasswordHasher | None = QUICK_ARGON2) -> None:
        super().__init__(hasher)
        self.lock = threading.Lock()
        self.checked: list[str | None] = []

    def verify(self, stored, password):
        with self.lock:
            self.checked.append(stored)
        return super().verify(stored, password)


def test_wrong_passwords_from_one_source_never_keep_the_agent_at_another_out(core, clock):
    """Issue 23, finding 4: five anonymous failures locked the name, and one more every three minutes kept it so."""
    _uow, _identity, _handoffs, agents = core
    username, attacker, desk = name(), address(), address()
    agents.add_or_update(username, "mat-khau-dai-du")
    for _ in range(MAX_PAIR):
        assert agents.login(username, "doan-sai", attacker) is None
    with pytest.raises(LoginRefused) as refused:
        agents.login(username, "mat-khau-dai-du", attacker)  # that pair is refused, even the right password
    assert (refused.value.limit, refused.value.retry_seconds) == ("pair", 15 * 60)
    checked = 0
    for _ in range(20):  # an hour of one wrong password every three minutes, the old way to hold the name
        clock.advance(minutes=3)
        try:
            checked += agents.login(username, "doan-sai", attacker) is None
        except LoginRefused as again:
            assert again.limit == "pair"
        assert agents.login(username, "mat-khau-dai-du", desk) is not None, "the agent at their desk logs in"
    assert checked == 2, "after 15 minutes one more, then after 30 one more, the next only after 60"
    with pytest.raises(LoginRefused) as longer:
        agents.login(username, "doan-sai", attacker)
    assert longer.value.retry_at == refused.value.retry_at + timedelta(minutes=30 + 60)


def test_the_name_ceiling_slows_sources_that_failed_and_never_locks(core, clock):
    _uow, _identity, _handoffs, agents = core
    username = name()
    agents.add_or_update(username, "mat-khau-dai-du")
    attackers = [address() for _ in range(5)]
    for attacker in attackers:
        for _ in range(4):  # 20 failures in all, each source below its own allowance
            assert agents.login(username, "doan-sai", attacker) is None
    with pytest.raises(LoginRefused) as slowed:
        agents.login(username, "mat-khau-dai-du", attackers[0])
    assert slowed.value.limit == "name" and slowed.value.retry_seconds == 30
    assert agents.login(username, "mat-khau-dai-du", address()) is not None, "a source without failures: at once"
    assert agents.login(username, "doan-sai", address()) is None, "... and checked"
    clock.advance(seconds=30)
    assert agents.login(username, "mat-khau-dai-du", attackers[0]) is not None, "slowed, not locked"
    with pytest.raises(LoginRefused):
        agents.login(username, "doan-sai", attackers[1])
    clock.advance(seconds=30)
    assert agents.login(username, "doan-sai", attackers[1]) is None


def test_unknown_names_are_checked_as_costly_and_count_against_their_source(core, clock):
    uow, _identity, _handoffs, _agents = core
    passwords = CountingPasswords()
    agents = AgentService(uow, None, None, None, clock=clock, passwords=passwords)
    spray = address()
    for _ in range(SOURCE_BURST):
        assert agents.login(name(), "mat-khau-dai-du", spray) is None
    assert passwords.checked == [None] * SOURCE_BURST, "each against the dummy hash (None: no such agent)"
    with pytest.raises(LoginRefused) as refused:
        agents.login(name(), "mat-khau-dai-du", spray)
    assert refused.value.limit == "source" and len(passwords.checked) == SOURCE_BURST


def test_racing_wrong_passwords_check_no_more_than_the_allowance(core, clock):
    """Issue 23, finding 5: 24 concurrent attempts checked 10 wrong passwords where 5 are allowed."""
    uow, _identity, _handoffs, _agents = core
    passwords = CountingPasswords(None)  # the real cost: the old race's window
    agents = AgentService(uow, None, None, None, clock=clock, passwords=passwords, hashing_slots=32, hashing_wait=60)
    username, attacker = name(), address()
    agents.add_or_update(username, "mat-khau-dai-du")
    barrier, results = threading.Barrier(24), []

    def attempt() -> None:
        barrier.wait()
        try:
            results.append(agents.login(username, "doan-sai", attacker))
        except LoginRefused as refused:
            results.append(refused.limit)

    threads = [threading.Thread(target=attempt) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passwords.checked) == MAX_PAIR and sorted(map(str, results)) == sorted(
        ["None"] * MAX_PAIR + ["pair"] * (24 - MAX_PAIR))
    with pytest.raises(LoginRefused):
        agents.login(username, "mat-khau-dai-du", attacker)
    assert len(passwords.checked) == MAX_PAIR
    assert agents.login(username, "mat-khau-dai-du", address()) is not None


def test_counters_untouched_for_a_day_are_forgotten(core, clock):
    uow, _identity, _handoffs, _agents = core
    agents = AgentService(uow, None, None, None, clock=clock, passwords=Argon2Passwords(QUICK_ARGON2))
    old, recent = name(), name()
    agents.login(old, "doan-sai", address())

    def counters(username):
        with uow() as repos:
            return repos.session.query(orm.AgentLoginLimit).filter(orm.AgentLoginLimit.username == username).count()

    assert counters(old) == 2  # the name's and the pair's (the source's has no name)
    clock.advance(hours=24, minutes=11)
    agents.login(recent, "doan-sai", address())
    assert counters(old) == 0 and counters(recent) == 2


def test_an_administrator_lifts_the_limits_of_a_name(tmp_path, monkeypatch, capsys):
    from evn.adapters.migrate import upgrade
    from evn.entrypoints import agents as cli

    url = f"sqlite:///{tmp_path / 'unlock.sqlite3'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AGENT_PASSWORD", "mat-khau-cua-lan")
    assert cli.main(["add", "lan"]) == 0
    service = AgentService(Factory(session_factory(make_engine(url))), None, None, None)
    for _ in range(MAX_PAIR):
        assert service.login("lan", "doan-sai", "203.0.113.9") is None
    with pytest.raises(LoginRefused):
        service.login("lan", "mat-khau-cua-lan", "203.0.113.9")
    assert cli.main(["unlock", "LAN"]) == 0
    assert "Đã mở khóa đăng nhập của lan (1 địa chỉ" in capsys.readouterr().out
    assert service.login("lan", "mat-khau-cua-lan", "203.0.113.9") is not None
    engine = make_engine(url)
    with engine.connect() as connection:
        audited = connection.execute(text(
            "SELECT action, detail FROM agent_audit WHERE username = 'lan' ORDER BY id")).all()
    engine.dispose()
    actions = [row.action for row in audited]
    assert actions == ["login_failed"] * MAX_PAIR + ["login_locked", "login_unlocked", "login"]
    assert all(json.loads(row.detail)["address"] == "203.0.113.9" for row in audited if row.action != "login_unlocked")
