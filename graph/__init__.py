"""Ranking community champions with NetworkX: roles, SQL aggregates, scores, communities."""
