"""A platform's picture CDN on https://localhost (Messenger's scontent…fbcdn.net, Zalo's …zdn.vn stand-in), with a
certificate made for the test run: serves the pictures a test puts in it, redirects, and trickles."""
from __future__ import annotations

import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def self_signed(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) for localhost, made with Debian's openssl."""
    cert, key = directory / "cdn-cert.pem", directory / "cdn-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class PictureCdn:
    """`files[path] = (content_type, body)`; `redirects[path] = location`; "/trickle" sends a byte a second."""

    def __init__(self, directory: Path) -> None:
        self.cert, self.key = self_signed(directory)
        self.files: dict[str, tuple[str, bytes]] = {}
        self.redirects: dict[str, str] = {}
        self.served: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://localhost:{self._server.server_address[1]}"

    def start(self) -> PictureCdn:
        cdn = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?")[0]
                cdn.served.append(path)
                if path in cdn.redirects:
                    self.send_response(302)
                    self.send_header("Location", cdn.redirects[path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif path == "/trickle":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.end_headers()
                    try:
                        for _ in range(30):
                            self.wfile.write(b"\x89")
                            self.wfile.flush()
                            time.sleep(1)
                    except OSError:
                        pass
                elif path in cdn.files:
                    kind, body = cdn.files[path]
                    self.send_response(200)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    try:
                        self.wfile.write(body)
                    except OSError:
                        pass  # the client stopped reading (a declared length over the limit): as a CDN sees it
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
