"""Pictures kept as files in a directory outside the web root (PICTURE_DIR), readable by this user only, each
written whole or not at all (a temporary file renamed), named by the picture's id alone."""
from __future__ import annotations

import os
from pathlib import Path

from evn.domain import linear_regex

_ID = linear_regex.compile(r"[0-9a-f]{32}")


class PictureStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, picture_id: str) -> Path:
        if not _ID.fullmatch(picture_id):
            raise ValueError("a picture id is 32 hexadecimal digits")
        return self.directory / picture_id

    def save(self, picture_id: str, data: bytes) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory.chmod(0o700)  # also a folder that existed before
        path = self._path(picture_id)
        partial = path.with_suffix(".part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)

    def load(self, picture_id: str) -> bytes | None:
        try:
            return self._path(picture_id).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, picture_id: str) -> None:
        self._path(picture_id).unlink(missing_ok=True)

    def names(self) -> list[str]:
        """Every kept picture's id (for the tests' "nothing stored" and the purge's strays)."""
        if not self.directory.is_dir():
            return []
        return sorted(path.name for path in self.directory.iterdir() if _ID.fullmatch(path.name))
