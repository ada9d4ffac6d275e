"""SQL schema and sessions: the one faithful record that ingest writes and graph/pages read."""
