"""Postdesk, installed as one package.

The repository keeps its layers at the top (daemon/, parsers/, routing/, storage/, templates/); this
folder holds a link to each, so that Python, mypy and the wheel all see them as `postdesk.daemon`,
`postdesk.parsers`, … — the one top-level name Postdesk claims in site-packages."""
