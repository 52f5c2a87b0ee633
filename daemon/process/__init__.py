"""The daemon's processes: the front, the worker, forking, timed jobs, signals to systemd."""
