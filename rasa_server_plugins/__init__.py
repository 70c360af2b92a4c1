"""What the Rasa server runs of this project's own besides its channels and NLU components: faster checks of the
action server's answers and lookups of event classes (installed when Rasa loads the channels), the Redis lock
store (endpoints.yml), and the tracker reads of the input guard."""
from rasa_server_plugins import action_result_schema, event_types


def install() -> None:
    action_result_schema.install()
    event_types.install()
