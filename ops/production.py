"""The production profile on one machine: `make run-production`, its tests and the load test.

PostgreSQL holds the business database and Rasa's SQL tracker store, Redis Rasa's lock
store and the widget's socket.io rooms, RabbitMQ Rasa's event broker. In front, nginx on
PROXY_PORT (ops/nginx_conf.py); behind it 2 Rasa servers (RASA_PORT, +1), 2 action
servers (ACTIONS_PORT, +1; Rasa server i calls action server i), 2 web apps (WEB_PORT,
+1) and the worker, all supervised (ops/supervisor.py).

Settings come from the environment (`.env.production.example` lists them). With
APP_ENV=production every secret must be given and real; without it (this machine, a
demo) the development secrets of var/secrets/ are used, the demo customers are seeded
and the VNPay simulator is on, so the same topology can be tried and tested here.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy import create_engine, text

from evn.adapters.db import make_engine
from evn.adapters.rasa_auth import auth_headers
from evn.settings import Settings, load_settings
from ops.endpoints import render as render_endpoints
from ops.endpoints import shared_stores
from ops.logfiles import RotatingLog
from ops.nginx_conf import render as render_nginx
from ops.stack import (
    QUIET_ENV,
    ROOT,
    actions_command,
    actions_env,
    body_limit,
    ensure_agent,
    rasa_command,
    wait_until,
    web_command,
    worker_command,
)
from ops.supervisor import Service, Supervisor

COPIES = 2
DEFAULTS = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/evn",
    "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:5432/evn_rasa",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/",
}
NGINX = next((path for path in ("/usr/sbin/nginx", "/usr/bin/nginx") if Path(path).exists()), "nginx")


def ensure_database(url: str) -> None:
    """Creates the PostgreSQL database `url` names when it does not exist (from the server's `postgres` db)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = create_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


@dataclass
class Profile:
    """Every process of the profile, on ports counted from the first of each kind."""

    env: dict[str, str] = field(default_factory=dict)  # settings for every process (over os.environ)
    proxy_port: int = 8000
    internal_proxy_port: int = 8001
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8080
    copies: int = COPIES
    run_dir: Path = ROOT / "var" / "run" / "production"
    log_dir: Path = ROOT / "var" / "log"
    seed_customers: int = 1000
    supervisor: Supervisor = field(default_factory=Supervisor)

    def __post_init__(self) -> None:
        merged = {**DEFAULTS, **{k: v for k, v in os.environ.items() if k in DEFAULTS}, **self.env}
        self.settings: Settings = load_settings({**os.environ, **merged})
        self.action_token = self.settings.action_server_token or secrets.token_urlsafe(32)

    # -- addresses -------------------------------------------------------------------------------
    def ports(self, first: int) -> list[int]:
        return [first + index for index in range(self.copies)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def internal_url(self) -> str:
        return f"http://127.0.0.1:{self.internal_proxy_port}"

    @property
    def health_targets(self) -> list[str]:
        return ([f"http://127.0.0.1:{port}/" for port in self.ports(self.rasa_port)]
                + [f"http://127.0.0.1:{port}/health" for port in self.ports(self.actions_port)]
                + [f"http://127.0.0.1:{port}/health" for port in self.ports(self.web_port)])

    def process_env(self) -> dict[str, str]:
        """What every process of the profile reads: the same secrets, stores and public addresses."""
        settings = self.settings
        public = f"http://localhost:{self.proxy_port}"
        return {
            **QUIET_ENV, "PUBLIC_BASE_URL": public, "RASA_PUBLIC_URL": public, **os.environ, **self.env,
            "DATABASE_URL": settings.database_url, "TRACKER_STORE_URL": settings.tracker_store_url,
            "REDIS_URL": settings.redis_url, "RABBITMQ_URL": settings.rabbitmq_url,
            "PROXY_PORT": str(self.proxy_port), "INTERNAL_PROXY_PORT": str(self.internal_proxy_port),
            "RASA_URL": self.internal_url,  # Rasa's HTTP API, whichever process answers
            "HEALTH_TARGETS": ",".join(self.health_targets),
            "PAYMENT_LINK_SECRET": settings.payment.link_secret, "AGENT_API_TOKEN": settings.agent_api_token,
            "REST_CHANNEL_TOKEN": settings.rest_channel_token, "WIDGET_SESSION_SECRET": settings.widget_session_secret,
            "AGENT_SESSION_SECRET": settings.agent_session_secret,
            "RASA_AUTH_TOKEN": settings.rasa_auth_token, "ACTION_SERVER_TOKEN": self.action_token,
            "WEB_HOST": "127.0.0.1",  # only nginx faces the network
        }

    # -- start and stop --------------------------------------------------------------------------
    def prepare_databases(self) -> None:
        """Both databases exist; the business one is migrated (and, outside production, seeded)."""
        ensure_database(self.settings.database_url)
        ensure_database(self.settings.tracker_store_url)
        if self.settings.production:
            from evn.adapters.migrate import upgrade

            upgrade(self.settings.database_url)  # as `python -m evn.adapters.migrate` does in a container
        else:
            from datetime import date

            from evn.demo.seed import seed

            seed(make_engine(self.settings.database_url), self.seed_customers, date(2026, 11, 1), quiet=True)

    def start(self, timeout: float = 300) -> Profile:
        self.prepare_databases()
        env = self.process_env()
        stores = shared_stores(self.settings)
        started: list[tuple[Service, str]] = []
        for index, port in enumerate(self.ports(self.web_port), 1):
            health = f"http://127.0.0.1:{port}/health"
            web_env = body_limit({**env, "WEB_PORT": str(port)}, "web")
            service = self._spawn(f"web-{index}", web_command(), web_env, health)
            started.append((service, health))
        self._spawn("worker", worker_command(), env)
        for index, port in enumerate(self.ports(self.actions_port), 1):
            health = f"http://127.0.0.1:{port}/health"
            service = self._spawn(f"actions-{index}", actions_command(port),
                                  actions_env({**env, "ACTIONS_PORT": str(port)}), health)
            started.append((service, health))
        try:
            # One Rasa server after the other: the first creates the tracker store's tables, which two
            # creating at once could race on.
            for index, (port, actions) in enumerate(zip(self.ports(self.rasa_port), self.ports(self.actions_port),
                                                        strict=True), 1):
                endpoints = render_endpoints(ROOT, f"http://127.0.0.1:{actions}/webhook", self.action_token,
                                             self.run_dir, str(port), extra=stores)
                rasa = self._spawn(f"rasa-{index}", rasa_command(port, endpoints),
                                   body_limit({**env, "RASA_PORT": str(port)}, "rasa"), f"http://127.0.0.1:{port}/")
                wait_until(f"http://127.0.0.1:{port}/status", timeout, rasa,
                           check=lambda r: r.ok and bool(r.json().get("model_file")), headers=self.rasa_headers)
            conf = render_nginx(self.run_dir / "nginx", self.log_dir, self.proxy_port, self.internal_proxy_port,
                                self.ports(self.rasa_port), self.ports(self.web_port))
            nginx = self._spawn("nginx", [NGINX, "-c", str(conf), "-g", "daemon off;"], env)
            for service, url in started:
                wait_until(url, timeout, service)
            wait_until(f"{self.url}/healthz", 60, nginx)
        except Exception:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str], env: dict[str, str], health: str | None = None) -> Service:
        """A supervised process; with `health`, one that is restarted when it stops answering that URL."""
        return self.supervisor.add(name, command, env, ROOT, RotatingLog(self.log_dir / f"{name}.log"), health=health)

    def stop(self) -> None:
        self.supervisor.stop()

    def __enter__(self) -> Profile:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- talking to it ---------------------------------------------------------------------------
    @property
    def rest_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.rest_channel_token}"}

    def rasa_headers(self, conversation_id: str | None = None) -> dict[str, str]:
        """For Rasa's HTTP API: a JWT for one conversation, or an admin one (evn/adapters/rasa_auth.py)."""
        return auth_headers(self.settings.rasa_auth_token, conversation_id)

    def say(self, sender: str, message: str, timeout: float = 60) -> list[dict]:
        """One REST turn through nginx (the conversation is rest-<sender>)."""
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 headers=self.rest_headers, timeout=timeout)
        response.raise_for_status()
        return response.json()


