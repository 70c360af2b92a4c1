"""python -m evn.entrypoints.worker: the one process that delivers the outbox (payment confirmations, agents'
replies and the handoff's turns) and the notices, and runs the scans that fill them (a handoff nobody
took in time; new bills, due dates, planned outages) and the one that empties the customers' pictures past their
retention. Notices go in their own thread, so a platform's
pace never delays an agent's words."""
from __future__ import annotations

import logging
import signal
import threading

from evn.bootstrap import bootstrap
from evn.logging_setup import install as install_logging


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    install_logging()
    core = bootstrap()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    logging.getLogger(__name__).info("worker started")
    notices = threading.Thread(target=core.notices.run_forever, args=(stop, core.notice_scanner.scan),
                               name="notices", daemon=True)
    notices.start()
    core.outbox.run_forever(stop, scans=[core.handoffs.scan_unanswered, core.pictures.purge_expired])
    notices.join(timeout=10)


if __name__ == "__main__":
    main()
