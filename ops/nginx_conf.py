"""nginx in front of the production profile (Debian's nginx, run by the supervisor in the foreground).

Public, on PROXY_PORT: Rasa's channel webhooks (/webhooks/), the widget's /socket.io/,
and everything else of the web app (chat page, pay pages, gateway callbacks, /healthz).
Rasa's HTTP API is not public: it is on INTERNAL_PROXY_PORT, bound to 127.0.0.1, for
the web apps and the worker.

HTTP is balanced round robin with no stickiness: a conversation's state is in the
tracker store and its lock in Redis, so any Rasa process can take any message, and a
request that cannot reach one process (refused, reset) is passed to the other.
/socket.io/ is routed by client address. The widget speaks websocket, which is one
connection to one process anyway; its long-polling fallback sends each request of a
session separately, and python-socketio keeps a session in the process that opened it
(its Redis manager shares rooms and emits, not sessions), so those requests must reach
the same process. Emits cross processes through Redis (connectors/widget.py).

The access log has no query strings (log_format `path_only`: the method and $uri, the path
alone): a URL's arguments can carry credentials (Facebook's hub.verify_token, a gateway's
signed return), and a request's headers, where our clients put Rasa's JWT, are not logged.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

FORWARDED = """
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_http_version 1.1;
        proxy_set_header Connection "";"""


BY_ADDRESS = "        hash $remote_addr consistent;\n"


@dataclass(frozen=True)
class Paths:
    """Where nginx keeps its pid, logs and temporary files (this machine's var/, or a container's)."""

    pid: str
    error_log: str
    access_log: str
    temp: str

    @classmethod
    def under(cls, directory: Path, log_dir: Path) -> Paths:
        return cls(str(directory / "nginx.pid"), str(log_dir / "nginx-error.log"), str(log_dir / "nginx-access.log"),
                   str(directory / "tmp"))


def _upstream(name: str, servers_: list[str], balance: str = "") -> str:
    servers = "\n".join(f"        server {server} max_fails=1 fail_timeout=3s;" for server in servers_)
    return f"    upstream {name} {{\n{balance}{servers}\n        keepalive 16;\n    }}\n"


TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def render(directory: Path, log_dir: Path, proxy_port: int, internal_port: int, rasa_ports: list[int],
           web_ports: list[int]) -> Path:
    """Writes nginx.conf (and its temp folders) under `directory` for this machine; returns its path."""
    for sub in TEMP_DIRS:
        (directory / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    path = directory / "nginx.conf"
    path.write_text(text(Paths.under(directory, log_dir), proxy_port, f"127.0.0.1:{internal_port}",
                         [f"127.0.0.1:{port}" for port in rasa_ports], [f"127.0.0.1:{port}" for port in web_ports],
                         run_as_root=os.geteuid() == 0))
    return path


def text(paths: Paths, proxy_port: int, internal_listen: str, rasa: list[str], web: list[str],
         run_as_root: bool = False) -> str:
    """The configuration itself: `rasa` and `web` are the upstreams' host:port."""
    user = "user root;\n" if run_as_root else ""  # workers as root may read var/run/nginx/tmp
    temp = paths.temp
    upstreams = _upstream("rasa", rasa) + _upstream("rasa_socketio", rasa, BY_ADDRESS) + _upstream("web", web)
    return f"""# Written by ops/nginx_conf.py for the production profile; do not edit.
{user}worker_processes 1;
pid {paths.pid};
error_log {paths.error_log} warn;
events {{ worker_connections 4096; }}
http {{
    log_format path_only '$remote_addr [$time_local] "$request_method $uri $server_protocol" $status '
                         '$body_bytes_sent $request_time "$http_user_agent"';
    access_log {paths.access_log} path_only;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 1m;
    server_tokens off;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # Logins to the agent console (POST only; an empty key is not counted): one try per 10 s per client,
    # after a burst of 10. No limit shared by all clients: fifty addresses could keep it full and shut every
    # agent out; the web apps' own limits (evn/domain/login_limits.py, two hashing slots) take it from here.
    map $request_method $agent_login_client {{ POST $binary_remote_addr; default ""; }}
    limit_req_zone $agent_login_client zone=agent_login:10m rate=6r/m;
    limit_req_status 429;
{upstreams}
    server {{
        listen {proxy_port};
        proxy_next_upstream error timeout http_502;
        proxy_next_upstream_tries 2;
        proxy_connect_timeout 2s;

        location /webhooks/ {{
            proxy_pass http://rasa;
            proxy_read_timeout 60s;{FORWARDED}
        }}
        location /socket.io/ {{
            proxy_pass http://rasa_socketio;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 3600s;
        }}
        location = /agent/report {{
            # The operations report counts for up to a minute on a large database: wait for it,
            # and never count it again on the other web process.
            proxy_pass http://web;
            proxy_next_upstream off;
            proxy_read_timeout 90s;{FORWARDED}
        }}
        location ~ ^/agent/login/?$ {{  # with or without the slash: the web app routes both to the login
            limit_req zone=agent_login burst=10 nodelay;
            proxy_pass http://web;
            proxy_read_timeout 30s;{FORWARDED}
        }}
        location / {{
            proxy_pass http://web;
            proxy_read_timeout 30s;{FORWARDED}
        }}
    }}
    server {{
        listen {internal_listen};
        access_log {paths.access_log} path_only;  # Rasa's HTTP API: never a query string in a log
        proxy_next_upstream error timeout http_502;
        proxy_connect_timeout 2s;
        location / {{
            proxy_pass http://rasa;
            proxy_read_timeout 60s;{FORWARDED}
        }}
    }}
}}
"""


# docker-compose.yml's nginx: the same configuration with the services' names (deploy/nginx.conf).
COMPOSE = {"paths": Paths("/var/run/nginx.pid", "/dev/stderr", "/dev/stdout", "/var/cache/nginx"),
           "proxy_port": 8000, "internal_listen": "8001", "rasa": ["rasa-1:5005", "rasa-2:5005"],
           "web": ["web-1:8080", "web-2:8080"]}


def main() -> int:
    """python -m ops.nginx_conf > deploy/nginx.conf (a test checks the committed file is this output)."""
    argparse.ArgumentParser(description=main.__doc__).parse_args()
    sys.stdout.write(text(**COMPOSE))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
