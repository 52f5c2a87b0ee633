"""Side effects live here: the daemon, its CLI, ingress, pipeline, outbox and web page."""


def version() -> str:
    """The installed version (importlib.metadata costs ~50 ms: asked for only where it is shown)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("postdesk")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
