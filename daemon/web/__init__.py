"""The web app: the requester's pages, the portal, signed links and /metrics."""
