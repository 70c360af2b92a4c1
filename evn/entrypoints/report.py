"""python -m evn.report --from 2026-01 --to 2026-10 --out reports/

Writes the operations report for those months (Vietnam time) as Markdown, HTML and PNG charts
into --out, from DATABASE_URL and, for the assistant's conversation figures, Rasa's tracker
store (TRACKER_STORE_URL, or --tracker-store-url). Without --from/--to: the last 12 whole months.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from evn.adapters.db import make_engine
from evn.domain.operations_report import MonthRange
from evn.domain.time import vietnam_date
from evn.report.charts import charts
from evn.report.document import document
from evn.report.formatting import decimal
from evn.report.writers import html_page, markdown
from evn.services.errors import StoreUnreadable
from evn.services.operations_report import Report, build
from evn.settings import load_settings


def write(report: Report, out: Path) -> list[Path]:
    """The report's files in `out`, named for the range: .md, .html and one .png per chart."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"van-hanh-{report.months.first.year}-{report.months.first.month:02d}" \
           f"-{report.months.last.year}-{report.months.last.month:02d}"
    written = []
    for name, png in charts(report).items():
        path = out / f"{stem}-{name}.png"
        path.write_bytes(png)
        written.append(path)

    def chart_src(name: str) -> str:
        return f"{stem}-{name}.png"

    doc = document(report)
    for suffix, text in ((".md", markdown(doc, chart_src)), (".html", html_page(doc, chart_src))):
        path = out / f"{stem}{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="first month (default: 12 months ago)")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="last month (default: last month)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="directory for the files (reports/)")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    parser.add_argument("--tracker-store-url", default=None, help="Rasa's SQL tracker store (TRACKER_STORE_URL)")
    args = parser.parse_args(argv)
    try:
        first, last = MonthRange.last_whole(vietnam_date(datetime.now(timezone.utc).replace(tzinfo=None))).bounds
        months = MonthRange.parse(args.first or first, args.last or last)
    except ValueError as error:
        parser.error(str(error))
    settings = load_settings()
    tracker_url = args.tracker_store_url or settings.tracker_store_url
    engine = make_engine(args.database_url or settings.database_url)
    tracker = make_engine(tracker_url) if tracker_url else None
    try:
        report = build(engine, months, tracker)
    except StoreUnreadable as error:
        print(f"Không đọc được cơ sở dữ liệu: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
        if tracker is not None:
            tracker.dispose()
    for path in write(report, args.out):
        print(path)
    print(f"Báo cáo {months}: tính trong {decimal(report.seconds, 's')}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
