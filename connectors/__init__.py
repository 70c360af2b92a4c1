"""Input channels of the Rasa server.

Importing the package masks personal data in the server's logs and installs the faster
check of action server answers (action_result_schema.py) and lookup of event classes
(event_types.py).
"""
from connectors import action_result_schema, event_types
from evn.logging_setup import install as install_logging

install_logging()
action_result_schema.install()
event_types.install()
