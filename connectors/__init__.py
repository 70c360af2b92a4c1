"""Input channels of the Rasa server. Importing the package masks personal data in the server's logs."""
from evn.logging_setup import install as install_logging

install_logging()
