"""A fake of the Graph API's Send API (POST /me/messages), strict the way Graph is.

Accepts `/me/messages` and `/vNN.N/me/messages`, checks `access_token`, validates the body
against the Messenger Platform's documented limits and answers like Graph:
200 {"recipient_id", "message_id": "m_…"} or 400 {"error": {"message", "type": "OAuthException",
"code": 100, …}} (code 190 for a wrong token). `fail_next(n, status)` makes the next n sends fail
with a transient server error. `sent` keeps the accepted message bodies, `actions` the accepted
sender actions (typing_on, mark_seen…).
"""
from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from tests.fakes.http_fake import FakeHttpServer

SEND_PATH = re.compile(r"^(?:/v\d+(?:\.\d+)?)?/me/messages/?$")
TEXT_LIMIT = 2000
TEMPLATE_TEXT_LIMIT = 640
BUTTON_TITLE_LIMIT = 20
BUTTONS_PER_TEMPLATE = 3
PAYLOAD_LIMIT = 1000
QUICK_REPLIES_LIMIT = 13
GENERIC_ELEMENTS_LIMIT = 10
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG", "UTILITY"}
SENDER_ACTIONS = {"mark_seen", "typing_on", "typing_off"}
MEDIA_TYPES = {"image", "audio", "video", "file"}


class GraphError(Exception):
    def __init__(self, message: str, code: int = 100, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status


def _units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise GraphError(message)


def _nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def validate_button(button: Any) -> None:
    _check(isinstance(button, dict), "(#100) button must be an object")
    title = button.get("title")
    _check(_nonempty_str(title), "(#100) button title is required")
    _check(_units(title) <= BUTTON_TITLE_LIMIT, f"(#100) Title has more than {BUTTON_TITLE_LIMIT} characters")
    kind = button.get("type")
    if kind == "web_url":
        url = button.get("url")
        _check(_nonempty_str(url) and url.lower().startswith(("http://", "https://")),
               "(#100) web_url button needs url")
    elif kind == "postback":
        payload = button.get("payload")
        _check(_nonempty_str(payload), "(#100) postback button needs payload")
        _check(_units(payload) <= PAYLOAD_LIMIT, f"(#100) payload has more than {PAYLOAD_LIMIT} characters")
    elif kind == "phone_number":
        _check(_nonempty_str(button.get("payload")) and button["payload"].startswith("+"),
               "(#100) phone_number needs payload")
    else:
        raise GraphError(f"(#100) unsupported button type {kind!r}")


def validate_template(payload: dict) -> None:
    kind = payload.get("template_type")
    if kind == "button":
        text = payload.get("text")
        _check(_nonempty_str(text), "(#100) button template text is required")
        _check(_units(text) <= TEMPLATE_TEXT_LIMIT, f"(#100) text has more than {TEMPLATE_TEXT_LIMIT} characters")
        buttons = payload.get("buttons")
        _check(isinstance(buttons, list) and 1 <= len(buttons) <= BUTTONS_PER_TEMPLATE,
               "(#100) param message[attachment][payload][buttons] must have between 1 and 3 elements")
        for button in buttons:
            validate_button(button)
    elif kind == "generic":
        elements = payload.get("elements")
        _check(isinstance(elements, list) and 1 <= len(elements) <= GENERIC_ELEMENTS_LIMIT,
               "(#100) elements must have between 1 and 10 elements")
        for element in elements:
            _check(isinstance(element, dict) and _nonempty_str(element.get("title")),
                   "(#100) element title is required")
            buttons = element.get("buttons", [])
            _check(isinstance(buttons, list) and len(buttons) <= BUTTONS_PER_TEMPLATE, "(#100) too many buttons")
            for button in buttons:
                validate_button(button)
    else:
        _check(_nonempty_str(kind), "(#100) template_type is required")


def validate_message(message: Any) -> None:
    _check(isinstance(message, dict), "(#100) param message must be an object")
    has_text, has_attachment = "text" in message, "attachment" in message
    _check(has_text != has_attachment, "(#100) message must have exactly one of text or attachment")
    if has_text:
        text = message["text"]
        _check(_nonempty_str(text) and text.strip() != "", "(#100) message text is empty")
        _check(_units(text) <= TEXT_LIMIT,
               f"(#100) param message[text] must be UTF-8 encoded with {TEXT_LIMIT} or fewer characters")
    else:
        attachment = message["attachment"]
        _check(isinstance(attachment, dict), "(#100) attachment must be an object")
        payload = attachment.get("payload")
        _check(isinstance(payload, dict), "(#100) attachment payload is required")
        kind = attachment.get("type")
        if kind in MEDIA_TYPES:
            _check(_nonempty_str(payload.get("url")) or _nonempty_str(payload.get("attachment_id")),
                   "(#100) media attachment needs url or attachment_id")
        elif kind == "template":
            validate_template(payload)
        else:
            raise GraphError(f"(#100) unsupported attachment type {kind!r}")
    replies = message.get("quick_replies")
    if replies is not None:
        _check(isinstance(replies, list) and 1 <= len(replies) <= QUICK_REPLIES_LIMIT, "(#100) 1 to 13 quick replies")
        for reply in replies:
            _check(isinstance(reply, dict), "(#100) quick reply must be an object")
            if reply.get("content_type", "text") == "text":
                _check(_nonempty_str(reply.get("title")) and _units(reply["title"]) <= BUTTON_TITLE_LIMIT,
                       "(#100) quick reply title must have 1 to 20 characters")
                _check(_nonempty_str(reply.get("payload")) and _units(reply["payload"]) <= PAYLOAD_LIMIT,
                       "(#100) quick reply payload is required")


class FakeGraphApi(FakeHttpServer):
    def __init__(self, page_token: str, utility_templates: set[str] | None = None) -> None:
        """`utility_templates`: the page's approved utility-message templates, by name."""
        super().__init__()
        self.page_token = page_token
        self.utility_templates = set(utility_templates or ())
        self.sent: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []
        self._failures: list[int] = []

    # -- test controls ------------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 500) -> None:
        """The next n sends answer `status` with a transient Graph error (and are not accepted)."""
        with self._lock:
            self._failures.extend([status] * n)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self.sent.clear()
            self.actions.clear()
            self._failures.clear()

    def messages_for(self, psid: str) -> list[dict[str, Any]]:
        """The accepted `message` objects sent to this page-scoped id, oldest first."""
        with self._lock:
            return [body["message"] for body in self.sent if body["recipient"]["id"] == str(psid)]

    def texts_for(self, psid: str) -> list[str]:
        """The visible text of each message to `psid` (text, or a template's text)."""
        return [text_of(message) for message in self.messages_for(psid)]

    def wait_for(self, psid: str, predicate: Callable[[list[dict[str, Any]]], bool] | None = None,
                 timeout: float = 10.0) -> list[dict[str, Any]]:
        """Messages to `psid` once `predicate(messages)` holds (default: at least one), or what came by the timeout."""
        predicate = predicate or (lambda messages: bool(messages))
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages_for(psid)
            if predicate(messages) or time.monotonic() >= deadline:
                return messages
            time.sleep(0.1)

    # -- the Send API ---------------------------------------------------------------------

    def handle(self, record: dict[str, Any]) -> tuple[int, Any]:
        if record["method"] != "POST" or not SEND_PATH.match(record["path"]):
            return 404, _error("Unknown path components", code=2500, status=404)[1]
        token = record["query"].get("access_token")
        if not token:
            return _error("An active access token must be used to query information about the current user.", 2500)
        if token != self.page_token:
            return _error("Invalid OAuth access token - Cannot parse access token", 190)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return failure, {"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                                       "type": "OAuthException", "code": 2, "is_transient": True,
                                       "fbtrace_id": "Afake"}}
        body = record.get("json")
        try:
            _check(isinstance(body, dict), "(#100) body must be a JSON object")
            recipient = body.get("recipient")
            _check(isinstance(recipient, dict) and _nonempty_str(recipient.get("id")),
                   "(#100) param recipient must be non-empty")
            if "sender_action" in body:
                _check(body["sender_action"] in SENDER_ACTIONS and "message" not in body,
                       "(#100) sender_action must be mark_seen, typing_on or typing_off, alone")
                with self._lock:
                    self.actions.append(body)
                return 200, {"recipient_id": recipient["id"]}
            messaging_type = body.get("messaging_type")
            _check(messaging_type in MESSAGING_TYPES, "(#100) messaging_type must be RESPONSE, UPDATE or MESSAGE_TAG")
            if messaging_type == "MESSAGE_TAG":
                _check(_nonempty_str(body.get("tag")), "(#100) tag is required with MESSAGE_TAG")
            if messaging_type == "UTILITY":
                validate_utility_message(body.get("message"), self.utility_templates)
            else:
                validate_message(body.get("message"))
        except GraphError as error:
            return _error(str(error), error.code)
        with self._lock:
            self.sent.append(body)
        return 200, {"recipient_id": recipient["id"], "message_id": f"m_{uuid.uuid4().hex}"}


