"""Start the action server and the Rasa server, wait until both answer, stop them together.

Used by `make run`, the end-to-end tests and the benchmark, so that all three
start the assistant the same way.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONUNBUFFERED": "1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(url: str, timeout: float, process: subprocess.Popen, check=lambda r: r.ok) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before {url} answered")
        try:
            if check(requests.get(url, timeout=2)):
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
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    with_actions: bool = True
    with_web: bool = True
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start(self, timeout: float = 240) -> "Stack":
        env = {
            **os.environ,
            **QUIET_ENV,
            "PUBLIC_BASE_URL": f"http://localhost:{self.web_port}",
            "PAYMENT_LINK_SECRET": secrets.token_urlsafe(32),
            "AGENT_API_TOKEN": self.agent_token,
            **self.env,
            "ACTIONS_PORT": str(self.actions_port),
            "RASA_PORT": str(self.rasa_port),
            "RASA_URL": self.rasa_url,
            "RASA_AUTH_TOKEN": self.auth_token,
            "WEB_PORT": str(self.web_port),
        }
        if self.with_web:
            web = self._spawn("web", [sys.executable, "-m", "webapp"], env)
        if self.with_actions:
            actions = self._spawn(
                "actions",
                [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(self.actions_port)],
                env,
            )
        rasa = self._spawn(
            "rasa",
            [str(BIN / "rasa"), "run", "--enable-api", "--auth-token", self.auth_token, "--cors", "*",
             "--port", str(self.rasa_port), "--model", "models", "--credentials", "credentials.yml",
             "--endpoints", "endpoints.yml"],
            env,
        )
        try:
            if self.with_web:
                wait_until(f"{self.web_url}/health", timeout, web)
            if self.with_actions:
                wait_until(f"http://127.0.0.1:{self.actions_port}/health", timeout, actions)
            wait_until(
                f"{self.rasa_url}/status?token={self.auth_token}", timeout, rasa,
                check=lambda r: r.ok and bool(r.json().get("model_file")),
            )
        except Exception:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = subprocess.DEVNULL
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.log_dir / f"{name}-{self.rasa_port}.log", "w")
        process = subprocess.Popen(
            command, cwd=self.project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()

    def say(self, sender: str, text: str, timeout: float = 60) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout
        )
        response.raise_for_status()
        return response.json()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def _local_secret() -> str:
    """A link-signing secret kept in var/ so links survive a restart of `make run`."""
    path = ROOT / "var" / "payment_link_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def serve() -> int:
    """`make run`: start both servers in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description=serve.__doc__)
    parser.parse_args()
    token = os.environ.get("RASA_AUTH_TOKEN") or secrets.token_urlsafe(24)
    stack = Stack(
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTIONS_PORT", "5055")),
        web_port=int(os.environ.get("WEB_PORT", "8080")),
        auth_token=token,
        agent_token=os.environ.get("AGENT_API_TOKEN") or secrets.token_urlsafe(24),
        log_dir=ROOT / "var" / "log",
        env={
            # The local VNPay simulator is on for `make run`; production sets PAYMENT_SIMULATOR=0.
            "PAYMENT_SIMULATOR": os.environ.get("PAYMENT_SIMULATOR", "1"),
            "PAYMENT_LINK_SECRET": os.environ.get("PAYMENT_LINK_SECRET") or _local_secret(),
            **({"PUBLIC_BASE_URL": os.environ["PUBLIC_BASE_URL"]} if os.environ.get("PUBLIC_BASE_URL") else {}),
        },
    )
    print("Đang khởi động action server và Rasa server (khoảng 1 phút)…", flush=True)
    stack.start()
    print(
        f"""
Trợ lý đã sẵn sàng.
  Chat trên web: http://localhost:{stack.web_port}/chat
  Rasa server:   {stack.rasa_url}  (REST, socket.io; HTTP API bật, token: {'RASA_AUTH_TOKEN' if os.environ.get('RASA_AUTH_TOKEN') else token})
  Action server: http://127.0.0.1:{stack.actions_port}
  Web app:       {stack.web_url}  (trang thanh toán /pay/…, cổng VNPay mô phỏng)
  Nhân viên:     curl -H 'Authorization: Bearer {stack.agent_token}' {stack.web_url}/agent/handoffs
  Nhật ký:       var/log/

Chat thử bằng curl:
  curl -s -XPOST {stack.rasa_url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -d '{{"sender": "demo", "message": "tiền điện tháng 10/2026 bao nhiêu"}}'

Hoặc chat trong terminal (một Rasa thứ hai trên cổng khác, dùng chung action server):
  ACTIONS_PORT={stack.actions_port} .venv/bin/rasa shell --endpoints endpoints.yml --port {stack.rasa_port + 1}

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
        while not stopping and all(p.poll() is None for p in stack.processes):
            time.sleep(0.5)
    finally:
        print("\nĐang dừng…", flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
