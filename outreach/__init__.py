"""Reaching champions: the outreach pipeline (with its audit trail) and exports for staff."""
