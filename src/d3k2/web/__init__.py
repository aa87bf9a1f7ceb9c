"""The web door: a FastAPI application (JSON API + server-rendered pages).

Imports FastAPI, Starlette and Jinja2; nothing outside this package imports it at module
level (``d3k2 serve`` imports it lazily). Build the application with
:func:`d3k2.web.app.create_app`.
"""
