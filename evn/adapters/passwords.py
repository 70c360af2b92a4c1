"""Agents' passwords: argon2id through argon2-cffi, the maintained reference binding.

Its defaults follow RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes: about
0,1 s of two cores here); a hash made with older parameters is replaced at the next
successful login (needs_rehash). The agent service takes any `Passwords` (bootstrap gives
it Argon2Passwords), so a test can count the checks.
"""
from __future__ import annotations

from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
_NOBODY = "not-a-password-of-anyone"
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash(_NOBODY)


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, stored: str | None, password: str) -> bool:
        """True for the right password of `stored`; with None (no such agent) as costly, and False."""

    def needs_rehash(self, stored: str) -> bool: ...


class Argon2Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or _HASHER
        self.dummy = _DUMMY if hasher is None else self.hasher.hash(_NOBODY)

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(stored or self.dummy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)


DEFAULT = Argon2Passwords()


def hash_password(password: str) -> str:
    return DEFAULT.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    return DEFAULT.verify(stored, password)


def needs_rehash(stored: str) -> bool:
    return DEFAULT.needs_rehash(stored)
