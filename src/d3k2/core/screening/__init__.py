"""Screening: the facts model, the rule language, labs, DRIs and the engine."""
