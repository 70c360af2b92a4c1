"""nginx in front of the production profile (Debian's nginx, run by the supervisor in the foreground).

Public, on PROXY_PORT: Rasa's channel webhooks (/webhooks/), the widget's /socket.io/,
and everything else of the web app (chat page, pay pages, gateway callbacks, /healthz).
Rasa's HTTP API is not public: it is on INTERNAL_PROXY_PORT, bound to 127.0.0.1, for
the web apps and the outbox dispatcher.

HTTP is balanced round robin with no stickiness: a conversation's state is in the
tracker store and its lock in Redis, so any Rasa process can take any message, and a
request that cannot reach one process (refused, reset) is passed to the other.
/socket.io/ is routed by client address. The widget speaks websocket, which is one
connection to one process anyway; its long-polling fallback sends each request of a
session separately, and python-socketio keeps a session in the process that opened it
(its Redis manager shares rooms and emits, not sessions), so those requests must reach
the same process. Emits cross processes through Redis (connectors/widget.py).
"""
from __future__ import annotations

import os
from pathlib import Path

FORWARDED = """
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_http_version 1.1;
        proxy_set_header Connection "";"""


BY_ADDRESS = "        hash $remote_addr consistent;\n"


def _upstream(name: str, ports: list[int], balance: str = "") -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;" for port in ports)
    return f"    upstream {name} {{\n{balance}{servers}\n        keepalive 16;\n    }}\n"


def render(directory: Path, log_dir: Path, proxy_port: int, internal_port: int, rasa_ports: list[int],
           web_ports: list[int]) -> Path:
    """Writes nginx.conf (and its temp folders) under `directory`; returns its path."""
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers as root may read var/run/nginx/tmp
    temp = directory / "tmp"
    upstreams = (_upstream("rasa", rasa_ports) + _upstream("rasa_socketio", rasa_ports, BY_ADDRESS)
                 + _upstream("web", web_ports))
    conf = f"""# Written by tools/nginx_conf.py for the production profile; do not edit.
{user}worker_processes 1;
pid {directory / 'nginx.pid'};
error_log {log_dir / 'nginx-error.log'} warn;
events {{ worker_connections 4096; }}
http {{
    access_log {log_dir / 'nginx-access.log'};
    client_body_temp_path {temp / 'client_body'};
    proxy_temp_path {temp / 'proxy'};
    fastcgi_temp_path {temp / 'fastcgi'};
    uwsgi_temp_path {temp / 'uwsgi'};
    scgi_temp_path {temp / 'scgi'};
    client_max_body_size 1m;
    server_tokens off;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
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
        location / {{
            proxy_pass http://web;
            proxy_read_timeout 30s;{FORWARDED}
        }}
    }}
    server {{
        listen 127.0.0.1:{internal_port};
        proxy_next_upstream error timeout http_502;
        proxy_connect_timeout 2s;
        location / {{
            proxy_pass http://rasa;
            proxy_read_timeout 60s;{FORWARDED}
        }}
    }}
}}
"""
    path = directory / "nginx.conf"
    path.write_text(conf)
    return path
