"""Documents a channel must upload itself (Zalo sends a file by the token of an upload, not by its URL): the bill's
PDF fetched from this deployment's own web app, by the signed link the action made.

Only a link of PUBLIC_BASE_URL's scheme and host whose path is a document token's is fetched (nothing a reply could
point elsewhere, no dot segment), over at most 10 s,
at most 5 MB (Zalo's limit for a file), and only a PDF by its first bytes. Never raises: None when it cannot.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

import aiohttp

from evn.domain import linear_regex
from evn.settings import load_settings

logger = logging.getLogger(__name__)

_PATH = linear_regex.compile(r"/documents/[A-Za-z0-9_-]{1,80}\.[A-Za-z0-9_-]{10,40}\.pdf")

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=10)


class DocumentFetcher:
    def __init__(self, public_base_url: str | None = None) -> None:
        base = urlsplit(public_base_url if public_base_url is not None else load_settings().payment.public_base_url)
        self.origin = (base.scheme, base.netloc)
        self.base_path = base.path.rstrip("/")

    def ours(self, url: object) -> bool:
        """A document link of this deployment: its scheme and host exactly, and a token's path, nothing else."""
        if not isinstance(url, str) or len(url) > 300:
            return False
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        path = parts.path.removeprefix(self.base_path)
        return ((parts.scheme, parts.netloc) == self.origin and parts.path.startswith(self.base_path)
                and not parts.query and not parts.fragment and _PATH.fullmatch(path) is not None)

    async def fetch(self, url: object) -> bytes | None:
        if not self.ours(url):
            logger.warning("documents.fetch.refused: not a document link of this deployment")
            return None
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as session, \
                    session.get(str(url), allow_redirects=False) as answer:
                if answer.status != 200:
                    logger.warning("documents.fetch.failed: HTTP %s", answer.status)
                    return None
                data = await answer.content.read(MAX_BYTES + 1)
        except Exception:  # noqa: BLE001 - a file that cannot be fetched is sent as its link instead
            logger.exception("documents.fetch.failed")
            return None
        if len(data) > MAX_BYTES or not data.startswith(b"%PDF-"):
            logger.warning("documents.fetch.refused: not a PDF of at most 5 MB")
            return None
        return data
