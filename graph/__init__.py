"""Ranking community champions with NetworkX (issue 3). Nothing here yet."""
