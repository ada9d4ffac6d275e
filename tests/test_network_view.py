"""The network drawing: its data (``graph.network.network``), its layout, and the chart and
caption the network page and the person page's ego view draw from them."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.network_view import (NAMED, PAD, PALETTE, community_colours, legend,
                                    network_caption, network_chart)
from graph.network import layout, network
from graph.rank import run_ranking
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from store.db import make_engine
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    """The seeded demo (its base day fixed, so the test does not depend on the calendar),
    imported and ranked."""
    tmp = tmp_path_factory.mktemp("netview")
    url = f"sqlite:///{tmp / 'demo.db'}"
    engine = make_engine(url)
    path = tmp / "demo.jsonl"
    generate_demo(path, DemoSpec(3000, 7, today=date(2026, 10, 31)))
    import_files(engine, None, [path], log=lambda m: None)
    res = run_ranking(engine, Settings(
        support_handles=tuple(DEMO_SETTINGS["support_handles"]),
        staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
        fix_domains=tuple(DEMO_SETTINGS["fix_domains"])))
    yield url, engine, res
    engine.dispose()


def _layers(spec: dict) -> dict[str, dict]:
    """The chart's layers by what they draw: rule (links), point (people), text (names)."""
    out = {}
    for layer in spec["layer"]:
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        out.setdefault(mark, layer)
    return out


def _colour_of_group(spec: dict) -> dict[str, str]:
    scale = _layers(spec)["point"]["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"]))


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _person_colours(spec: dict) -> dict[str, str]:
    """username -> the colour the chart paints them."""
    colour = _colour_of_group(spec)
    return {r["username"]: colour[r["group"]] for r in _rows(spec, _layers(spec)["point"])}


def _page_chart(at) -> tuple[dict, dict[str, str]]:
    """The network chart an AppTest page drew, and who it painted which colour."""
    [(el, spec)] = [(el, spec) for el in at.get("vega_lite_chart")
                    for spec in [json.loads(el.proto.spec)]
                    if "layer" in spec and "point" in _layers(spec)]
    point = _layers(spec)["point"]["data"]["name"]
    data = next(d for d in el.proto.datasets if d.name == point)
    rows = pa.ipc.open_stream(data.data.data).read_pandas()
    colour = _colour_of_group(spec)
    return spec, {u: colour[g] for u, g in zip(rows["username"], rows["group"])}


def test_one_community_keeps_its_colour_across_views(ranked, monkeypatch):
    """The network page and a person's ego view (the person page) paint the same community,
    and so the same person, in the same colour."""
    url, engine, res = ranked
    top = res.ranked[0].username
    whole, ego = network(engine, res.run_id, 50), network(engine, res.run_id, 40, center=top)
    a, b = _colour_of_group(network_chart(whole).to_dict()), _colour_of_group(
        network_chart(ego).to_dict())
    shared = {k for k in set(a) & set(b) if k.startswith("#")}
    assert shared, (a, b)
    assert all(a[k] == b[k] for k in shared)

    # The same through the pages themselves: everyone drawn in both keeps their colour.
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/network.py").run()
    assert not at.exception
    _, on_network = _page_chart(at)
    at.switch_page("pages/person.py").run()
    assert not at.exception and at.selectbox(key="person_username").value == top
    _, on_person = _page_chart(at)
    both = (set(on_network) & set(on_person)) - set(DEMO_SETTINGS["support_handles"])
    assert len(both) >= 3, both
    assert {u: on_network[u] for u in both} == {u: on_person[u] for u in both}


def _node(i: int, community: int | None, *, brand: bool = False, score: float = 1.0,
          name: str | None = None) -> dict:
    return {"id": i, "username": name or f"user{i}", "score": score, "community": community,
            "brand": brand, "center": False, "status": "to contact", "last_contacted": None,
            "x": (i % 7) / 6, "y": (i % 5) / 4}


