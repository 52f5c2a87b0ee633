"""Side effects live here: the daemon, its CLI, ingress, pipeline, outbox and web page."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("postdesk")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
