"""The production profile for real: nginx, 2 Rasa, 2 action servers, 2 web apps, PostgreSQL, Redis, RabbitMQ.

Its own PostgreSQL databases and RabbitMQ queue (dropped afterwards), its own ports.
Skipped, with the reason, on a machine without those services (`.ci/run` and
`make run-production` install and start them: ops/services.sh).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from ops.production import NGINX, Profile
from ops.stack import free_port, wait_until
from tests.doubles.pay_simulator import pay_with_simulator
from tests.e2e.helpers import command_lines_holding, require_fresh_model, texts, unpaid_customer
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, bot_texts, open_chat, say, wait_for_more_bot_rows
from tests.support.seeded_database import POSTGRES_ADMIN_URL

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")


def missing_services() -> list[str]:
    """What the profile needs and this machine does not answer with."""
    missing = []
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, future=True)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure: no server
        missing.append(f"PostgreSQL ({POSTGRES_ADMIN_URL})")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception:  # noqa: BLE001
        missing.append(f"Redis ({REDIS_URL})")
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            pass
    except OSError:
        missing.append("RabbitMQ (127.0.0.1:5672)")
    if not shutil.which(NGINX) and not os.path.exists(NGINX):
        missing.append("nginx (Debian package nginx)")
    return missing


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    missing = missing_services()
    if missing:
        pytest.skip("production profile needs " + ", ".join(missing) + " (ops/services.sh starts them)")
    require_fresh_model()
    name = f"evn_profile_{uuid.uuid4().hex[:8]}"
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    queue = f"evn_test_{uuid.uuid4().hex[:8]}"
    proxy_port = free_port(2)
    servers = Profile(
        env={"DATABASE_URL": f"{base}/{name}", "TRACKER_STORE_URL": f"{base}/{name}_rasa", "REDIS_URL": REDIS_URL,
             "RABBITMQ_URL": RABBITMQ_URL, "RABBITMQ_QUEUE": queue, "PAYMENT_SIMULATOR": "1",
             "TURN_TIMEOUT_SECONDS": "8", "AGENT_WORKING_HOURS": "00:00-24:00"},
        proxy_port=proxy_port, internal_proxy_port=proxy_port + 1, rasa_port=free_port(2),
        actions_port=free_port(2), web_port=free_port(2),
        run_dir=tmp_path_factory.mktemp("profile-run"), log_dir=tmp_path_factory.mktemp("profile-logs"),
        seed_customers=40,
    )
    servers.start()
    yield servers
    servers.stop()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        for database in (name, f"{name}_rasa"):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()
    asyncio.run(_delete_queue(queue))


async def _delete_queue(queue: str) -> None:
    import aio_pika

    connection = await aio_pika.connect(RABBITMQ_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(queue)


def direct(profile: Profile, index: int, sender: str, message: str) -> list[dict]:
    """One REST turn straight to Rasa server `index` (0 or 1), past nginx."""
    response = requests.post(f"http://127.0.0.1:{profile.rasa_port + index}/webhooks/rest/webhook",
                             json={"sender": sender, "message": message}, headers=profile.rest_headers, timeout=60)
    response.raise_for_status()
    return response.json()


def tracker(profile: Profile, conversation: str) -> dict:
    return requests.get(f"{profile.internal_url}/conversations/{conversation}/tracker",
                        headers=profile.rasa_headers(conversation), timeout=30).json()


def test_healthz_answers_for_every_process_through_nginx(profile):
    health = requests.get(f"{profile.url}/healthz", timeout=10)
    assert health.status_code == 200
    checks = health.json()["checks"]
    assert len(checks) == 1 + 3 * profile.copies and set(checks.values()) == {"ok"}
    # Rasa's HTTP API is not public: "/" and the API paths of the public port are the web app's.
    assert requests.get(f"{profile.url}/status", timeout=10).status_code == 404
    assert requests.get(f"{profile.url}/conversations/rest-x/tracker", timeout=10).status_code == 404


def test_one_conversation_moves_between_the_two_rasa_processes(profile):
    chat = f"prof-{uuid.uuid4().hex[:8]}"
    direct(profile, 0, chat, "cho em xem hóa đơn tháng 10/2026")
    assert "số điện thoại" in texts(direct(profile, 1, chat, "PE01000000001"))  # process 2 knows the form
    assert "979.560 đ" in texts(direct(profile, 0, chat, "0901234567"))
    follow = texts(direct(profile, 1, chat, "tháng 9 thì sao"))  # still verified on the other process
    assert "423.468 đ" in follow and "mã khách hàng" not in follow


def test_simultaneous_messages_of_one_conversation_are_taken_one_at_a_time(profile):
    """Redis's lock: both processes receive a message of the same conversation at once."""
    chat = f"prof-{uuid.uuid4().hex[:8]}"
    direct(profile, 0, chat, "xin chào")
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda i: direct(profile, i, chat, "giá điện bậc thang bao nhiêu"), (0, 1)))
    assert all("1.984" in texts(answer) for answer in answers)
    events = tracker(profile, f"rest-{chat}")["events"]
    kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
    # Each user message is followed by its own answers before the next user message begins.
    users = [i for i, kind in enumerate(kinds) if kind == "user"]
    assert len(users) == 3
    assert all(kinds[i + 1] == "bot" for i in users)


