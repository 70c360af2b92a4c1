"""The demo data: customers, their year of history, and the billing run that issues a period's bills."""