def validate_utility_message(message: Any, approved: set[str]) -> None:
    """A utility message: an approved template by name, its language, the body's text parameters."""
    _check(isinstance(message, dict) and set(message) == {"template"}, "(#100) a utility message is a template")
    template = message["template"]
    _check(isinstance(template, dict) and _nonempty_str(template.get("name")), "(#100) template name is required")
    _check(template["name"] in approved, "(#132001) Template name does not exist in the translation")
    _check(isinstance(template.get("language"), dict) and _nonempty_str(template["language"].get("code")),
           "(#100) template language code is required")
    for component in template.get("components") or []:
        _check(isinstance(component, dict) and component.get("type") in {"HEADER", "BODY", "TITLE", "BUTTONS"},
               "(#100) component type must be HEADER, BODY, TITLE or BUTTONS")
        for parameter in component.get("parameters") or []:
            _check(isinstance(parameter, dict) and parameter.get("type") == "text"
                   and isinstance(parameter.get("text"), str), "(#100) parameters are text")


def _error(message: str, code: int = 100, status: int = 400) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Afake"}}


def text_of(message: dict[str, Any]) -> str:
    if "text" in message:
        return message["text"]
    payload = message.get("attachment", {}).get("payload", {})
    return payload.get("text", "") if isinstance(payload, dict) else ""
