"""python -m webapp: serve the pay pages and gateway callbacks on WEB_PORT (default 8080)."""
from __future__ import annotations

import logging

from evn.bootstrap import bootstrap
from evn.logging_setup import install as install_logging
from webapp.app import create_app
from webapp.chat_page import require_files


def main() -> None:
    require_files()  # before anything starts: exits 1, saying which file and how to install it
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    install_logging()
    context = bootstrap()
    app = create_app(context)
    # One process, supervised from outside (ops/supervisor.py): Sanic 25 would otherwise start a worker process
    # that looks the app up by name before this function built it.
    app.run(host=context.settings.web_host, port=context.settings.web_port,
            workers=1, access_log=False, motd=False, single_process=True)


if __name__ == "__main__":
    main()