def serve() -> int:
    """`make run-production`: the profile in the foreground until Ctrl-C."""
    argparse.ArgumentParser(description=serve.__doc__).parse_args()
    settings = load_settings({**DEFAULTS, **os.environ})
    profile = Profile(
        proxy_port=settings.proxy_port, internal_proxy_port=settings.internal_proxy_port,
        rasa_port=settings.rasa_port, actions_port=settings.actions_port, web_port=settings.web_port,
        env={} if settings.production else {"PAYMENT_SIMULATOR": os.environ.get("PAYMENT_SIMULATOR", "1")},
    )
    mode = ("APP_ENV=production" if settings.production else
            "APP_ENV=development: bí mật của var/secrets/, khách hàng mẫu, cổng VNPay mô phỏng — "
            "đặt APP_ENV=production và các biến của .env.production.example để phục vụ khách thật")
    print(f"Đang khởi động cấu hình production ({mode})…", flush=True)
    profile.start()
    agent_login = ensure_agent(settings)
    ports = {kind: ", ".join(str(port) for port in profile.ports(first)) for kind, first in
             (("rasa", profile.rasa_port), ("actions", profile.actions_port), ("web", profile.web_port))}
    print(f"""
Sẵn sàng, qua nginx: http://localhost:{profile.proxy_port}
  Chat trên web:   http://localhost:{profile.proxy_port}/chat
  Kiểm tra:        http://localhost:{profile.proxy_port}/healthz
  Bàn nhân viên:   http://localhost:{profile.proxy_port}/agent  ({agent_login})
  Rasa:            {ports['rasa']} (SQL tracker store, Redis lock store, RabbitMQ)
  Action server:   {ports['actions']} (127.0.0.1)
  Web app:         {ports['web']} (127.0.0.1)
  Nhật ký:         var/log/
Nhấn Ctrl-C để dừng.""", flush=True)
    stopping = False

    def _stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            time.sleep(0.5)
    finally:
        print("\nĐang dừng…", flush=True)
        profile.stop()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
