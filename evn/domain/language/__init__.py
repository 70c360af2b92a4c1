"""The language of customers: what their words say, read before and beside the trained model."""