def test_legend_is_numeric_and_never_reuses_a_colour():
    """1, 4, 11, 13 sort as numbers, not as text; with more communities than colours, the
    smallest share "other", and no two entries share a colour."""
    few = {1: 5, 4: 3, 11: 9, 13: 2}
    nodes = [_node(c, c) for c in few] + [_node(99, None, brand=True)]
    domain, colours = legend(nodes, community_colours(few))
    assert domain == ["#1", "#4", "#11", "#13", "support handle"]
    assert len(set(colours)) == len(colours)

    # Twelve communities, nine colours: the three with the fewest ranked people (whatever
    # their numbers) are "other".
    many = {c: 20 - c for c in range(12)}
    many[2] = 1
    nodes = [_node(c, c) for c in many] + [_node(50, None), _node(99, None, brand=True)]
    domain, colours = legend(nodes, community_colours(many))
    numbered = [d for d in domain if d.startswith("#")]
    assert numbered == sorted(numbered, key=lambda d: int(d[1:]))
    assert len(numbered) == len(PALETTE)
    assert "#2" not in domain and "#10" not in domain and "#11" not in domain
    assert domain[-3:] == ["other", "not ranked", "support handle"]
    assert len(set(colours)) == len(colours) == len(domain)


def test_names_on_the_top_nodes_are_plain_text():
    """The highest scores and the support handles are named, with Vega text marks: a name
    that looks like HTML is drawn as those characters."""
    hostile = "<b onmouseover=alert(1)>x</b>"
    nodes = [_node(i, i % 3, score=float(i)) for i in range(1, 21)]
    nodes[-1]["username"] = hostile  # the highest score
    nodes.append(_node(99, None, brand=True, name="AcmeHelp"))
    g = {"nodes": nodes, "edges": [], "community_sizes": {0: 7, 1: 7, 2: 6},
         "qualifying": 20, "selected": 20, "people": 20, "left_out": 0, "brands": 1,
         "links": 0, "center": None}
    spec = network_chart(g).to_dict()
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all(layer["encoding"]["text"]["field"] == "label" for layer in texts)
    labels = {r["label"] for r in _rows(spec, texts[-1])}
    top = {n["username"] for n in sorted(nodes[:-1], key=lambda n: -n["score"])[:NAMED]}
    assert labels == top | {"AcmeHelp"}
    assert hostile in labels
    assert "user1" not in labels  # the lowest score stays unnamed (its tooltip names it)


def test_top_nodes_named_on_the_demo(ranked):
    url, engine, res = ranked
    g = network(engine, res.run_id, 50)
    spec = network_chart(g).to_dict()
    labels = {r["label"] for r in _rows(spec, _layers(spec)["text"])}
    shown = {n["username"] for n in g["nodes"] if not n["brand"]}
    best = [p.username for p in res.ranked if p.username in shown][:NAMED]
    assert set(best) <= labels
    assert {n["username"] for n in g["nodes"] if n["brand"]} <= labels


def test_counts_are_true_and_plurals_right(ranked):
    """How many people qualify, how many were chosen, how many are drawn, and why the rest
    are not; "1 link", never "1 links"."""
    url, engine, res = ranked
    g = network(engine, res.run_id, 50)
    people = [n for n in g["nodes"] if not n["brand"]]
    assert g["qualifying"] == len(res.ranked)
    assert g["selected"] == min(50, len(res.ranked))
    assert g["people"] == len(people) and g["people"] + g["left_out"] == g["selected"]
    assert g["links"] == len(g["edges"]) and g["brands"] == sum(n["brand"] for n in g["nodes"])
    text = network_caption(g)
    top = f"top {g['selected']} of the " if g["selected"] < g["qualifying"] else ""
    assert text.startswith(f"{g['people']} of the {top}{g['qualifying']} people ranked in this"
                           " run are shown")
    assert f"{g['links']} links." in text

    # Asking for more than there are: the caption says all of them, not "at most 200".
    every = network(engine, res.run_id, 10_000)
    assert every["selected"] == every["qualifying"] == len(res.ranked)

    one = {"nodes": [_node(1, 0), _node(2, None, brand=True)], "edges": [{}],
           "community_sizes": {0: 1}, "qualifying": 1, "selected": 1, "people": 1,
           "left_out": 0, "brands": 1, "links": 1, "center": None}
    text = network_caption(one)
    assert "1 support handle, 1 link." in text and "links" not in text
    assert text.startswith("The one person ranked in this run is shown.")
    assert "the highest score" in text and "scores" not in text
    two = {**one, "qualifying": 2, "selected": 2, "left_out": 1}
    assert network_caption(two).startswith(
        "1 of the 2 people ranked in this run is shown; 1 has no link to anyone shown and is "
        "left out.")


