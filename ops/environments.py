"""Which interpreter runs which process.

The Rasa server runs in the Rasa server's environment (Python 3.10: Rasa 3.6 runs on no newer one), the
one these launchers run in. The action server, the web app and the worker run in the application's
environment (Python 3.13, else 3.11: rasa-sdk 3.21, SQLAlchemy 2.0, Sanic 25), which still gets security
fixes. The Makefile exports its interpreter as APP_PYTHON; without it, the environment `make -s app-venv`
names is used, so a launcher started by hand finds the same one.
"""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def app_python() -> str:
    """The application environment's interpreter; SystemExit saying how to build it when it is missing."""
    configured = os.environ.get("APP_PYTHON")
    if configured:
        python = Path(configured)
    else:
        found = subprocess.run(["make", "-s", "app-venv"], cwd=ROOT, capture_output=True, text=True, check=False)
        python = Path(found.stdout.strip() or "/nonexistent") / "bin" / "python"
    if not python.is_file():
        raise SystemExit(f"Chưa có môi trường ứng dụng ({python}): chạy `make install` trước "
                         f"(the application's environment is missing: run `make install`).")
    return str(python)
