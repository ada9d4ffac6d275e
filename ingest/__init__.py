"""Ingest jobs: read every tweet source into one normal form and write it to SQL."""
