"""Readers: pure functions from a source's bytes to the normal form (``ingest.records``).

A new format is a new module here and an entry in ``detect.READERS``; nothing else changes.
A format of one record a line also gets an entry in ``detect.LINE_READERS`` (its lines, and
one line's records), so that an import skips its unchanged lines unparsed and parses the rest
in worker processes (``ingest.parallel``).
"""
