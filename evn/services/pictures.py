"""Pictures from customers: fetched from the platform they came through (Messenger's CDN, Zalo's) or uploaded
through the widget, checked and re-encoded before anything is kept (evn.domain.pictures), kept outside the web
root for PICTURE_RETENTION_DAYS, bound to the conversation they came in, and read for QR codes.

Nothing refused is kept: the rate limit counts first, then the bytes are fetched, decoded and re-encoded, and only
then written (the file, then its row; the file goes again if the row cannot be written).
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from evn.domain import conversations, pictures, rate_limits
from evn.domain.pictures import PictureRefused, Refusal
from evn.services import limits
from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWorkFactory
from evn.settings import PictureSettings

UPLOAD = pictures.UPLOAD
PLATFORM_SOURCES = ("facebook", "zalo")  # the channels whose pictures are fetched from their own CDN


class Fetcher(Protocol):
    def fetch(self, url: str, hosts: tuple[str, ...]) -> bytes: ...


class Store(Protocol):
    def save(self, picture_id: str, data: bytes) -> None: ...

    def load(self, picture_id: str) -> bytes | None: ...

    def delete(self, picture_id: str) -> None: ...


class Encoded(Protocol):
    @property
    def data(self) -> bytes: ...

    @property
    def media_type(self) -> str: ...

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...


@dataclass(frozen=True)
class KeptPicture:
    id: str
    conversation_id: str
    source: str
    media_type: str
    width: int
    height: int
    size: int


class PictureService:
    def __init__(self, uow: UnitOfWorkFactory, settings: PictureSettings, fetcher: Fetcher, store: Store,
                 reencode: Callable[[bytes], Encoded], read_codes: Callable[[bytes], list[str]],
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.settings = settings
        self.fetcher = fetcher
        self.store = store
        self.reencode = reencode
        self.read_codes = read_codes
        self.clock = clock

    def from_platform(self, conversation_id: str, source: str, url: str) -> KeptPicture:
        """A picture a Messenger or Zalo message carried, fetched from that platform's hosts only."""
        if source not in PLATFORM_SOURCES or conversations.channel_of(conversation_id) != source:
            raise PictureRefused(Refusal.FOREIGN_HOST)  # a URL claimed for another channel's conversation
        self._admit(conversation_id, None)
        data = self.fetcher.fetch(url, tuple(self.settings.hosts.get(source, ())))
        return self._keep(conversation_id, source, data)

    def from_upload(self, conversation_id: str, data: bytes, address_key: str | None) -> KeptPicture:
        """A picture the widget uploaded for its own conversation (the session proved it)."""
        self._admit(conversation_id, address_key)
        return self._keep(conversation_id, UPLOAD, data)

    def owned(self, picture_id: str, conversation_id: str) -> KeptPicture:
        """The kept picture of this id, when it is this conversation's and not expired; else PictureRefused. Its
        upload counted once against the rate limit; the same id sent again (read again) counts again."""
        with self.uow() as uow:
            row = uow.pictures.get(picture_id) if isinstance(picture_id, str) and len(picture_id) == 32 else None
            if row is None or row.conversation_id != conversation_id or row.expires_at <= self.clock():
                raise PictureRefused(Refusal.UNKNOWN)
            picture = KeptPicture(row.id, row.conversation_id, row.source, row.media_type, row.width, row.height,
                                  row.size)
            read_before = uow.scam_checks.of_picture(picture_id)
        if read_before:
            self._admit(conversation_id, None)
        return picture

    def limited_until(self, conversation_id: str) -> datetime | None:
        """Until when this conversation may send no more pictures (the widget was refused an upload), or None."""
        with self.uow() as uow:
            return limits.blocked_until(uow, rate_limits.PICTURE, conversation_id, None, self.clock())

    def codes(self, picture: KeptPicture) -> list[str]:
        """The texts of the QR codes in a kept picture."""
        data = self.store.load(picture.id)
        return self.read_codes(data) if data else []

    def purge_expired(self) -> int:
        """Removes the pictures past their retention, files and rows; the number removed."""
        with self.uow() as uow:
            expired = uow.pictures.expired(self.clock())
            for picture_id in expired:
                self.store.delete(picture_id)
            if expired:
                uow.pictures.remove(expired)
            uow.commit()
        return len(expired)

    def _admit(self, conversation_id: str, address_key: str | None) -> None:
        """Counts the picture, or raises RateLimited (evn.domain.rate_limits.PICTURE) before anything is fetched."""
        with self.uow() as uow:
            limits.admit(uow, rate_limits.PICTURE, conversation_id, address_key, self.clock())
            uow.commit()

    def _keep(self, conversation_id: str, source: str, data: bytes) -> KeptPicture:
        encoded = self.reencode(data)
        picture = KeptPicture(uuid.uuid4().hex, conversation_id, source, encoded.media_type, encoded.width,
                              encoded.height, len(encoded.data))
        now = self.clock()
        self.store.save(picture.id, encoded.data)
        try:
            with self.uow() as uow:
                uow.pictures.add(
                    id=picture.id, conversation_id=conversation_id, channel=conversations.channel_of(
                        conversation_id) or "", source=source, media_type=encoded.media_type, width=encoded.width,
                    height=encoded.height, size=len(encoded.data), sha256=hashlib.sha256(encoded.data).hexdigest(),
                    received_at=now, expires_at=now + timedelta(days=self.settings.retention_days))
                uow.commit()
        except Exception:
            self.store.delete(picture.id)
            raise
        return picture
