"""Untrusted text written out: CSV cells stay inert in a spreadsheet, terminal text stays text."""

import csv

from untrusted import printable, safe_cell, write_csv


def test_formula_cells_are_neutralised(tmp_path):
    path = tmp_path / "out.csv"
    rows = [[1, '@=HYPERLINK("http://evil.example","x")', 2.5],
            [2, "=cmd|' /C calc'!A0", -3.0], [3, "+1+1", None], [4, "-2", 0],
            [5, "\tx", 1], [6, "\rx", 1], [7, "plain_name", 1]]
    write_csv(path, ["rank", "username", "score"], rows)
    got = list(csv.reader(path.open(newline="")))[1:]
    assert [r[1] for r in got] == ["'" + r[1] for r in rows[:6]] + ["plain_name"]
    assert got[1][2] == "-3.0"  # numbers are numbers, not text to neutralise
    assert safe_cell(None) is None and safe_cell(-1) == -1


def test_terminal_text_drops_escape_sequences():
    assert printable("hi \x1b[2J\x1b]0;owned\x07 there\n\tyou") == "hi [2J]0;owned there you"
    assert printable(None) == "" and printable("abcdef", 3) == "abc"


def test_access_allow_list():
    from settings import Access

    a = Access(allowed_emails=("ana@acme.example",), allowed_domains=("staff.acme.example",))
    assert a.allows("Ana@Acme.example") and a.allows("bo@staff.acme.example")
    assert not a.allows("bo@acme.example") and not a.allows("x@evil.staff.acme.example.com")
    assert not a.allows("") and not a.allows(None) and not a.allows("no-at-sign")
    assert not Access().allows("ana@acme.example")  # sign-in on, empty list: nobody


def test_rank_out_is_an_export_too(engine, db_url, tmp_path):
    """`graph rank --out` writes people: do-not-contact people are left out, and the rows
    count against the exporter's daily cap."""
    from graph import cli as graph_cli
    from ingest.files import import_files
    from outreach.contact import os_user
    from outreach.export import exported_today
    from outreach.pipeline import update_entry
    from tests.conftest import realdata, scalar

    import_files(engine, None, [realdata("twcs-head-monalisapatra26/twcs.csv")],
                 log=lambda m: None)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[ranking]\nwindow = "3650d"\n')
    out = tmp_path / "rank.csv"
    assert graph_cli.main(["rank", "--db", db_url, "--config", str(cfg), "--out", str(out)]) == 0
    first = [line.split(",")[1] for line in out.read_text().splitlines()[1:]]
    assert len(first) >= 2  # the real helpers the ranking names
    uid = scalar(engine, "SELECT id FROM users WHERE username = :u", u=first[0])
    update_entry(engine, uid, "lead@acme.example", status="do-not-contact")
    assert graph_cli.main(["rank", "--db", db_url, "--config", str(cfg), "--out", str(out)]) == 0
    names = [line.split(",")[1] for line in out.read_text().splitlines()[1:]]
    assert first[0] not in names and names == first[1:]
    assert exported_today(engine, os_user()) == len(first) + len(names)
