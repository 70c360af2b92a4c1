"""Rasa custom actions: thin adapters from the conversation to the evn core.

One module per capability. Importing the package registers every action and
every question handler (rasa_sdk imports the package; tests import it too).
"""
from actions import (  # noqa: F401
    billing,
    documents,
    handoff,
    hotlines,
    identity,
    links,
    notices,
    outages,
    payments,
    pictures,
    reading_dispute,
    scam_check,
    service_requests,
    usage_alerts,
)
from evn.logging_setup import install as install_logging
from rasa_sdk_plugins import require_guard

install_logging()
# rasa-sdk skips its plugin silently when it cannot import it: the actions refuse to load instead.
require_guard()
