"""Readers: what people and systems write -> facts and requests (profile files, matching,
regimen text, sun options)."""
