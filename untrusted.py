"""Untrusted text (tweets, names, bios, bad input) written out safely: CSV cells a spreadsheet
will not run, terminal text without control sequences."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["safe_cell", "cell_value", "csv_text", "write_csv", "printable", "profile_url"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (it starts with = + - @, a tab or
    a carriage return) gets a leading apostrophe; numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cell_value(cell: str) -> str:
    """The text a ``safe_cell`` stood for, read back from a CSV this tool wrote (a cell that
    was "'=1+1" before it was written reads as "=1+1": the one text it cannot tell apart)."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with every cell made inert for spreadsheets."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows([safe_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    path.write_text(csv_text(header, rows), encoding="utf-8", newline="")


def printable(text: str | None, limit: int | None = None) -> str:
    """Untrusted text for a terminal: whitespace folded, control characters (ANSI escapes
    included) dropped."""
    out = "".join(ch for ch in " ".join((text or "").split()) if ch.isprintable())
    return out[:limit] if limit else out


_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")


def profile_url(user_id: int, username: str | None) -> str:
    """A link to the X profile, built only from a valid username of a real X account (a
    username is untrusted text: anything else gives no link)."""
    if user_id > 0 and username and _USERNAME.match(username):
        return f"https://x.com/{username}"
    return ""
