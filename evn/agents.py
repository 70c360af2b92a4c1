"""python -m evn.agents add <name> [--display-name "Nguyễn Thị Lan"]: create an agent of the console,
or set a new password for one (asked twice on a terminal, or read from AGENT_PASSWORD)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from evn.bootstrap import bootstrap
from evn.services.agents import AgentError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evn.agents", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an agent, or set a new password for one")
    add.add_argument("username")
    add.add_argument("--display-name", default="", help="the name customers see (default: the username)")
    arguments = parser.parse_args(argv)
    password = os.environ.get("AGENT_PASSWORD", "")
    if not password:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu: ")
            if getpass.getpass("Nhập lại mật khẩu: ") != password:
                print("Hai lần nhập không khớp.", file=sys.stderr)
                return 2
    try:
        agent, created = bootstrap().agents.add_or_update(arguments.username, password, arguments.display_name)
    except AgentError as error:
        print(f"Không tạo được: {error.reason}", file=sys.stderr)
        return 2
    print(f"{'Đã tạo' if created else 'Đã cập nhật'} nhân viên {agent.username} ({agent.display_name}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