def test_conversation_events_reach_rabbitmq(profile):
    chat = f"prof-{uuid.uuid4().hex[:8]}"
    profile.say(chat, "giá điện bậc 5 bao nhiêu")
    found = asyncio.run(_events_for(profile.settings.rabbitmq_queue, f"rest-{chat}"))
    assert "user" in found and "bot" in found


async def _events_for(queue_name: str, sender: str, timeout: float = 15) -> set[str]:
    import json

    import aio_pika

    connection = await aio_pika.connect(RABBITMQ_URL)
    kinds: set[str] = set()
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not {"user", "bot"} <= kinds:
            message = await queue.get(fail=False)
            if message is None:
                await asyncio.sleep(0.2)
                continue
            await message.ack()
            event = json.loads(message.body)
            if event.get("sender_id") == sender:
                kinds.add(event.get("event"))
    return kinds


def test_a_killed_rasa_process_loses_no_conversation(profile):
    """Verification and form state live in the tracker store: the other process carries on."""
    chat = f"prof-{uuid.uuid4().hex[:8]}"
    profile.say(chat, "cho em xem hóa đơn tháng 10/2026")
    profile.say(chat, "PE01000000001")
    assert "979.560 đ" in texts(profile.say(chat, "0901234567"))
    question = texts(profile.say(chat, "em muốn báo mất điện"))  # the outage form asks where
    assert tracker(profile, f"rest-{chat}")["active_loop"].get("name") == "outage_form"
    victim = profile.supervisor.service("rasa-1")
    os.killpg(victim.pid, signal.SIGKILL)
    victim.process.wait(timeout=10)
    # Through nginx while rasa-1 is down or restarting: the form goes on from where it was, still verified.
    answer = texts(profile.say(chat, "số 12 Lê Lợi, phường Bến Nghé, quận 1"))
    assert answer and answer != question and "bận" not in answer
    assert "MD-" in answer  # the form's question answered: the outage report is filed, for the verified customer
    state = tracker(profile, f"rest-{chat}")
    assert state["slots"].get("verified") is True and not state["active_loop"].get("name")
    wait_until(f"http://127.0.0.1:{profile.rasa_port}/", 120, victim, restarted=True)
    assert victim.restarts >= 1 and victim.running


