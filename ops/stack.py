"""Start the web app, the worker, the action server and the Rasa server; stop them together.

Used by `make run`, the end-to-end tests and the benchmark, so that all three
start the assistant the same way. The action server listens on 127.0.0.1 only and
requires the shared token Rasa sends. Rasa is started through ops/rasa_server.py, which
gives it RASA_AUTH_TOKEN as its JWT secret from the environment: no secret is in any
process's command line, and its HTTP API is called with a JWT in the Authorization header
(evn/adapters/rasa_auth.py), never a token in the URL. Every process's output is masked and appended
to its log file (ops/logfiles.py). Every process is supervised (ops/supervisor.py):
one that crashes is started again with backoff while the others keep serving.
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from evn.adapters.rasa_auth import auth_headers
from evn.settings import Settings, development_secret, load_settings
from ops.endpoints import render as render_endpoints
from ops.endpoints import tracker_store
from ops.environments import app_python, rasa_executable, rasa_python
from ops.logfiles import RotatingLog
from ops.supervisor import Service, Supervisor

ROOT = Path(__file__).resolve().parents[1]
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONUNBUFFERED": "1",
}


def web_command() -> list[str]:
    """The web app, in the application's environment (ops/environments.py)."""
    return [app_python(), "-m", "webapp"]


def worker_command() -> list[str]:
    """The worker (the outbox and the notices), in the application's environment."""
    return [app_python(), "-m", "evn.entrypoints.worker"]


def actions_command(port: int, debug: bool = False) -> list[str]:
    """rasa-sdk's action server, in the application's environment (what `rasa run actions` starts, there)."""
    return [app_python(), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port),
            *(["--debug"] if debug else [])]


# The largest request body each server takes (Sanic's default is 100 MB, so a few bodies could fill the memory):
# customers' messages are at most 2.000 characters and webhooks small JSON, while Rasa posts a conversation's
# whole tracker and the domain to the action server. nginx refuses above 1 MB in front (ops/nginx_conf.py).
BODY_LIMITS = {"rasa": 1 << 20, "actions": 16 << 20, "web": 1 << 20}


def body_limit(env: dict[str, str], server: str) -> dict[str, str]:
    """`env` with Sanic's request size limit for `server` (rasa, actions or web); Sanic reads SANIC_* at start."""
    return {**env, "SANIC_REQUEST_MAX_SIZE": str(BODY_LIMITS[server])}


def actions_env(env: dict[str, str]) -> dict[str, str]:
    """Only the Rasa servers on this machine reach an action server."""
    return body_limit({**env, "SANIC_HOST": "127.0.0.1"}, "actions")


def rasa_command(port: int, endpoints: Path, debug: bool = False) -> list[str]:
    """`rasa run` with the HTTP API on, on this machine only (nginx faces the network in production); its JWT
    secret (RASA_AUTH_TOKEN) comes from the environment."""
    return [rasa_python(), "-m", "ops.rasa_server", "run", "--enable-api", "--cors", "*",
            "--interface", "127.0.0.1", "--port", str(port), "--model", "models", "--credentials", "credentials.yml",
            "--endpoints", str(endpoints), *(["--debug"] if debug else [])]


