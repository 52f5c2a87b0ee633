"""Jinja2 templates for every mail and page, per language, and the module that renders them."""
