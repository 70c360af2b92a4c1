"""Input channels of the Rasa server. Importing the package masks personal data in the server's logs."""
from evn.logging_privacy import install as install_log_privacy

install_log_privacy()
