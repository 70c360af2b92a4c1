"""A real action server and Rasa server on free ports, over a freshly seeded SQLite database."""
from __future__ import annotations

from pathlib import Path

import pytest

from tools.model_fingerprint import is_stale
from tools.stack import Stack, free_port

ROOT = Path(__file__).resolve().parents[2]
LINK_SECRET = "e2e-link-secret"
VNPAY_SECRET = "e2e-vnpay-secret"


@pytest.fixture(scope="session")
def stack(sqlite_url, tmp_path_factory):
    if is_stale(ROOT):
        pytest.fail("the trained model is older than data/, domain/ or config.yml: run `make train`")
    servers = Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        env={
            "DATABASE_URL": sqlite_url,
            "PAYMENT_SIMULATOR": "1",
            "PAYMENT_LINK_SECRET": LINK_SECRET,
            "VNPAY_HASH_SECRET": VNPAY_SECRET,
        },
        log_dir=tmp_path_factory.mktemp("logs"),
    )
    servers.start()
    yield servers
    servers.stop()
