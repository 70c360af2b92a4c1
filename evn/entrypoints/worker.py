"""python -m evn.entrypoints.worker: the one process that delivers the outbox (payment confirmations, agents'
replies and the handoff's turns) and the notices, and runs the scans that fill them (a handoff nobody
took in time; new bills, due dates, planned outages) and the one that empties the customers' pictures past their
retention. Notices go in threads of their own, one per channel, so a platform's pace never delays an agent's words
nor another platform's notices."""
from __future__ import annotations

import logging
import signal
import threading

from evn.bootstrap import bootstrap
from evn.domain.account_links import LINKABLE_CHANNELS
from evn.logging_setup import install as install_logging

NOTICE_CHANNELS = tuple(sorted(LINKABLE_CHANNELS))  # facebook, socketio, zalo: the channels that take notices


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    install_logging()
    core = bootstrap()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    logging.getLogger(__name__).info("worker started")
    # A thread per channel, each at its platform's pace; the first also runs the scans that write notices.
    lanes = [threading.Thread(target=core.notices.run_forever, name=f"notices-{channel}", daemon=True,
                              args=(stop, core.notice_scanner.scan if first else None),
                              kwargs={"channel": channel})
             for first, channel in zip((True, False, False), NOTICE_CHANNELS, strict=True)]
    for lane in lanes:
        lane.start()
    core.outbox.run_forever(stop, scans=[core.handoffs.scan_unanswered, core.pictures.purge_expired])
    for lane in lanes:
        lane.join(timeout=10)


if __name__ == "__main__":
    main()
