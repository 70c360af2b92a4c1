"""A fake Zalo OA API: customer-service messages and the OAuth token refresh.

Speaks the wire format the channel relies on (facts.md, "Zalo Official Account"):
POST /v3.0/oa/message/cs with an `access_token` header answers HTTP 200 with
{"error": 0, "message": "Success", "data": {...}} or a negative error code;
POST /v4/oa/access_token (form: refresh_token, app_id, grant_type=refresh_token;
header secret_key) issues a new access token and a new, single-use refresh token.
The error codes other than -216 (invalid access token) are stand-ins: the channel
only needs "negative = refused".

Switches for tests: expire_token() makes the current access token invalid until the
next refresh; fail_next(n, status) answers the next n requests with that HTTP status.
"""
from __future__ import annotations

import copy
import re
import threading
import uuid
from email.parser import BytesParser
from email.policy import default
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.http_fake import FakeHttpServer

CS_PATH = "/v3.0/oa/message/cs"
UPLOAD_FILE_PATH = "/v2.0/oa/upload/file"  # multipart "file": PDF, DOC, DOCX up to 5 MB -> data.token
MAX_FILE = 5 * 1024 * 1024
FILE_TYPES = {"application/pdf", "application/msword",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
TOKEN_PATH = "/v4/oa/access_token"
ZNS_PATH = "/message/template"  # business.openapi.zalo.me/message/template
MAX_TEXT = 2000
MAX_BUTTONS = 5
BUTTON_TYPES = {"oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.phone", "oa.open.sms"}

INVALID_TOKEN = {"error": -216, "message": "Access token is invalid"}


def _refused(code: int, message: str) -> dict[str, Any]:
    return {"error": code, "message": message}


class FakeZaloApi(FakeHttpServer):
    def __init__(self, app_id: str, access_token: str, refresh_token: str, secret_key: str | None = None) -> None:
        """`secret_key`: the OA secret the refresh must present; None accepts any non-empty one."""
        super().__init__()
        self.app_id, self.access_token, self.refresh_token = app_id, access_token, refresh_token
        self.secret_key = secret_key
        self._state = threading.Lock()
        self._valid_token: str | None = access_token
        self._generation = 1
        self._fail_remaining = 0
        self._fail_status = 502
        self._sent: list[dict[str, Any]] = []
        self.refreshes = 0
        self.zns_templates: set[str] = set()  # the OA's approved ZNS templates, by id
        self.zns: list[dict[str, Any]] = []  # accepted ZNS requests
        self.files: dict[str, tuple[str, str, bytes]] = {}  # uploaded files by token: (name, type, bytes)

    # ------------------------------------------------------------------ switches

    def expire_token(self) -> None:
        """The current access token stops working; a refresh issues a working one."""
        with self._state:
            self._valid_token = None

    def fail_next(self, n: int, status: int = 502) -> None:
        with self._state:
            self._fail_remaining, self._fail_status = n, status

    # ------------------------------------------------------------------ what was sent

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Accepted message bodies ({"recipient": …, "message": …}), oldest first."""
        with self._state:
            return copy.deepcopy(self._sent)

    def messages_for(self, user_id: str) -> list[dict[str, Any]]:
        return [body["message"] for body in self.sent if body["recipient"]["user_id"] == user_id]

    def texts_for(self, user_id: str) -> list[str]:
        return [message.get("text", "") for message in self.messages_for(user_id)]

    def clear(self) -> None:
        super().clear()
        with self._state:
            self._sent.clear()

    # ------------------------------------------------------------------ the API

    def handle(self, record: dict[str, Any]) -> tuple[int, Any]:
        with self._state:
            if self._fail_remaining > 0:
                self._fail_remaining -= 1
                return self._fail_status, {"error": "upstream unavailable"}
            if record["method"] == "POST" and record["path"] == CS_PATH:
                return 200, self._message(record)
            if record["method"] == "POST" and record["path"] == TOKEN_PATH:
                return 200, self._refresh(record)
            if record["method"] == "POST" and record["path"] == ZNS_PATH:
                return 200, self._template(record)
            if record["method"] == "POST" and record["path"] == UPLOAD_FILE_PATH:
                return 200, self._upload(record)
        return 404, {"error": -404, "message": "not faked"}

    def _message(self, record: dict[str, Any]) -> dict[str, Any]:
        token = record["headers"].get("access_token")
        if not token or token != self._valid_token:
            return dict(INVALID_TOKEN)
        body = record["json"]
        problem = _problem_with(body, self.files)
        if problem is not None:
            return problem
        self._sent.append(copy.deepcopy(body))
        user_id = body["recipient"]["user_id"]
        return {"error": 0, "message": "Success", "data": {"message_id": uuid.uuid4().hex, "user_id": user_id}}

    def _upload(self, record: dict[str, Any]) -> dict[str, Any]:
        """A file for file messages: multipart field "file", a PDF/DOC/DOCX of at most 5 MB."""
        token = record["headers"].get("access_token")
        if not token or token != self._valid_token:
            return dict(INVALID_TOKEN)
        kind = record["headers"].get("content-type", "")
        form = BytesParser(policy=default).parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + record["raw"])
        parts = [part for part in form.iter_parts() if part.get_param("name", header="content-disposition") == "file"] \
            if form.is_multipart() else []
        if len(parts) != 1:
            return _refused(-201, "file is missing")
        data = parts[0].get_payload(decode=True) or b""
        if parts[0].get_content_type() not in FILE_TYPES:
            return _refused(-211, "File type is not supported")
        if not data or len(data) > MAX_FILE:
            return _refused(-210, "File size is invalid")
        file_token = uuid.uuid4().hex
        self.files[file_token] = (parts[0].get_filename() or "", parts[0].get_content_type(), data)
        return {"error": 0, "message": "Success", "data": {"token": file_token}}

    def file_messages_for(self, user_id: str) -> list[tuple[str, bytes]]:
        """(file name, bytes) of each file message sent to the user."""
        found = []
        for message in self.messages_for(user_id):
            attachment = message.get("attachment") or {}
            if attachment.get("type") == "file":
                name, _kind, data = self.files[attachment["payload"]["token"]]
                found.append((name, data))
        return found

    def _template(self, record: dict[str, Any]) -> dict[str, Any]:
        """ZNS: a template approved for this OA, sent to a phone as 84xxxxxxxxx."""
        token = record["headers"].get("access_token")
        if not token or token != self._valid_token:
            return dict(INVALID_TOKEN)
        body = record["json"]
        if not isinstance(body, dict) or not re.fullmatch(r"84\d{9,10}", str(body.get("phone", ""))):
            return {"error": -108, "message": "Phone number is invalid"}
        if str(body.get("template_id")) not in self.zns_templates:
            return {"error": -124, "message": "Template is invalid"}
        data = body.get("template_data")
        if not isinstance(data, dict) or not all(isinstance(v, str | int | float) for v in data.values()):
            return {"error": -118, "message": "Template data is invalid"}
        tracking = body.get("tracking_id")
        if tracking is not None and (not isinstance(tracking, str) or len(tracking) > 48):
            return {"error": -137, "message": "tracking_id is invalid"}
        self.zns.append(copy.deepcopy(body))
        return {"error": 0, "message": "Success", "data": {
            "msg_id": uuid.uuid4().hex, "sent_time": "1700000000000",
            "quota": {"dailyQuota": "500", "remainingQuota": str(499 - len(self.zns))}}}

    def _refresh(self, record: dict[str, Any]) -> dict[str, Any]:
        form = {key: values[0] for key, values in parse_qs(record["raw"].decode("utf-8", "replace")).items()}
        secret = record["headers"].get("secret_key")
        if not secret or (self.secret_key is not None and secret != self.secret_key):
            return {"error": -14002, "error_name": "Invalid secret key", "error_description": "secret_key is invalid"}
        if form.get("app_id") != self.app_id:
            return {"error": -14001, "error_name": "Invalid app_id", "error_description": "app_id is invalid"}
        if form.get("grant_type") != "refresh_token":
            return {"error": -14003, "error_name": "Invalid grant_type", "error_description": "grant_type is invalid"}
        if form.get("refresh_token") != self.refresh_token:
            return {"error": -14014, "error_name": "Invalid refresh token",
                    "error_description": "refresh_token is invalid or was already used"}
        self._generation += 1
        self.refreshes += 1
        self.access_token = f"zalo-access-{self._generation}-{uuid.uuid4().hex[:8]}"
        self.refresh_token = f"zalo-refresh-{self._generation}-{uuid.uuid4().hex[:8]}"
        self._valid_token = self.access_token
        return {"access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": "90000"}


def _problem_with(body: Any, files: dict[str, Any]) -> dict[str, Any] | None:
    """The error answer for a malformed customer-service message, or None when it is well formed."""
    if not isinstance(body, dict):
        return _refused(-201, "Body must be a JSON object")
    recipient, message = body.get("recipient"), body.get("message")
    if not isinstance(recipient, dict) or not isinstance(recipient.get("user_id"), str) or not recipient["user_id"]:
        return _refused(-201, "recipient.user_id is invalid")
    if not isinstance(message, dict):
        return _refused(-201, "message is invalid")
    text, attachment = message.get("text"), message.get("attachment")
    if text is None and attachment is None:
        return _refused(-201, "message needs text or attachment")
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            return _refused(-201, "message.text is invalid")
        if len(text) > MAX_TEXT:
            return _refused(-210, f"message.text exceeds {MAX_TEXT} characters")
    if attachment is not None and isinstance(attachment, dict) and attachment.get("type") == "file":
        payload = attachment.get("payload")
        known = isinstance(payload, dict) and payload.get("token") in files
        return None if known and text is None else _refused(-201, "file message needs an uploaded file's token")
    if attachment is not None:
        return _attachment_problem(attachment, has_text=text is not None)
    return None


def _attachment_problem(attachment: Any, has_text: bool) -> dict[str, Any] | None:
    if not isinstance(attachment, dict) or attachment.get("type") != "template":
        return _refused(-201, "attachment.type is invalid")
    payload = attachment.get("payload")
    if not isinstance(payload, dict):
        return _refused(-201, "attachment.payload is invalid")
    if payload.get("template_type") == "media":
        elements = payload.get("elements")
        if not isinstance(elements, list) or len(elements) != 1:
            return _refused(-201, "media template needs one element")
        element = elements[0]
        if not isinstance(element, dict) or element.get("media_type") not in ("image", "gif"):
            return _refused(-201, "media_type is invalid")
        if not isinstance(element.get("url"), str) and not isinstance(element.get("attachment_id"), str):
            return _refused(-201, "media element needs url or attachment_id")
        return None
    buttons = payload.get("buttons")
    if not isinstance(buttons, list) or not buttons:
        return _refused(-201, "attachment.payload.buttons is invalid")
    if not has_text:
        return _refused(-201, "a button message needs message.text")
    if len(buttons) > MAX_BUTTONS:
        return _refused(-210, f"at most {MAX_BUTTONS} buttons")
    for button in buttons:
        if not isinstance(button, dict) or not isinstance(button.get("title"), str) or not button["title"]:
            return _refused(-201, "button.title is invalid")
        kind, value = button.get("type"), button.get("payload")
        if kind not in BUTTON_TYPES:
            return _refused(-201, f"button.type {kind!r} is not supported")
        if kind == "oa.open.url" and not (isinstance(value, dict) and isinstance(value.get("url"), str)):
            return _refused(-201, "oa.open.url needs payload.url")
        if kind in ("oa.query.show", "oa.query.hide") and not (isinstance(value, str) and value):
            return _refused(-201, f"{kind} needs a string payload")
        if kind in ("oa.open.phone", "oa.open.sms") and not (isinstance(value, dict) and value.get("phone_code")):
            return _refused(-201, f"{kind} needs payload.phone_code")
    return None
