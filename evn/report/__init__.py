"""The operations report for operators: python -m evn.report --from 2026-01 --to 2026-10 --out reports/.

evn.services.operations_report counts; this package lays the figures out (document.py), writes
them as Markdown and HTML (writers.py) and draws the charts (charts.py).
"""
