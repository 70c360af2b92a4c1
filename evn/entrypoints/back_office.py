"""python -m evn.entrypoints.back_office status <ticket> <status> [--note "..."]: an operator moves a request on.

Stands in for the back office's own system: the status changes, the timeline gets its
line, and the customer's linked channels (and the conversation that filed it) get a
notice, all in one transaction (RequestService.change_status). Statuses: received,
assigned, in_progress, done, cancelled.
"""
from __future__ import annotations

import argparse
import sys

from evn.bootstrap import bootstrap
from evn.domain.statuses import RequestStatus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evn.entrypoints.back_office", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="change a request's status (the customer is notified)")
    status.add_argument("ticket", help="YC-… or MD-…")
    status.add_argument("status", choices=[s.value for s in RequestStatus])
    status.add_argument("--note", default="", help="the timeline's line, as the customer reads it")
    arguments = parser.parse_args(argv)
    view = bootstrap().requests.change_status(arguments.ticket, RequestStatus(arguments.status), arguments.note)
    if view is None:
        print(f"Không có yêu cầu {arguments.ticket}.", file=sys.stderr)
        return 1
    print(f"Yêu cầu {view.ticket}: {view.status.value}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
