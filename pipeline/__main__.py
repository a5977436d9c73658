"""Entry point for `python -m pipeline`."""

import gc

from pipeline.cli import main

status = main()
# The process ends: the collector's last passes over every object still alive (a tenth of a
# large merge's time) would free nothing that exiting does not.
gc.freeze()
raise SystemExit(status)
