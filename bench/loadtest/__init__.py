"""`make loadtest` (`python -m bench.loadtest`, see __main__.py): simulated customers on the production profile.

Split along what a run does: the simulated customers and the checks of every reply (simulation.py);
the books checked afterwards in the tracker store and the business database (books.py); the CPU each
kind of process spent (cpu.py); the profile a run starts on its own databases (run_profile.py); a
customer with years of history (long_history.py); the latency tables and printed report (report.py).
"""
