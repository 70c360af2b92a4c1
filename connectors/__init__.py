"""Input channels of the Rasa server (credentials.yml names them).

Rasa imports this package to load its channels, so importing it also masks personal data in the server's logs
and installs the server's plugins (rasa_server_plugins/: the faster check of action server answers and lookup
of event classes).
"""
import rasa_server_plugins
from evn.logging_setup import install as install_logging

install_logging()
rasa_server_plugins.install()
