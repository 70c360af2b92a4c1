"""python -m evn.meter_data import FILE: load the meter data system's daily export (evn/entrypoints/meter_data.py)."""
import sys

from evn.entrypoints.meter_data import main

if __name__ == "__main__":
    sys.exit(main())
