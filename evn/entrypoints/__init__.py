"""The core's own processes and commands: the worker, the agents' and back office's CLIs, the report, the seed."""
