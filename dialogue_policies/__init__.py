"""Dialogue policies of this assistant beside Rasa's RulePolicy (config.yml)."""
