"""python -m evn.agents: the agents' accounts.

Kept under this name because runbooks and deployments call it; the command lives in evn/entrypoints/agents.py.
"""
import sys

from evn.entrypoints.agents import main

if __name__ == "__main__":
    sys.exit(main())
