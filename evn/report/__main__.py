"""python -m evn.report: the operations report; the command lives in evn/entrypoints/report.py."""
import sys

from evn.entrypoints.report import main

if __name__ == "__main__":
    sys.exit(main())
