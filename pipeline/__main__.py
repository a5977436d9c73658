"""Entry point for `python -m pipeline`."""

import gc
import sys

try:
    from pipeline.cli import main

    status = main()
except KeyboardInterrupt:  # before main's own handler is in place, or after it returned
    print("interrupted: every file is as it was or complete; run the command again",
          file=sys.stderr)
    status = 130
# The process ends: the collector's last passes over every object still alive (a tenth of a
# large merge's time) would free nothing that exiting does not.
gc.freeze()
raise SystemExit(status)
