"""Entry point for `python -m pipeline`."""

import gc
import signal
import sys

try:
    from pipeline.cli import main

    status = main()
except KeyboardInterrupt:  # before main's own handler is in place, or after it returned
    print("interrupted: every file is as it was or complete; run the command again",
          file=sys.stderr)
    status = 130
# The run is over: a Ctrl-C now, while the interpreter ends, would print a traceback and end
# the process by the signal instead of with its status.
signal.signal(signal.SIGINT, signal.SIG_IGN)
# The process ends: the collector's last passes over every object still alive (a tenth of a
# large merge's time) would free nothing that exiting does not.
gc.freeze()
raise SystemExit(status)
