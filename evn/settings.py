"""Settings read from the environment, in one place (names are part of the interface)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class PaymentSettings:
    public_base_url: str
    link_secret: str
    link_ttl_hours: int
    bank_bin: str
    bank_account: str
    account_name: str
    simulator: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "PaymentSettings":
        return cls(
            public_base_url=env.get("PUBLIC_BASE_URL", "http://localhost:8080").rstrip("/"),
            link_secret=env.get("PAYMENT_LINK_SECRET", ""),
            link_ttl_hours=int(env.get("PAYMENT_LINK_TTL_HOURS", "24")),
            bank_bin=env.get("VIETQR_BANK_BIN", "970436"),
            bank_account=env.get("VIETQR_ACCOUNT", "0071000888999"),
            account_name=env.get("VIETQR_ACCOUNT_NAME", "TONG CONG TY DIEN LUC"),
            simulator=env.get("PAYMENT_SIMULATOR", "0") == "1",
        )

    def link_url(self, token: str) -> str:
        return f"{self.public_base_url}/pay/{token}"
