"""The operations report on the web app's page, for the console's accounts, in a real Chromium.

The e2e database gets two payments in 03/2020, a month the seed's history does not reach: one
in cash at the counter (100.000 đ) and one by MoMo (300.000 đ), by two customers. So that month
reads 50,00 % of customers and 75,00 % of the money paid cashless, February and April 2020 have
no data, and 2019 is an empty range.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from playwright.sync_api import expect
from sqlalchemy import func, insert, select

from evn.adapters import orm
from evn.adapters.db import make_engine
from tests.e2e.agent_console import console_tab, create_agent
from tests.e2e.widget_page import ARTIFACTS


def add_march_2020_payments(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as c:
        company = c.execute(select(orm.PowerCompany.code).limit(1)).scalar_one()
        first_id = (c.execute(select(func.max(orm.Customer.id))).scalar_one() or 0) + 1
        first_bill = (c.execute(select(func.max(orm.Bill.id))).scalar_one() or 0) + 1
        for offset, (channel, amount) in enumerate((("counter_cash", 100_000), ("momo", 300_000))):
            customer, bill = first_id + offset, first_bill + offset
            c.execute(insert(orm.Customer.__table__).values(
                id=customer, code=f"PE09999990{offset:02d}", name=f"Khách báo cáo {offset}", phone="0900000000",
                address="1 Lê Lợi", power_company=company, tariff_group="residential"))
            c.execute(insert(orm.Bill.__table__).values(
                id=bill, customer_id=customer, period=202002, period_start=date(2020, 2, 1),
                period_end=date(2020, 2, 29), old_reading=0, new_reading=100, kwh=100, amount_before_vat=amount,
                vat_percent=8, vat_amount=0, total=amount, issued_on=date(2020, 3, 1), due_date=date(2020, 3, 15),
                status="paid", tier_breakdown=[]))
            c.execute(insert(orm.Payment.__table__).values(
                bill_id=bill, amount=amount, channel=channel, paid_at=datetime(2020, 3, 10, 3, 0),
                reference=f"REPORT-E2E-{offset}"))
    engine.dispose()


def test_an_agent_picks_months_and_reads_the_report_with_its_charts(browser, stack, sqlite_url):
    add_march_2020_payments(sqlite_url)
    username, password = create_agent(sqlite_url, "Thu Trang")
    context, page, errors = console_tab(browser, f"{stack.web_url}/agent/report?from=2020-03&to=2020-03",
                                        username, password)
    page.wait_for_url("**/agent")

    page.get_by_test_id("nav-report").click()
    page.wait_for_url("**/agent/report")
    expect(page.get_by_test_id("report")).to_be_visible()
    assert re.fullmatch(r"\d{4}-\d{2}", page.get_by_test_id("report-from").input_value()), "a default range"

    page.get_by_test_id("report-from").fill("2020-02")
    page.get_by_test_id("report-to").fill("2020-04")
    page.get_by_test_id("report-submit").click()
    page.wait_for_url("**/agent/report?from=2020-02&to=2020-04")
    cashless = page.get_by_test_id("report-cashless")
    march = cashless.locator("tr", has_text="03/2020")
    for figure in ("50,00 %", "75,00 %", "400.000 đ", "300.000 đ"):
        expect(march).to_contain_text(figure)
    expect(cashless.locator("tr", has_text="02/2020")).to_contain_text("không có dữ liệu")
    expect(page.get_by_test_id("report-channels")).to_contain_text("MoMo")
    charts = page.locator("img.chart")
    assert charts.count() == 4
    widths = charts.evaluate_all("images => images.map(image => image.complete ? image.naturalWidth : 0)")
    assert all(width > 0 for width in widths), f"every chart drawn (the page's CSP lets data: images in): {widths}"
    page.screenshot(path=str(ARTIFACTS / "operations-report.png"), full_page=True)

    answer = page.goto(f"{stack.web_url}/agent/report?from=2020-05&to=2020-01")
    assert answer is not None and answer.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Khoảng tháng không hợp lệ")
    assert page.get_by_test_id("report").count() == 0

    answer = page.goto(f"{stack.web_url}/agent/report?from=2020-01&to=2022-12")
    assert answer is not None and answer.status == 400
    expect(page.get_by_role("alert")).to_contain_text("tối đa 24 tháng")

    answer = page.goto(f"{stack.web_url}/agent/report?from=%22%3E%3Cb%20id%3Dinjected%3E&to=9999-12")
    assert answer is not None and answer.status == 400, "a month that is not one, and one beyond 2100"
    assert page.locator("#injected").count() == 0, "what was typed is escaped, not markup"

    answer = page.goto(f"{stack.web_url}/agent/report?from=2019-01&to=2019-02")
    assert answer is not None and answer.status == 200
    expect(page.get_by_test_id("report-empty")).to_contain_text("Không có dữ liệu")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/agent/login")
    page.goto(f"{stack.web_url}/agent/report?from=2020-03&to=2020-03")
    assert page.url.endswith("/agent/login"), "after logging out the report is the login page again"
    context.close()
    assert not errors, errors
