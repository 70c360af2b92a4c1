"""python -m webapp: serve the pay pages and gateway callbacks on WEB_PORT (default 8080)."""
from __future__ import annotations

import logging
import os

from webapp.app import create_app
from webapp.composition import build


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    app = create_app(build())
    app.run(host=os.environ.get("WEB_HOST", "0.0.0.0"), port=int(os.environ.get("WEB_PORT", "8080")),
            workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
