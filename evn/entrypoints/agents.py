"""The console's accounts, for an administrator.

python -m evn.agents add <name> [--display-name "Nguyễn Thị Lan"]: create an agent of the console,
or set a new password for one (asked twice on a terminal, or read from AGENT_PASSWORD).
python -m evn.agents unlock <name> [--address 203.0.113.7]: lift the login limits of a name (every
address refused after wrong passwords for it, and its slowing); with --address, that address's own
limit across names too (evn.domain.login_limits)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from evn.bootstrap import bootstrap
from evn.services.agents import AgentError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evn.agents", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an agent, or set a new password for one")
    add.add_argument("username")
    add.add_argument("--display-name", default="", help="the name customers see (default: the username)")
    unlock = commands.add_parser("unlock", help="lift the login limits of a user name")
    unlock.add_argument("username")
    unlock.add_argument("--address", default="", help="also this client address's own limit across names")
    arguments = parser.parse_args(argv)
    if arguments.command == "unlock":
        failed = bootstrap().agents.unlock(arguments.username, arguments.address)
        print(f"Đã mở khóa đăng nhập của {arguments.username.strip().lower()} "
              f"({failed} địa chỉ từng nhập sai mật khẩu được thử lại ngay).")
        return 0
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
