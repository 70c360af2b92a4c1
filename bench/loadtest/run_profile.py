"""The production profile a load-test run starts on its own ports, databases and broker queue, and their clearing.

Each run (and each ceiling) gets fresh databases dropped before and after, so that runs never see
each other's conversations, requests or payments.
"""
from __future__ import annotations

import asyncio

from sqlalchemy import create_engine, text

from ops.production import Profile
from ops.stack import ROOT


def profile_for(copies: int, base_port: int, database: str, customers: int, env: dict[str, str]) -> Profile:
    base = "postgresql://postgres@127.0.0.1:5432"
    return Profile(
        env={"DATABASE_URL": f"{base}/{database}", "TRACKER_STORE_URL": f"{base}/{database}_rasa",
             "PAYMENT_SIMULATOR": "1", "RABBITMQ_QUEUE": f"{database}_events", **env},
        proxy_port=base_port, internal_proxy_port=base_port + 1, rasa_port=base_port + 10,
        actions_port=base_port + 20, web_port=base_port + 30, copies=copies,
        run_dir=ROOT / "var" / "run" / database, log_dir=ROOT / "var" / "log" / database, seed_customers=customers,
    )


def drop_databases(database: str) -> None:
    admin = create_engine("postgresql://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        for name in (database, f"{database}_rasa"):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def delete_queue(url: str, queue: str) -> int:
    """Deletes the run's RabbitMQ queue (nobody consumes it here); returns how many events it held."""
    import aio_pika

    async def delete() -> int:
        connection = await aio_pika.connect(url)
        async with connection:
            channel = await connection.channel()
            declared = await channel.declare_queue(queue, durable=True)
            count = declared.declaration_result.message_count or 0
            await declared.delete(if_unused=False, if_empty=False)
            return count

    return asyncio.run(delete())