_HANDED_OUT: set[int] = set()


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port(count: int = 1) -> int:
    """A free port (the first of `count` consecutive ones) below the kernel's ephemeral range.

    A port from the ephemeral range (what binding port 0 gives) can be taken, before the
    server binds it, by an outgoing connection's source port — including a client polling
    that very port, which then connects to itself — and the server exits with "address in
    use" (seen in CI: Rasa binds only after loading its model).
    """
    top = _ephemeral_start() - count
    for _ in range(200):
        first = random.randrange(20000, top)
        ports = range(first, first + count)
        if _HANDED_OUT.intersection(ports) or not all(_bindable(port) for port in ports):
            continue
        _HANDED_OUT.update(ports)
        return first
    raise RuntimeError("no free port below the ephemeral range")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def log_tail(service: Service, lines: int = 30) -> str:
    """The end of a service's log, so that a failed start says why where it is reported (CI)."""
    for thread in service.pumps:
        thread.join(timeout=2)  # what the process printed last, copied before it is read
    if service.log is None or not service.log.path.exists():
        return "(no log)"
    return "\n".join(service.log.path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def wait_until(url: str, timeout: float, service: Service, check=lambda r: r.ok, restarted: bool = False,
               headers: Callable[[], dict[str, str]] = dict) -> None:
    """Waits for `url` to answer (each request with `headers()`: a fresh JWT for Rasa's /status).

    At a start, a process that exits before it answers is a failed start, not a crash to
    restart from; `restarted=True` waits instead for the supervisor to bring it back.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not restarted and (service.restarts or not service.running):
            raise RuntimeError(f"{service.name} exited before {url} answered; its log ends:\n{log_tail(service)}")
        try:
            if check(requests.get(url, headers=headers(), timeout=2)):
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Stack:
    """One action server and one Rasa server for a project directory."""

    project: Path = ROOT
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8080
    auth_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    agent_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    rest_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    widget_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    agent_session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    link_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    env: dict[str, str] = field(default_factory=dict)
    tracker_store_url: str = ""  # a SQL tracker store for the one Rasa process (default: Rasa's in memory)
    log_dir: Path | None = None
    with_actions: bool = True
    with_web: bool = True
    with_rasa: bool = True
    debug: bool = False  # --debug for the Rasa and action servers
    supervisor: Supervisor = field(default_factory=Supervisor)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def processes(self) -> list[subprocess.Popen]:
        """The current run of every supervised process."""
        return [service.process for service in self.supervisor.services if service.process is not None]

    def start(self, timeout: float = 240) -> Stack:
        env = {
            **os.environ,
            **QUIET_ENV,
            "PUBLIC_BASE_URL": f"http://localhost:{self.web_port}",
            "PAYMENT_LINK_SECRET": self.link_secret,
            "AGENT_API_TOKEN": self.agent_token,
            "REST_CHANNEL_TOKEN": self.rest_token,
            "WIDGET_SESSION_SECRET": self.widget_secret,
            "AGENT_SESSION_SECRET": self.agent_session_secret,
            **self.env,
            "ACTION_SERVER_TOKEN": self.action_token,
            "ACTIONS_PORT": str(self.actions_port),
            "RASA_PORT": str(self.rasa_port),
            "RASA_URL": self.rasa_url,
            "RASA_AUTH_TOKEN": self.auth_token,
            "WEB_PORT": str(self.web_port),
        }
        stores = {}
        if self.tracker_store_url:
            stores["tracker_store"] = tracker_store(self.tracker_store_url, one_process=True)
            env["TRACKER_STORE_URL"] = self.tracker_store_url  # the web app's report reads it
        endpoints = render_endpoints(
            self.project, f"http://127.0.0.1:{self.actions_port}/webhook", self.action_token,
            self.project / "var" / "run", str(self.rasa_port), extra=stores,
        )
        if self.with_web:
            web = self._spawn("web", web_command(), body_limit(env, "web"), health=f"{self.web_url}/health")
            # The one worker: payment confirmations (and later notices) reach the chats.
            worker = self._spawn("worker", worker_command(), env)
        if self.with_actions:
            actions = self._spawn("actions", actions_command(self.actions_port, self.debug), actions_env(env),
                                  health=f"http://127.0.0.1:{self.actions_port}/health")
        rasa = None if not self.with_rasa else self._spawn(
            "rasa", rasa_command(self.rasa_port, endpoints, self.debug), body_limit(env, "rasa"),
            health=f"{self.rasa_url}/",  # answered on Rasa's event loop: a stuck loop stops answering it
        )
        try:
            if self.with_web:
                wait_until(f"{self.web_url}/health", timeout, web)
                if worker.restarts or not worker.running:
                    raise RuntimeError("the worker exited at start (see its log)")
            if self.with_actions:
                wait_until(f"http://127.0.0.1:{self.actions_port}/health", timeout, actions)
            if rasa is not None:
                wait_until(
                    f"{self.rasa_url}/status", timeout, rasa,
                    check=lambda r: r.ok and bool(r.json().get("model_file")), headers=self.rasa_headers,
                )
        except Exception:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str], env: dict[str, str], health: str | None = None) -> Service:
        log = RotatingLog(self.log_dir / f"{name}-{self.rasa_port}.log") if self.log_dir is not None else None
        return self.supervisor.add(name, command, env, self.project, log, health=health)

    def stop(self) -> None:
        self.supervisor.stop()

    @property
    def rest_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.rest_token}"}

    def rasa_headers(self, conversation_id: str | None = None) -> dict[str, str]:
        """For Rasa's HTTP API: a JWT for one conversation, or an admin one (evn/adapters/rasa_auth.py)."""
        return auth_headers(self.auth_token, conversation_id)

    def say(self, sender: str, text: str, timeout: float = 60) -> list[dict]:
        """One REST turn as `sender` (the conversation is rest-<sender>)."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
            headers=self.rest_headers, timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


DEMO_TRACKER_STORE = f"sqlite:///{ROOT / 'var' / 'rasa-tracker.sqlite3'}"


def serve() -> int:
    """`make run`: start the three servers in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description=serve.__doc__)
    parser.parse_args()
    # Development secrets live in var/secrets/ (evn/settings/development_defaults.py): links and widget sessions
    # survive a restart, and the REST token printed below stays the same.
    settings = load_settings({**os.environ, "PAYMENT_SIMULATOR": os.environ.get("PAYMENT_SIMULATOR", "1")})
    stack = Stack(
        rasa_port=settings.rasa_port,
        actions_port=settings.actions_port,
        web_port=settings.web_port,
        auth_token=settings.rasa_auth_token,
        agent_token=settings.agent_api_token,
        rest_token=settings.rest_channel_token,
        action_token=settings.action_server_token or secrets.token_urlsafe(32),
        widget_secret=settings.widget_session_secret,
        agent_session_secret=settings.agent_session_secret,
        link_secret=settings.payment.link_secret,
        log_dir=ROOT / "var" / "log",
        # Conversations kept in a SQLite file: they outlive a restart, and the report counts them.
        tracker_store_url=settings.tracker_store_url or DEMO_TRACKER_STORE,
        env={
            # The local VNPay simulator is on for `make run` unless real VNPay settings are given.
            "PAYMENT_SIMULATOR": "1" if settings.payment.simulator else "0",
            "PUBLIC_BASE_URL": settings.payment.public_base_url,
        },
    )
    if settings.payment.simulator and not settings.simulator_active:
        print(f"Cổng VNPay mô phỏng KHÔNG chạy: đã có cấu hình VNPay thật ({', '.join(settings.vnpay_variables_set)}).",
              flush=True)
    print("Đang khởi động action server và Rasa server (khoảng 1 phút)…", flush=True)
    agent_login = ensure_agent(settings)
    stack.start()
    simulator_note = ", cổng VNPay mô phỏng" if settings.simulator_active else ""
    print(
        f"""
Trợ lý đã sẵn sàng.
  Chat trên web: http://localhost:{stack.web_port}/chat
  Rasa server:   {stack.rasa_url}  (REST, socket.io; HTTP API bật, cần JWT ký bằng RASA_AUTH_TOKEN:
                 curl -H "Authorization: Bearer $({sys.executable} -m evn.adapters.rasa_auth)" {stack.rasa_url}/status)
  Action server: http://127.0.0.1:{stack.actions_port}  (chỉ máy này, cần ACTION_SERVER_TOKEN)
  Web app:       {stack.web_url}  (trang thanh toán /pay/…{simulator_note})
  Bàn nhân viên: http://localhost:{stack.web_port}/agent  ({agent_login})
                 báo cáo vận hành: http://localhost:{stack.web_port}/agent/report
                 hàng chờ dạng JSON: curl -H 'Authorization: Bearer {stack.agent_token}' {stack.web_url}/agent/handoffs
  Nhật ký:       var/log/  (ghi tiếp, xoay vòng; số điện thoại, CCCD, địa chỉ đã che)

Chat thử bằng curl (kênh REST cần REST_CHANNEL_TOKEN):
  curl -s -XPOST {stack.rasa_url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -H 'Authorization: Bearer {stack.rest_token}' \\
       -d '{{"sender": "demo", "message": "tiền điện tháng 10/2026 bao nhiêu"}}'

Hoặc chat trong terminal (một Rasa thứ hai trên cổng khác, dùng chung action server):
  {rasa_executable()} shell --endpoints var/run/endpoints-{stack.rasa_port}.yml -i 127.0.0.1 \\
    --port {stack.rasa_port + 1}

Khách hàng mẫu: PE01000000001 / 0901234567, PD01000000002 / 0912345678.
Nhấn Ctrl-C để dừng.""",
        flush=True,
    )
    stopping = False

    def _stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:  # a process that exits is restarted by the supervisor
            time.sleep(0.5)
    finally:
        print("\nĐang dừng…", flush=True)
        stack.stop()
    return 0


DEMO_AGENT, DEMO_AGENT_NAME = "demo", "Minh Anh"


def ensure_agent(settings: Settings) -> str:
    """Creates or updates the console's agent: AGENT_USER / AGENT_PASSWORD when set, else the demo agent
    (its password kept in var/secrets/, so it stays the same between runs). Returns how to log in."""
    from evn.bootstrap import bootstrap

    if settings.agent_user and settings.agent_password:
        username, password, name, shown = settings.agent_user, settings.agent_password, "", "AGENT_PASSWORD"
    elif settings.production:
        return "chưa tạo nhân viên: đặt AGENT_USER và AGENT_PASSWORD, hoặc python -m evn.agents add <tên>"
    else:
        username, name = DEMO_AGENT, DEMO_AGENT_NAME
        password = shown = development_secret("AGENT_DEMO_PASSWORD")
    core = bootstrap(settings, pool_size=1)
    try:
        agent, _ = core.agents.add_or_update(username, password, name)
    finally:
        if core.engine is not None:
            core.engine.dispose()
    return f"đăng nhập: {agent.username} / {shown}"


if __name__ == "__main__":
    sys.exit(serve())
