"""python -m evn.entrypoints.back_office: what the back office's own system does, for operators and scripts.

    status <ticket> <status> [--note "..."]    a request moves on (received, assigned, in_progress, done, cancelled)
    estimate <MD-ticket> [--cause C] [--at "dd/mm/yyyy hh:mm"]   an incident's cause and estimated restoration
    restored <MD-ticket>                         the incident's power is back

Each change and its notices are written in one transaction (RequestService.change_status,
IncidentService.set_estimate / restore): the customer's linked channels, the conversation that filed the
request, an incident's reporters and the linked customers of its area hear of it once. Times are Vietnam time.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime

from evn.bootstrap import bootstrap
from evn.domain.incidents import Cause, IncidentError
from evn.domain.statuses import RequestStatus
from evn.domain.time import from_vietnam_text

BY = "back_office"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evn.entrypoints.back_office", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="change a request's status (the customer is notified)")
    status.add_argument("ticket", help="YC-… or MD-…")
    status.add_argument("status", choices=[s.value for s in RequestStatus])
    status.add_argument("--note", default="", help="the timeline's line, as the customer reads it")
    estimate = commands.add_parser("estimate", help="give or change an incident's cause and estimated restoration")
    estimate.add_argument("ticket", help="the incident's MD-… ticket")
    estimate.add_argument("--cause", choices=[c.value for c in Cause])
    estimate.add_argument("--at", dest="estimated_at", type=_local_time, help='"dd/mm/yyyy hh:mm", Vietnam time')
    restored = commands.add_parser("restored", help="mark an incident's power back")
    restored.add_argument("ticket", help="the incident's MD-… ticket")
    arguments = parser.parse_args(argv)
    core = bootstrap()
    if arguments.command == "status":
        view = core.requests.change_status(arguments.ticket, RequestStatus(arguments.status), arguments.note)
        if view is None:
            print(f"Không có yêu cầu {arguments.ticket}.", file=sys.stderr)
            return 1
        print(f"Yêu cầu {view.ticket}: {view.status.value}.")
        return 0
    try:
        if arguments.command == "estimate":
            incident = core.incidents.set_estimate(
                arguments.ticket, BY, Cause(arguments.cause) if arguments.cause else None, arguments.estimated_at)
        else:
            incident = core.incidents.restore(arguments.ticket, BY)
    except LookupError:
        print(f"Không có sự cố {arguments.ticket}.", file=sys.stderr)
        return 1
    except IncidentError as refused:
        print(str(refused), file=sys.stderr)
        return 1
    state = "restored" if incident.restored_at else f"estimate {incident.estimated_at or '-'} UTC"
    print(f"Sự cố {incident.ticket}: {state}, cause {incident.cause.value if incident.cause else '-'}.")
    return 0


def _local_time(text: str) -> datetime:
    try:
        return from_vietnam_text(text)
    except ValueError as wrong:
        raise argparse.ArgumentTypeError('"dd/mm/yyyy hh:mm"') from wrong


if __name__ == "__main__":
    raise SystemExit(main())