def wait_for_text(page, wanted: str) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=wanted, timeout=60_000)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_widget_gets_its_replies_and_pushes_from_either_rasa_process(profile, phone):
    """A widget on one process: its replies, the payment confirmation, and pushes through each process."""
    code, phone_number, total = unpaid_customer(profile.settings.database_url)
    page = phone
    open_chat(page, profile.url)
    session = page.evaluate("window.__evnWidget.sessionId()")
    conversation = "web-" + session.split(".")[0].split("_")[0]
    for message in ("cho em link thanh toán tiền điện", code, phone_number):
        before = len(bot_texts(page))
        say(page, message)
        wait_for_more_bot_rows(page, before)
    amount = f"{total:,}".replace(",", ".") + " đ"
    wait_for_text(page, amount)
    link = page.locator("a.evn-w-reply").first.get_attribute("href")
    assert link and link.startswith(f"http://localhost:{profile.proxy_port}/pay/")
    # Paid through nginx; the IPN's confirmation goes out by the outbox, to whichever Rasa process.
    assert "thành công" in pay_with_simulator(link, profile.url).text
    wait_for_text(page, f"đã nhận thanh toán {amount}")
    for index in range(profile.copies):  # the HTTP API of each process in turn, not through nginx
        before = len(bot_texts(page))
        pushed = requests.post(
            f"http://127.0.0.1:{profile.rasa_port + index}/conversations/{conversation}/trigger_intent",
            params={"output_channel": "latest"}, headers=profile.rasa_headers(conversation),
            json={"name": "ask_tariff"}, timeout=30,
        )
        assert pushed.ok, pushed.text
        wait_for_more_bot_rows(page, before)
    assert sum("1.984" in row for row in bot_texts(page)) >= profile.copies  # one tariff table per push


def test_the_agent_console_behind_nginx_follows_the_conversation_through_rabbitmq(profile):
    """An agent's page waits on the event broker: the customer's next message wakes it at once."""
    from tests.e2e.agent_console import AgentClient, create_agent
    from tests.e2e.agent_console import wait_until as until

    sender = uuid.uuid4().hex[:12]
    conversation = f"rest-{sender}"
    assert "vị trí số" in texts(profile.say(sender, "gặp nhân viên"))
    agent = AgentClient(profile.url, *create_agent(profile.settings.database_url, "Thu"))
    listed = requests.get(f"{profile.url}/agent/handoffs", timeout=10,
                          headers={"Authorization": f"Bearer {profile.settings.agent_api_token}"}).json()["handoffs"]
    (handoff,) = [h["id"] for h in listed if h["conversation_id"] == conversation]
    assert agent.take(handoff).status_code == 303
    until(lambda: tracker(profile, conversation).get("paused"), timeout=20, what="the bot paused")
    page = agent.http.get(f"{profile.url}/agent/api/handoffs/{handoff}", timeout=10).json()
    assert page["live"] is True, "the web app follows RabbitMQ"
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        waiting = pool.submit(agent.http.get, f"{profile.url}/agent/api/handoffs/{handoff}",
                              params={"wait": "1", "seen": str(page["count"])}, timeout=30)
        time.sleep(1.0)
        assert not waiting.done(), "nothing new: the request waits"
        assert profile.say(sender, "số công tơ nhà tôi không đúng") == []
        woke = waiting.result()
        assert time.monotonic() - started < 15
    assert "số công tơ nhà tôi không đúng" in woke.json()["html"]
    assert agent.reply(handoff, "Dạ, Thu đây ạ.").status_code == 202
    until(lambda: any((e.get("metadata") or {}).get("agent") == "Thu"
                           for e in tracker(profile, conversation)["events"] if e.get("event") == "bot"),
               timeout=20, what="the agent's words in the tracker")
    assert requests.get(f"{profile.url}/agent", allow_redirects=False, timeout=10).status_code == 302


