"""`python -m postdesk.daemon.process.worker …` would make the worker module `__main__`, and multiprocessing
re-imports the main module into every parse process (the whole daemon, ~30 MB each); a `__main__` module it skips."""

import sys

from postdesk.daemon.process.worker import main

if __name__ == "__main__":
    if sys.argv[1:2] != ["worker"]:
        sys.exit("usage: python -m postdesk.daemon worker --control-fd N  (`postdesk run` starts it)")
    del sys.argv[1]
    main()