def _graph(seed: int) -> tuple[list[int], list[tuple[int, int, float]]]:
    """Two linked groups and a pair, with weights: a small support network."""
    r = random.Random(seed)
    nodes = list(range(1, 41)) + [100, 101]
    edges = [(a, b, float(r.randint(1, 5))) for a in range(1, 31) for b in range(a + 1, 31)
             if r.random() < 0.12]
    edges += [(a, b, 1.0) for a in range(31, 41) for b in range(a + 1, 41) if r.random() < 0.4]
    edges += [(a, 1, 1.0) for a in range(2, 31) if r.random() < 0.3]
    edges.append((100, 101, 2.0))
    return nodes, edges


def test_layout_is_the_same_for_the_same_data_in_any_order():
    nodes, edges = _graph(3)
    first = layout(nodes, edges)
    r = random.Random(11)
    for _ in range(3):
        shuffled = nodes[:]
        r.shuffle(shuffled)
        turned = [(b, a, w) if r.random() < 0.5 else (a, b, w) for a, b, w in edges]
        r.shuffle(turned)
        assert layout(shuffled, turned) == first
    assert set(first) == set(nodes)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())
    # Separate groups are packed apart, not drawn on top of each other.
    assert first[100] != first[101]
    assert len({first[n] for n in nodes}) == len(nodes)


def test_network_is_the_same_when_the_database_stores_rows_in_another_order(ranked, tmp_path):
    url, engine, res = ranked
    copy = tmp_path / "reordered.db"
    with sqlite3.connect(engine.url.database) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)  # the WAL's pages too
    with sqlite3.connect(copy) as conn:  # foreign keys are off on a plain connection
        for table in ("users", "champion_scores", "outreach"):
            conn.execute(f"CREATE TABLE t AS SELECT * FROM {table} ORDER BY rowid DESC")
            conn.execute(f"DELETE FROM {table}")
            conn.execute(f"INSERT INTO {table} SELECT * FROM t")
            conn.execute("DROP TABLE t")
        conn.execute("UPDATE interactions SET id = -id")
    other = make_engine(f"sqlite:///{copy}")
    try:
        for center in (None, res.ranked[0].username):
            assert network(other, res.run_id, 50, center=center) == network(
                engine, res.run_id, 50, center=center)
    finally:
        other.dispose()


def test_nothing_is_clipped_at_the_edges(ranked):
    """Every node lies inside the unit square and the scales add room around it for the marks
    and the names above them."""
    url, engine, res = ranked
    g = network(engine, res.run_id, 200)
    xs, ys = [n["x"] for n in g["nodes"]], [n["y"] for n in g["nodes"]]
    assert min(xs) == 0 and max(xs) == 1 and min(ys) == 0 and max(ys) == 1  # fills the view
    enc = _layers(network_chart(g).to_dict())["point"]["encoding"]
    for axis in ("x", "y"):
        assert enc[axis]["scale"]["domain"] == [-PAD, 1 + PAD] and PAD >= 0.08
        assert enc[axis]["scale"]["nice"] is False and enc[axis]["scale"]["zero"] is False
