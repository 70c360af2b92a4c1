"""A tiny threaded HTTP server on 127.0.0.1 that records requests; fakes of outside services build on it."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeHttpServer:
    """Subclasses override `handle(method, path, query, headers, body) -> (status, json_body)`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def start(self) -> FakeHttpServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                record = {
                    "method": self.command, "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "headers": {k.lower(): v for k, v in self.headers.items()}, "raw": raw,
                }
                try:
                    record["json"] = json.loads(raw) if raw else None
                except ValueError:
                    record["json"] = None
                with fake._lock:
                    fake.requests.append(record)
                status, body = fake.handle(record)
                raw_body = isinstance(body, bytes)  # a file, as it is (a PDF); anything else as JSON
                payload = body if raw_body else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream" if raw_body else "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def handle(self, record: dict[str, Any]) -> tuple[int, Any]:
        return 404, {"error": "not faked"}

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
