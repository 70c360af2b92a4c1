"""Placeholder replaced by the Zalo channel work: a fake Zalo OA API server."""
from __future__ import annotations

from tests.fakes.http_fake import FakeHttpServer


class FakeZaloApi(FakeHttpServer):
    def __init__(self, app_id: str, access_token: str, refresh_token: str) -> None:
        super().__init__()
        self.app_id, self.access_token, self.refresh_token = app_id, access_token, refresh_token
