"""The widget in a real browser: Debian's chromium driven by Playwright, and what a test does on the page.

Shared by the widget tests of the development stack and of the production profile; the
`browser` and `phone` fixtures are in conftest.py.
"""
from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
BOT_TIMEOUT = 60_000  # ms; the first answers wait for the action server and a warm-up of the model
NO_CHROMIUM = "Debian's chromium is not installed (/usr/bin/chromium): apt-get install chromium"


def open_chat(page, base_url: str) -> None:
    page.goto(f"{base_url}/chat")
    page.wait_for_selector("#evn-cskh-widget[data-state=online]", state="attached", timeout=30_000)


def conversation_of(session_token: str) -> str:
    """The widget's conversation: web-<the id the web app signed>."""
    return "web-" + session_token.split(".")[0].split("_")[0]


def bot_rows(page) -> int:
    return page.locator("#evn-cskh-widget .evn-w-bot").count()


def say(page, text: str) -> None:
    page.fill(".evn-w-input", text)
    page.press(".evn-w-input", "Enter")


def wait_for_more_bot_rows(page, before: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#evn-cskh-widget .evn-w-bot').length > n", arg=before, timeout=BOT_TIMEOUT
    )


def bot_texts(page) -> list[str]:
    return page.locator("#evn-cskh-widget .evn-w-bot .evn-w-bubble").all_inner_texts()


def widget_turn(page, message: str, expect: str) -> str:
    """Types a message in the widget and waits until a new bot bubble contains `expect`; the new bubbles."""
    before = len(bot_texts(page))
    say(page, message)
    return wait_for_bubbles(page, before, expect, message)


def wait_for_bubbles(page, before: int, expect: str, what: str) -> str:
    try:
        page.wait_for_function(
            """([n, needle]) => Array.from(document.querySelectorAll('#evn-cskh-widget .evn-w-bot .evn-w-bubble'))
                   .slice(n).some(b => b.innerText.includes(needle))""",
            arg=[before, expect], timeout=BOT_TIMEOUT,
        )
    except Exception as error:  # noqa: BLE001 - a timeout: say what came instead
        raise AssertionError(f"no reply with {expect!r} to {what!r}; got {bot_texts(page)[before:]}") from error
    page.wait_for_timeout(500)  # the rest of that turn's messages
    return "\n".join(bot_texts(page)[before:])
