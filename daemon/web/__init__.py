"""The web app: the requester's pages, the portal, signed links and /metrics.

app.py wires them: site.py (what every page shares), tracking.py (/t/ and /r/: the requester's tracking
page, its comment, "solved" and rating, the whole mail), public.py (an article, unsubscribe, /healthz,
/metrics), portal/ (the employees' pages). Their words are in the gettext catalogs (templates.i18n).
"""
