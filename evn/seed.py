"""python -m evn.seed: create and fill the demo database, or run a billing period.

Kept under this name because runbooks and deployments call it; the command lives in evn/entrypoints/seed.py.
"""
import sys

from evn.entrypoints.seed import main

if __name__ == "__main__":
    sys.exit(main())
