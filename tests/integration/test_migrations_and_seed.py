from datetime import date

import pytest
from sqlalchemy import inspect, select, text

from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.migrate import downgrade_to_base, upgrade
from evn.demo.seed import seed
from evn.domain.periods import Period


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migrations_create_every_table_and_go_back_down(dialect, tmp_path, request):
    url = (
        f"sqlite:///{tmp_path / 'm.sqlite3'}" if dialect == "sqlite"
        else request.getfixturevalue("postgres_databases")()
    )
    upgrade(url)
    engine = make_engine(url)
    assert set(orm.metadata.tables) <= set(inspect(engine).get_table_names())
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("bills")}
    assert {"ix_bills_period", "ix_bills_status_customer"} <= indexes
    downgrade_to_base(url)
    assert not set(orm.metadata.tables) & set(inspect(engine).get_table_names())
    engine.dispose()


def test_seed_is_deterministic_and_priced_by_the_tariff(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(orm.Customer.code, orm.Bill.period, orm.Bill.kwh, orm.Bill.total, orm.Bill.status)
            .join(orm.Bill, orm.Bill.customer_id == orm.Customer.id)
            .where(orm.Customer.code.in_(["PE01000000001", "PD01000000002"]), orm.Bill.period >= 202609)
            .order_by(orm.Customer.code, orm.Bill.period)
        ).all()
        assert [tuple(r) for r in rows] == [
            ("PD01000000002", 202609, 116, 258_962, "paid"),
            ("PD01000000002", 202610, 120, 269_244, "paid"),
            ("PE01000000001", 202609, 180, 423_468, "paid"),
            ("PE01000000001", 202610, 350, 979_560, "unpaid"),
        ]
        periods = connection.execute(select(orm.Bill.period).distinct().order_by(orm.Bill.period)).scalars().all()
        assert periods[0] == Period(2025, 11).key and periods[-1] == Period(2026, 10).key and len(periods) == 12
        momo = connection.execute(
            select(orm.Payment.channel, orm.Payment.amount).join(orm.Bill).join(orm.Customer)
            .where(orm.Customer.code == "PE01000000001", orm.Bill.period == 202609)
        ).one()
        assert tuple(momo) == ("momo", 423_468)
        # Readings chain: every bill's old reading is the previous bill's new reading.
        chain = connection.execute(
            text("SELECT old_reading, new_reading, kwh FROM bills WHERE customer_id = 1 ORDER BY period")
        ).all()
        assert all(new - old == kwh for old, new, kwh in chain)
        assert all(a[1] == b[0] for a, b in zip(chain, chain[1:], strict=False))
        customers = connection.execute(select(orm.Customer.id)).all()
        assert len(customers) == 42
    engine.dispose()


def test_reseeding_an_existing_database_changes_nothing(database_url):
    engine = make_engine(database_url)
    result = seed(engine, 40, date(2026, 11, 1), quiet=True)
    assert result["skipped"]
    engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_links_made_before_expiry_existed_start_their_unused_time_at_the_migration(dialect, tmp_path, request):
    """Uses were not recorded before migration 0012: a link made a year ago must not expire at the deploy."""
    from datetime import datetime, timedelta

    from alembic import command

    from evn.adapters.migrate import alembic_config

    url = (
        f"sqlite:///{tmp_path / 'm.sqlite3'}" if dialect == "sqlite"
        else request.getfixturevalue("postgres_databases")()
    )
    command.upgrade(alembic_config(url), "0011")
    engine = make_engine(url)
    a_year_ago = datetime.utcnow() - timedelta(days=365)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO account_links (conversation_id, channel, channel_user, customer_code, linked_at, active_key)"
            " VALUES ('zalo-1', 'zalo', '1', 'PE01000000001', :at, 'k')"), {"at": a_year_ago})
    upgrade(url)
    with engine.connect() as connection:
        last_used = connection.execute(text("SELECT last_used_at FROM account_links")).scalar_one()
    last_used = datetime.fromisoformat(str(last_used))  # SQLite gives text
    assert datetime.utcnow() - timedelta(hours=1) < last_used <= datetime.utcnow()
    engine.dispose()


def test_daily_readings_add_up_to_every_bill_and_run_on_to_the_last_day_read(database_url):
    """The seeded database (40 synthetic customers, readings to the end of 11/2026, not billed yet)."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        meters = connection.execute(text("SELECT DISTINCT meter_id FROM daily_readings")).scalars().all()
        mismatched = connection.execute(text(
            "SELECT count(*) FROM bills b JOIN daily_readings s ON s.meter_id = b.customer_id "
            "JOIN daily_readings e ON e.meter_id = b.customer_id "
            "WHERE s.read_on = b.period_start - 1 AND e.read_on = b.period_end "  # PostgreSQL's date arithmetic
            "AND e.register - s.register != b.kwh") if connection.dialect.name == "postgresql" else text(
            "SELECT count(*) FROM bills b JOIN daily_readings s ON s.meter_id = b.customer_id "
            "JOIN daily_readings e ON e.meter_id = b.customer_id "
            "WHERE s.read_on = date(b.period_start, '-1 day') AND e.read_on = b.period_end "
            "AND e.register - s.register != b.kwh")).scalar_one()
        billed_days = connection.execute(text(
            "SELECT count(*) FROM bills b JOIN daily_readings e ON e.meter_id = b.customer_id "
            "AND e.read_on = b.period_end AND e.register = b.new_reading")).scalar_one()
        bills_of_read_meters = connection.execute(text(
            "SELECT count(*) FROM bills WHERE customer_id IN (SELECT DISTINCT meter_id FROM daily_readings)")
        ).scalar_one()
        last_days = set(connection.execute(text("SELECT max(read_on) FROM daily_readings GROUP BY meter_id")).scalars())
        backwards = connection.execute(text(
            "SELECT count(*) FROM daily_readings a JOIN daily_readings b ON b.meter_id = a.meter_id "
            "AND b.read_on > a.read_on WHERE b.register < a.register AND b.read_on <= '2026-01-31'")).scalar_one()
    engine.dispose()
    assert {1, 2} <= set(meters), "the demo customers are read every day"
    assert 0.55 <= len(meters) / 42 <= 0.9
    assert mismatched == 0 and billed_days == bills_of_read_meters == len(meters) * 12
    assert {str(day) for day in last_days} == {"2026-11-30"}
    assert backwards == 0
