"""Bring a database to the newest schema with the project's Alembic migrations."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from evn.adapters.db import PROJECT_ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def downgrade_to_base(url: str) -> None:
    command.downgrade(alembic_config(url), "base")


if __name__ == "__main__":  # python -m evn.adapters.migrate: DATABASE_URL to the newest schema
    from evn.settings import load_settings

    upgrade(load_settings().database_url)
