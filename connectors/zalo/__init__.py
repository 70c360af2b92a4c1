"""Zalo Official Account channel: webhook in, customer-service messages out (credentials.yml names
`connectors.zalo.ZaloInput`).

config.py reads the settings, signature.py checks the webhook's signature, events.py reads its body,
messages.py shapes the replies within Zalo's limits, api.py sends them with the OA's tokens (tokens.py)
and refreshes those, channel.py holds Rasa's input and output channels that tie these together.
"""
from connectors.zalo.channel import ZaloInput

__all__ = ["ZaloInput"]
