"""Business core of the EVN customer-care assistant, independent of Rasa.

domain/    pure rules: tariff, periods, identity, masking, formatting
adapters/  SQLAlchemy tables, repositories, bulk loading
services/  use cases the chat actions call
"""
