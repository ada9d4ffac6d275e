"""The leaderboard's filters as SQL, shared by the page readers and the export (so a download
holds exactly the people the page shows). Aliases: ``s`` champion_scores, ``u`` users."""

from __future__ import annotations

from typing import Any

__all__ = ["people_filters"]


def people_filters(*, tier: str | None = None, lang: str | None = None,
                   community: int | None = None, search: str | None = None
                   ) -> tuple[str, dict[str, Any]]:
    """`` AND ...`` conditions and their bound parameters."""
    sql, params = "", {}
    if tier:
        sql += " AND s.tier = :tier"
        params["tier"] = tier
    if lang:
        sql += " AND s.lang = :lang"
        params["lang"] = lang
    if community is not None:
        sql += " AND s.community = :c"
        params["c"] = community
    if search:
        sql += " AND (lower(u.username) LIKE :q OR lower(u.name) LIKE :q)"
        params["q"] = f"%{search.lower().lstrip('@')}%"
    return sql, params
