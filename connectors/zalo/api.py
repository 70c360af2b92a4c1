"""Zalo's OA API: the one place that talks HTTP to Zalo, for customer-service messages, files and token refresh.

POST {ZALO_API_BASE}/v3.0/oa/message/cs with the OA access token in the `access_token` header; a file (the
bill's PDF) is uploaded first to /v2.0/oa/upload/file and sent by the token Zalo gives for it. An
expired token is refreshed once (ZALO_OAUTH_URL, refresh_token grant) and the message sent again;
5xx answers and connection errors are retried three times with exponential backoff; any other
failure is logged (phone numbers masked) and the conversation goes on. Nothing here raises.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aiohttp

from connectors import http_retry
from connectors.config import redact
from connectors.recipients import platform_user_id
from connectors.zalo.config import CHANNEL, DEFAULT_API_BASE, DEFAULT_OAUTH_URL, ZaloConfig
from connectors.zalo.tokens import TokenStore, ZaloTokens
from evn.domain import linear_regex

logger = logging.getLogger(__name__)

CS_MESSAGE_PATH = "/v3.0/oa/message/cs"
UPLOAD_FILE_PATH = "/v2.0/oa/upload/file"  # multipart "file": PDF, DOC, DOCX up to 5 MB; answers data.token

TOKEN_ERROR_CODES = {-216, -124}
# `\b` spelled out with Unicode classes (RE2's `\b` is ASCII): "...\b(expired|invalid)\b" as `re` read it.
TOKEN_ERROR_TEXT = linear_regex.compile(r"access[ _]?token.*[^\w\n](expired|invalid)(?!\w)", linear_regex.IGNORECASE)


class ZaloApi:
    """Sends customer-service messages; never raises, answers True when Zalo accepted."""

    def __init__(
        self,
        *,
        app_id: str,
        oa_secret_key: str,
        tokens: ZaloTokens,
        api_base: str = DEFAULT_API_BASE,
        oauth_url: str = DEFAULT_OAUTH_URL,
        attempts: int = 3,
        backoff_base: float = 0.5,
        timeout: float = 10.0,
        store: TokenStore | None = None,
    ) -> None:
        self.store = store
        self.app_id = app_id
        self.oa_secret_key = oa_secret_key
        self.tokens = tokens
        self.api_base = api_base.rstrip("/")
        self.oauth_url = oauth_url
        self.attempts = max(1, attempts)
        self.backoff_base = backoff_base
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    @classmethod
    def from_config(cls, config: ZaloConfig, store: TokenStore | None = None) -> ZaloApi:
        return cls(
            app_id=config.app_id,
            oa_secret_key=config.oa_secret_key,
            tokens=ZaloTokens(config.access_token, config.refresh_token),
            api_base=config.api_base,
            oauth_url=config.oauth_url,
            store=store,
        )

    async def send(self, user_id: str, message: dict[str, Any]) -> bool:
        body = {"recipient": {"user_id": platform_user_id(CHANNEL, user_id)}, "message": message}
        return await self._authorised("message", CS_MESSAGE_PATH, lambda: {"json": body}) is not None

    async def upload_file(self, name: str, data: bytes, content_type: str = "application/pdf") -> str | None:
        """Uploads a file (PDF, DOC or DOCX up to 5 MB, Zalo's rule) to the OA: the token a file message sends,
        or None."""
        def form() -> dict[str, Any]:
            body = aiohttp.FormData()
            body.add_field("file", data, filename=name, content_type=content_type)
            return {"data": body}

        answer = await self._authorised("file upload", UPLOAD_FILE_PATH, form)
        found = answer.get("data") if answer is not None else None
        token = found.get("token") if isinstance(found, dict) else None
        return token if isinstance(token, str) and token else None

    async def _authorised(self, what: str, path: str,
                          body: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
        """POSTs to the OA API with the access token (refreshed once when Zalo says it expired): its JSON answer
        when Zalo accepted (error 0), else None. `body` makes the request's body anew for each attempt."""
        refreshed = False
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                while True:
                    token = self.tokens.access_token
                    answer = await self._with_retries(
                        what, lambda token=token: session.post(  # type: ignore[misc]
                            self.api_base + path, headers={"access_token": token}, **body()),
                    )
                    if answer is None:
                        return None
                    status, payload = answer
                    if not isinstance(payload, dict):
                        logger.warning("Zalo %s: HTTP %s with a body that is not JSON; dropped", what, status)
                        return None
                    error, text = payload.get("error"), payload.get("message", "")
                    if error == 0:
                        return payload
                    if _is_token_error(error, text) and not refreshed:
                        refreshed = True
                        if await self.refresh(token):
                            continue
                        return None
                    logger.warning("Zalo %s refused: error %s (%s), HTTP %s", what, error, redact(text), status)
                    return None
        except Exception:  # noqa: BLE001 - nothing may raise into Rasa
            logger.exception("Zalo %s: unexpected failure; dropped", what)
            return None

    async def refresh(self, failed_token: str) -> bool:
        """Trade the refresh token for new tokens, unless someone already did since `failed_token`."""
        try:
            async with self.tokens.refresh_lock():
                if self.tokens.access_token != failed_token:
                    return True  # refreshed meanwhile by another message
                if self.store is not None and await self._adopt_stored(failed_token):
                    return True  # refreshed meanwhile by another process
                form = {
                    "refresh_token": self.tokens.refresh_token,
                    "app_id": self.app_id,
                    "grant_type": "refresh_token",
                }
                async with aiohttp.ClientSession(timeout=self.timeout) as session:
                    answer = await self._with_retries(
                        "token refresh", lambda: session.post(
                            self.oauth_url, data=form, headers={"secret_key": self.oa_secret_key},
                        ),
                    )
                if answer is None:
                    return False
                status, payload = answer
                access = payload.get("access_token") if isinstance(payload, dict) else None
                if not isinstance(access, str) or not access:
                    details = payload if isinstance(payload, dict) else {}
                    logger.warning(
                        "Zalo token refresh refused: error %s (%s), HTTP %s", details.get("error"),
                        redact(details.get("error_description") or details.get("error_name")
                               or details.get("message", "")),
                        status,
                    )
                    return False
                refresh = payload.get("refresh_token")
                self.tokens.replace(access, refresh if isinstance(refresh, str) else None, payload.get("expires_in"))
                if self.store is not None:
                    await self.store.save(self.tokens.access_token, self.tokens.refresh_token)
                logger.info("Zalo access token refreshed")
                return True
        except Exception:  # noqa: BLE001
            logger.exception("Zalo token refresh: unexpected failure")
            return False

    async def _adopt_stored(self, failed_token: str) -> bool:
        stored = await self.store.load() if self.store is not None else None
        if stored is None or stored[0] == failed_token:
            return False
        self.tokens.replace(stored[0], stored[1])
        return True

    async def _with_retries(self, what: str, request: Callable[[], Any]) -> tuple[int, Any] | None:
        """(status, parsed JSON) of the first answer that is not a 5xx; None after the last try."""
        answer = await http_retry.call(f"Zalo {what}", request, self.attempts, self.backoff_base)
        if answer is not None and not isinstance(answer[1], (dict, type(None))):
            return answer[0], None  # not JSON
        return answer


def _is_token_error(error: Any, text: Any) -> bool:
    return error in TOKEN_ERROR_CODES or bool(TOKEN_ERROR_TEXT.search(str(text or "")))
