"""Whole conversations written as customers type (tests/conversations/*.yml), replayed over REST.

Their own stack and database, with the clock at Tuesday 01/12/2026 20:00 Vietnam time, so
"tháng trước" and "sau giờ làm việc" mean the same on every day CI runs; a file may set another
clock (`clock:`, the use of a period half read), replayed on a stack and database of its own. The
format is in tests/conversations/README.md.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from evn.domain.periods import fold
from tests.e2e.helpers import ROOT, own_stack

CONVERSATIONS = ROOT / "tests" / "conversations"
DEMO_NOW = "2026-12-01T20:00"
CHECKS = ("says", "says_one_of", "never_says")


@dataclass(frozen=True)
class Conversation:
    file: str
    name: str
    kind: str
    turns: tuple[dict[str, Any], ...]
    clock: str = DEMO_NOW


PENDING = CONVERSATIONS / "pending.yml"


def load(folder: Path = CONVERSATIONS) -> list[Conversation]:
    """The suite's conversations; in the whole suite, the blind sets too, once their first replay is on record
    (blind*/FIRST_REPLAY.md): read since, they are conversations written apart like the others."""
    paths = sorted(folder.glob("*.yml"))
    if folder == CONVERSATIONS:
        paths += [path for path in sorted(folder.glob("blind*/blind.yml"))
                  if (path.parent / "FIRST_REPLAY.md").exists()]
    found = []
    for path in paths:
        if path.name == PENDING.name:
            continue
        label = str(path.relative_to(folder))
        written = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in written["conversations"]:
            found.append(Conversation(label, item["name"], item["class"], tuple(item["turns"]),
                                      str(written.get("clock") or DEMO_NOW)))
    return found


def pending() -> dict[str, str]:
    """Conversations that do not pass yet, by name, with where they stop."""
    if not PENDING.exists():
        return {}
    return {item["name"]: item["stops_at"] for item in yaml.safe_load(PENDING.read_text(encoding="utf-8"))["pending"]}


def cases() -> list:
    """Every conversation; a pending one is an expected failure, strictly (passing it fails the suite).

    CONVERSATIONS_SET=blind3 replays instead only the set in that folder (tests/conversations/blind3/), each
    conversation as it is: how a blind set is replayed, once, before its first replay is recorded.
    """
    kept_apart = os.environ.get("CONVERSATIONS_SET")
    if kept_apart:
        return [pytest.param(c, id=f"{c.file}:{c.name[:60]}") for c in load(CONVERSATIONS / Path(kept_apart).name)]
    waiting = pending()
    return [pytest.param(c, id=f"{c.file}:{c.name[:60]}", marks=[pytest.mark.xfail(strict=True, reason=waiting[c.name])]
                         if c.name in waiting else []) for c in load()]


def bot_text(messages: list[dict]) -> str:
    """Every message's text and button titles, folded (no case, no diacritics) for comparison."""
    parts = []
    for message in messages:
        parts.append(str(message.get("text") or ""))
        parts.extend(str(button.get("title") or "") for button in message.get("buttons") or [])
        if message.get("image"):
            parts.append("[image]")
    return fold(" \n".join(parts))


def turn_problems(turn: dict[str, Any], messages: list[dict]) -> list[str]:
    """What a turn's replies fail of its checks; an empty list when they pass."""
    said = bot_text(messages)
    if not said.strip():
        return ["no reply"]
    problems = [f"missing {want!r}" for want in turn.get("says") or [] if fold(want) not in said]
    one_of = turn.get("says_one_of") or []
    if one_of and not any(fold(want) in said for want in one_of):
        problems.append(f"none of {one_of!r}")
    problems += [f"said {unwanted!r}" for unwanted in turn.get("never_says") or [] if fold(unwanted) in said]
    return problems


@pytest.fixture(scope="module")
def conversation_stacks(tmp_path_factory):
    """A stack per clock, started when a conversation first needs it, all stopped with the module."""
    started: dict[str, tuple[Any, Iterator[Any]]] = {}

    def at(clock: str):
        if clock not in started:
            name = "conversations" if clock == DEMO_NOW else f"conversations-{len(started)}"
            running = own_stack(tmp_path_factory, name, {"DEMO_NOW": clock})
            started[clock] = (next(running), running)
        return started[clock][0]

    yield at
    for _, running in started.values():
        next(running, None)


@pytest.mark.parametrize("conversation", cases())
def test_conversation(conversation_stacks, conversation):
    stack = conversation_stacks(conversation.clock)
    sender = f"conv-{uuid.uuid4().hex[:12]}"
    transcript = []
    for number, turn in enumerate(conversation.turns, 1):
        messages = stack.say(sender, str(turn["user"]))
        transcript.append(f"  khách: {turn['user']}\n  bot:   " + "\n         ".join(
            str(m.get("text") or m.get("buttons") or m) for m in messages))
        problems = turn_problems(turn, messages)
        assert not problems, (f"turn {number} of {conversation.name!r} ({conversation.kind}): {'; '.join(problems)}\n"
                              + "\n".join(transcript))


def test_the_suite_covers_every_class_and_is_well_formed():
    conversations = load()
    classes = {c.kind for c in conversations}
    expected = set((CONVERSATIONS / "README.md").read_text(encoding="utf-8").split("Classes: ")[1]
                   .replace("\n", " ").strip().rstrip(".").split(", "))
    waiting = pending()
    assert classes == expected and len([c for c in conversations if c.name not in waiting]) >= 120
    assert set(waiting) <= {c.name for c in conversations}, "a pending conversation that no longer exists"
    for conversation in conversations:
        assert conversation.turns and all(
            isinstance(t.get("user"), str) and set(t) <= {"user", *CHECKS} for t in conversation.turns
        ), conversation.name
