"""python -m evn.seed: create and fill the demo database (reference data, two demo customers, N synthetic
ones), or run a billing period.

    python -m evn.seed [--customers 1000] [--reference-date 2026-11-01] [--readings-until YYYY-MM-DD] [--reset]
    python -m evn.seed --issue-period 11/2026   (a billing run: evn.demo.billing_run)
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from evn.adapters.db import make_engine
from evn.adapters.migrate import upgrade
from evn.demo.billing_run import issue_period
from evn.demo.history import Shares, parse_mix, parse_span
from evn.demo.seed import DAILY_SHARE, seed
from evn.domain.periods import Period
from evn.domain.time import vietnam_date
from evn.services.clock import running_from, utcnow
from evn.settings import load_settings


def _period(text: str) -> Period:
    """MM/YYYY, as bills name their period."""
    month, _, year = text.strip().partition("/")
    try:
        return Period(int(year), int(month))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a period like 11/2026: {text!r}") from None


def _arg(parse):
    """argparse's type= for a parser that raises ValueError with a reason."""
    def convert(text: str):
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return convert


def _shares(args: argparse.Namespace) -> Shares:
    given = {"cash": args.cash_share, "cashless_mix": args.payment_mix, "intake_mix": args.intake_mix,
             "request_rate": args.request_rate, "link_share": args.link_share}
    return Shares(**{name: value for name, value in given.items() if value is not None})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1000, help="synthetic customers besides the two demo ones")
    parser.add_argument("--reference-date", type=date.fromisoformat, default=date(2026, 11, 1),
                        help="bills cover the 12 months before this day (default 2026-11-01)")
    parser.add_argument("--reset", action="store_true", help="delete customers and bills first")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL or var/evn.sqlite3")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--issue-period", type=_period, default=None, metavar="MM/YYYY",
                        help="add that period's bills for every customer without one (a billing run)")
    daily = parser.add_argument_group("daily readings of remotely read meters (evn/demo/daily_use.py)")
    daily.add_argument("--readings-until", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                       help="the last day read (default: yesterday, by DEMO_NOW when it is set)")
    daily.add_argument("--daily-share", type=float, default=DAILY_SHARE,
                       help=f"share of the synthetic customers read every day (default {DAILY_SHARE})")
    history = parser.add_argument_group("the synthetic customers' history (evn/demo/history.py)")
    history.add_argument("--cash-share", type=_arg(parse_span), default=None, metavar="FIRST:LAST",
                         help="share of them paying cash in the first and the last month (default 0.38:0.05)")
    history.add_argument("--payment-mix", type=_arg(parse_mix), default=None, metavar="CHANNEL=W,…",
                         help="weights of the cashless channels, e.g. bank_transfer=24,momo=18,vnpay=12")
    history.add_argument("--intake-mix", type=_arg(parse_mix), default=None, metavar="CHANNEL=W,…",
                         help="weights of the request intake channels, e.g. counter=1.5,call_centre=38,zalo=12")
    history.add_argument("--request-rate", type=float, default=None, help="requests per customer and month (0.02)")
    history.add_argument("--link-share", type=_arg(parse_span), default=None, metavar="FIRST:LAST",
                         help="gateway payments made through the assistant's links, first:last month (0.05:0.35)")
    args = parser.parse_args(argv)
    if args.customers < 0:
        parser.error("--customers must be 0 or more")
    if not 0 <= args.daily_share <= 1:
        parser.error("--daily-share is between 0 and 1")
    try:
        shares = _shares(args)
    except ValueError as error:
        parser.error(str(error))
    settings = load_settings()
    engine = make_engine(args.database_url or settings.database_url)
    if args.issue_period is not None:
        upgrade(str(engine.url.render_as_string(hide_password=False)))
        run = issue_period(engine, args.issue_period)
        print(f"Đã phát hành {run['bills']:,} hóa đơn kỳ {args.issue_period} trong {run['seconds']:.1f} s."
              .replace(",", "."))
        return 0
    clock = utcnow if settings.demo_now is None else running_from(settings.demo_now)
    until = args.readings_until or vietnam_date(clock()) - timedelta(days=1)
    result = seed(engine, args.customers, args.reference_date, reset=args.reset, quiet=args.quiet, shares=shares,
                  readings_until=until, daily_share=args.daily_share)
    if result["skipped"]:
        print("Dữ liệu mẫu đã có sẵn; dùng --reset để tạo lại.")
    else:
        print(f"Đã tạo {result['customers']:,} khách hàng trong {result['seconds']:.1f} s.".replace(",", "."))
    return 0



if __name__ == "__main__":
    sys.exit(main())
