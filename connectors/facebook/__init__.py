"""Facebook Messenger behind the project's input guard (credentials.yml names `connectors.facebook.FacebookInput`).

signature.py checks the webhook's signature, events.py reads its body, messages.py shapes the replies
within Messenger's limits, api.py sends them to the Graph API, channel.py holds Rasa's input and output
channels that tie these together.
"""
from connectors.facebook.channel import FacebookInput

__all__ = ["FacebookInput"]
