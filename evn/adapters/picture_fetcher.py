"""A picture fetched from a platform's CDN: HTTPS on port 443 to an allowed host only, no "@" in the address, every
redirect checked again, no private or loopback address (but in development, for the tests' fake platforms, on any
port), at most 5 MB of bytes as sent (no compression) read while streaming, within a deadline over every hop, no
cookie kept. The URL, which carries the platform's signature, is never logged. Left: the host is resolved for the
check and again by the connection (a DNS answer that changes between the two is not caught)."""
from __future__ import annotations

import ipaddress
import socket
import time
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urljoin, urlsplit

import requests

from evn.domain.pictures import MAX_BYTES, REDIRECTS, PictureRefused, Refusal, host_allowed

# The whole fetch fits well inside a turn (TURN_TIMEOUT_SECONDS, 8 s by default), decoding included.
CONNECT_TIMEOUT, READ_TIMEOUT, DEADLINE = 3.05, 3.0, 5.0
CHUNK = 64 * 1024


class PictureFetcher:
    def __init__(self, ca_bundle: str = "", allow_loopback: bool = False) -> None:
        self.verify: str | bool = ca_bundle or True
        self.allow_loopback = allow_loopback
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy from the environment sees the platform's signed URLs
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # no customer's fetch sets another's
        self.session.headers["Accept-Encoding"] = "identity"  # the 5 MB are bytes on the wire, never inflated

    def fetch(self, url: str, hosts: tuple[str, ...]) -> bytes:
        started = time.monotonic()
        for _hop in range(REDIRECTS + 1):
            parts = urlsplit(url)
            try:
                port = parts.port or 443
            except ValueError:
                raise PictureRefused(Refusal.FOREIGN_HOST) from None
            if (parts.scheme != "https" or not host_allowed(parts.hostname, hosts) or "@" in parts.netloc
                    or (port != 443 and not self.allow_loopback)):
                raise PictureRefused(Refusal.FOREIGN_HOST)
            if time.monotonic() - started > DEADLINE:
                raise PictureRefused(Refusal.UNREACHABLE)
            self._check_addresses(parts.hostname or "", port)
            try:
                with self.session.get(url, stream=True, allow_redirects=False, verify=self.verify,
                                      timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)) as answer:
                    if answer.is_redirect:
                        url = urljoin(url, answer.headers.get("location", ""))
                        continue
                    if answer.status_code != 200:
                        raise PictureRefused(Refusal.UNREACHABLE)
                    if answer.headers.get("content-encoding", "identity").lower() != "identity":
                        raise PictureRefused(Refusal.NOT_AN_IMAGE)  # asked for the bytes as they are
                    declared = answer.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > MAX_BYTES:
                        raise PictureRefused(Refusal.TOO_LARGE)
                    return self._body(answer, started)
            except requests.RequestException:
                raise PictureRefused(Refusal.UNREACHABLE) from None
        raise PictureRefused(Refusal.FOREIGN_HOST)  # redirected round and round

    @staticmethod
    def _body(answer: requests.Response, started: float) -> bytes:
        body = bytearray()
        while chunk := answer.raw.read1(CHUNK, decode_content=False):  # what has arrived, not a full chunk
            body += chunk
            if len(body) > MAX_BYTES:
                raise PictureRefused(Refusal.TOO_LARGE)
            if time.monotonic() - started > DEADLINE:
                raise PictureRefused(Refusal.UNREACHABLE)  # a trickle: the customer is not kept waiting
        return bytes(body)

    def _check_addresses(self, host: str, port: int) -> None:
        """Every address the host resolves to is public (a platform's CDN), so no URL reaches inside."""
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            raise PictureRefused(Refusal.UNREACHABLE) from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if address.is_loopback and self.allow_loopback:
                continue
            if not address.is_global:
                raise PictureRefused(Refusal.FOREIGN_HOST)
