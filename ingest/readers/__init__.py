"""Readers: pure functions from a source's bytes to the normal form (``ingest.records``).

A new format is a new module here and an entry in ``detect.READERS``; nothing else changes.
"""
