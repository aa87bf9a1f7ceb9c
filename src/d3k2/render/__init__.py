"""Renderers: the one JSON contract (:mod:`.contract`), text and charts."""
