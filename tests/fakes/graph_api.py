"""Placeholder replaced by the Facebook channel work: a fake Graph API server."""
from __future__ import annotations

from tests.fakes.http_fake import FakeHttpServer


class FakeGraphApi(FakeHttpServer):
    def __init__(self, page_token: str) -> None:
        super().__init__()
        self.page_token = page_token
