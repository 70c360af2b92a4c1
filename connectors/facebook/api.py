"""The Graph API's Send API (POST {graph}/me/messages): the one place that talks HTTP to Messenger.

The base URL is configurable, so tests use a fake server. One connection pool is shared by the
sends of a batch; a 5xx or a refused connection is retried once (a timeout is not: Graph may have
delivered it). Errors are logged (phone numbers masked, the token never) and never raised.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from connectors import http_retry
from connectors.config import redact

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v19.0"
SEND_TIMEOUT_SECONDS = 10
RETRY_DELAY_SECONDS = 0.5


class SendApi:
    """POSTs Send API bodies with the page access token; answers True when Graph accepted, never raises."""

    def __init__(self, page_access_token: str, graph_url: str = DEFAULT_GRAPH_URL) -> None:
        self.page_access_token = page_access_token
        self.graph_url = (graph_url or DEFAULT_GRAPH_URL).rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[aiohttp.ClientSession]:
        """Share one HTTP connection pool between the sends inside this block."""
        if self._session is not None and not self._session.closed:
            yield self._session
            return
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)) as session:
            self._session = session
            try:
                yield session
            finally:
                self._session = None

    async def send(self, body: dict[str, Any]) -> bool:
        """POST one Send API body (recipient, message, messaging_type…). True when Graph accepted it."""
        try:
            async with self.session() as session:
                return await self._post(session, body)
        except Exception as error:  # noqa: BLE001 - never raised into Rasa
            logger.error(
                "facebook.send.failed: %s %s", error.__class__.__name__, redact(str(error), self.page_access_token)
            )
            return False

    async def _post(self, session: aiohttp.ClientSession, body: dict[str, Any]) -> bool:
        url = f"{self.graph_url}/me/messages"
        recipient = "…" + body["recipient"]["id"][-4:]
        # A timeout is not retried: Graph may have delivered it, and a duplicate is worse than a gap.
        answer = await http_retry.call(
            "facebook.send", lambda: session.post(url, params={"access_token": self.page_access_token}, json=body),
            attempts=2, backoff_base=RETRY_DELAY_SECONDS, retry_timeouts=False,
        )
        if answer is None:
            logger.error("facebook.send.failed: no answer from the Graph API, recipient %s", recipient)
            return False
        status, payload = answer
        if status < 300:
            return True
        logger.error("facebook.send.failed: HTTP %d, recipient %s, %s", status, recipient,
                     self._describe_error(payload))
        return False

    def _describe_error(self, payload: Any) -> str:
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict):
            text = (
                f"code {error.get('code')} subcode {error.get('error_subcode')} type {error.get('type')}: "
                f"{error.get('message')} (fbtrace_id {error.get('fbtrace_id')})"
            )
        else:
            text = str(payload)[:300]
        return redact(text, self.page_access_token)
