"""python -m evn.dispatcher: the worker (the outbox and the notices).

Kept under this name because runbooks and deployments call it; the command lives in evn/entrypoints/worker.py.
"""
from evn.entrypoints.worker import main

if __name__ == "__main__":
    main()
