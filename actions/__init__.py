"""Rasa custom actions: thin adapters from the conversation to the evn core.

One module per capability. Importing the package registers every action and
every question handler (rasa_sdk imports the package; tests import it too).
"""
from actions import billing, handoff, identity, outages, payments, service_requests  # noqa: F401
from evn.logging_privacy import install as install_log_privacy

install_log_privacy()