def test_no_secret_on_a_command_line_and_no_token_in_nginx_access_log(profile):
    """Rasa's HTTP API behind the internal listener takes a JWT in the header, and nothing logs a query string."""
    settings = profile.settings
    status = f"{profile.internal_url}/status"
    assert requests.get(status, timeout=10).status_code == 401
    assert requests.get(status, params={"token": settings.rasa_auth_token}, timeout=10).status_code == 401
    assert requests.get(status, headers=profile.rasa_headers(), timeout=10).json().get("model_file")
    marker, query = uuid.uuid4().hex[:12], uuid.uuid4().hex
    conversation = f"rest-{marker}"
    assert requests.get(f"{profile.internal_url}/conversations/{conversation}/tracker", timeout=10,
                        params={"token": query}, headers=profile.rasa_headers(conversation)).ok
    requests.get(f"{profile.url}/webhooks/rest/{marker}", params={"hub.verify_token": query, "token": query},
                 timeout=10)
    secrets = (settings.rasa_auth_token, settings.rest_channel_token, profile.action_token, settings.agent_api_token,
               settings.widget_session_secret, settings.agent_session_secret, settings.payment.link_secret)
    assert command_lines_holding(secrets) == []
    for index in range(profile.copies):
        command = Path(f"/proc/{profile.supervisor.service(f'rasa-{index + 1}').pid}/cmdline").read_bytes()
        assert b"ops.rasa_server" in command and b"--auth-token" not in command
    log = (profile.log_dir / "nginx-access.log").read_text(encoding="utf-8", errors="replace")
    # Both listeners log the path (the worker's and the console's calls of the earlier tests, these probes) …
    assert f"GET /conversations/{conversation}/tracker " in log and f"GET /webhooks/rest/{marker} " in log
    # … and never a query string, a token or a secret.
    assert "token=" not in log and query not in log
    assert not [name for name, value in zip(("RASA_AUTH_TOKEN", "REST_CHANNEL_TOKEN", "ACTION_SERVER_TOKEN",
                                             "AGENT_API_TOKEN", "WIDGET_SESSION_SECRET", "AGENT_SESSION_SECRET",
                                             "PAYMENT_LINK_SECRET"), secrets, strict=True) if value in log]


def _listening() -> list[tuple[str, int, int]]:
    """(address, port, process group) of every listening TCP socket on this machine (`ss -ltnp`)."""
    import re
    import subprocess

    found = []
    for line in subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout.splitlines():
        local = line.split()[3]
        address, port = local.rsplit(":", 1)
        for pid in re.findall(r"pid=(\d+)", line):
            try:
                found.append((address.strip("[]"), int(port), os.getpgid(int(pid))))
            except ProcessLookupError:
                pass
    return found


def _status_for_declared_body(port: int, path: str, size: int, token: str = "") -> int:
    """The status a server answers to a POST that announces `size` bytes (none sent: the limit is read first)."""
    authorization = f"Authorization: Bearer {token}\r\n" if token else ""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           f"{authorization}Content-Length: {size}\r\n\r\n".encode())
        return int(connection.recv(4096).split(b" ", 2)[1])


def test_only_nginx_listens_beyond_loopback_and_every_server_limits_bodies(profile):
    groups = {service.pid: service.name for service in profile.supervisor.services if service.running}
    ours = [(address, port, groups[group]) for address, port, group in _listening() if group in groups]
    assert {name for _address, _port, name in ours} >= {"nginx", "rasa-1", "rasa-2", "actions-1", "web-1"}
    exposed = sorted({(name, port) for address, port, name in ours if address not in ("127.0.0.1", "::1")})
    assert exposed == [("nginx", profile.proxy_port)]
    two_megabytes = 2 << 20
    for port in profile.ports(profile.rasa_port):
        assert _status_for_declared_body(port, "/webhooks/rest/webhook", two_megabytes) == 413
    for port in profile.ports(profile.web_port):
        assert _status_for_declared_body(port, "/payments/vnpay/ipn", two_megabytes) == 413
    for port in profile.ports(profile.actions_port):
        assert _status_for_declared_body(port, "/webhook", 17 << 20, profile.action_token) == 413
    assert _status_for_declared_body(profile.proxy_port, "/webhooks/rest/webhook", two_megabytes) == 413


def test_nginx_slows_a_burst_of_logins_from_one_client(profile):
    """Before any password is hashed: a client gets a burst of 10 tries, then one per 10 s (429 meanwhile)."""
    statuses = [requests.post(f"{profile.url}/agent/login{'/' if index % 2 else ''}", timeout=30,
                              data={"username": f"x{index}", "password": "wrong"}, allow_redirects=False).status_code
                for index in range(14)]  # with and without a trailing slash: one limit
    assert 429 in statuses and 500 not in statuses and statuses[0] != 429
    assert statuses[-1] == 429 and statuses[-2] == 429
    assert requests.get(f"{profile.url}/agent/login", timeout=10).status_code == 200  # the form is never limited
