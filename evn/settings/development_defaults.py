"""What a process uses outside production when nothing is set: the demo defaults production refuses.

In development a secret that is not set is generated once and kept under var/secrets/, so every local
process agrees on it with no configuration; the VietQR account defaults to the demo's. The production
profile generates nothing and refuses the demo account (production_refusals.py).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from evn.settings.model import PROJECT_ROOT

# The VietQR account the demo ships with: money sent there would not reach the company.
DEMO_BANK_BIN, DEMO_BANK_ACCOUNT = "970436", "0071000888999"


def development_secret(name: str, root: Path = PROJECT_ROOT) -> str:
    """A random secret kept in var/secrets/<name> so that every local process agrees on it (the unset
    secrets of development, the demo agent's password of `make run`)."""
    path = root / "var" / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_suffix(f".{os.getpid()}.tmp")
        candidate.write_text(secrets.token_urlsafe(32))
        candidate.chmod(0o600)
        try:
            os.link(candidate, path)  # atomic: the first of two racing processes wins
        except FileExistsError:
            pass
        finally:
            candidate.unlink(missing_ok=True)
    return path.read_text().strip()
