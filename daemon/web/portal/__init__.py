"""The self-service portal: sign in by mail, my requests, a request form, the knowledge base, news, the desk.

`register` (daemon.web.portal.routes) adds its routes to the web app; the rest are pure helpers and page handlers.
Kept free of imports here: daemon.config reads the catalog's declarations from daemon.web.portal.catalog.
"""
