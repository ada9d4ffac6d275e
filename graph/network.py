"""NetworkX over the help and amplification graph: personalised PageRank, Louvain communities,
and the data of the dashboard's network drawing (who is shown, their links, a stable layout).

Thin wrappers over NetworkX algorithms; ``backend`` passes through to NetworkX's backend
dispatch (e.g. ``"parallel"`` or ``"cugraph"`` where installed).
"""

from __future__ import annotations

import math
import sys
from typing import Any

import networkx as nx
from sqlalchemy import Engine, text

__all__ = ["build_graph", "personalized_pagerank", "communities", "check_backend", "layout",
           "network"]


def check_backend(backend: str | None) -> None:
    """Fail early, and clearly, for a backend that is not installed."""
    if backend is None:
        return
    available = set(nx.utils.backends.backends) | {"networkx"}
    if backend not in available:
        raise ValueError(f"NetworkX backend {backend!r} is not installed "
                         f"(available: {', '.join(sorted(available))})")


def build_graph(pairs: dict[tuple[int, int], float]) -> nx.Graph:
    """An undirected weighted graph from (a, b) -> weight pairs (help, thanks, amplification,
    brand conversations); the direction matters less than who is connected to whom."""
    g = nx.Graph()
    for (a, b), w in pairs.items():
        if a == b or w <= 0:
            continue
        if g.has_edge(a, b):
            g[a][b]["weight"] += w
        else:
            g.add_edge(a, b, weight=float(w))
    return g


def personalized_pagerank(g: nx.Graph, seeds: set[int], *, tol: float = 1e-10,
                          backend: str | None = None,
                          start: dict[int, float] | None = None) -> dict[int, float]:
    """PageRank restarting at the support handles (uniform restarts if none is in the graph).

    ``tol`` is explicit: NetworkX's default (1e-6, scaled by the node count) stops after one or
    two iterations on large graphs, far from the converged order. ``start``: where the
    iterations begin (the last ranking's values, say: the same result, in fewer iterations).
    """
    if g.number_of_nodes() == 0:
        return {}
    seeds = {s for s in seeds if s in g}
    personalization = {s: 1.0 for s in seeds} or None
    kwargs = {"backend": backend} if backend else {}
    if start:
        # Every node, none at zero (nodes new since are given the smallest value known).
        low = min(start.values(), default=0.0) or 1e-12
        kwargs["nstart"] = {n: start.get(n, low) or low for n in g}
    # (As ``pagerank_pairs``: a tolerance under the rounding of doubles is met there.)
    tol = max(tol, 64 * sys.float_info.epsilon / g.number_of_nodes())
    return nx.pagerank(g, alpha=0.85, personalization=personalization, weight="weight",
                       tol=tol, max_iter=1000, **kwargs)


def pagerank_pairs(pairs: dict[tuple[int, int], float], seeds: set[int], *,
                   tol: float = 1e-10, start: dict[int, float] | None = None
                   ) -> dict[int, float]:
    """``personalized_pagerank`` of ``build_graph(pairs)``, computed from the pairs as a
    sparse matrix, without building the NetworkX graph (which took most of the time at
    400,000 pairs). The same iteration as NetworkX's SciPy PageRank (alpha 0.85, dangling
    nodes restart as the personalisation does), over the nodes in id order."""
    import numpy as np
    import scipy.sparse as sparse

    kept = [(a, b, w) for (a, b), w in pairs.items() if a != b and w > 0]
    if not kept:
        return {}
    src = np.fromiter((a for a, _, _ in kept), dtype=np.int64, count=len(kept))
    dst = np.fromiter((b for _, b, _ in kept), dtype=np.int64, count=len(kept))
    weight = np.fromiter((w for _, _, w in kept), dtype=float, count=len(kept))
    nodes, index = np.unique(np.concatenate([src, dst]), return_inverse=True)
    n = len(nodes)
    i, j = index[:len(kept)], index[len(kept):]
    a = sparse.csr_array((np.concatenate([weight, weight]),
                          (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n))
    out = a.sum(axis=1)
    out[out != 0] = 1.0 / out[out != 0]
    a = sparse.dia_array((out[np.newaxis, :], 0), shape=(n, n)).tocsr() @ a
    ids = nodes.tolist()
    p = np.array([1.0 if u in seeds else 0.0 for u in ids])
    p = p / p.sum() if p.sum() else np.repeat(1.0 / n, n)
    if start:
        low = min(start.values(), default=0.0) or 1e-12
        x = np.array([start.get(u, low) or low for u in ids])
        x /= x.sum()
    else:
        x = np.repeat(1.0 / n, n)
    dangling = np.where(out == 0)[0]
    # (A tolerance under the rounding of doubles, where a small graph's iterations stop
    # moving by more than a few ulps in all, is met there.)
    enough = max(n * tol, 64 * np.finfo(float).eps)
    for _ in range(1000):
        last = x
        x = 0.85 * (x @ a + x[dangling].sum() * p) + 0.15 * p
        if np.absolute(x - last).sum() < enough:
            return dict(zip(ids, x.tolist()))
    raise nx.PowerIterationFailedConvergence(1000)


def communities(g: nx.Graph, *, seed: int = 42, backend: str | None = None) -> dict[int, int]:
    """Louvain communities (seeded, so a rerun gives the same answer), numbered largest first.

    People with a single link (most people helped, helped once) join the community of the one
    person they are linked to, which is where Louvain puts them; Louvain runs on the rest,
    a third of the nodes on a real brand's help graph. Two people linked only to each other
    are a community of two."""
    if g.number_of_nodes() == 0:
        return {}
    kwargs = {"backend": backend} if backend else {}
    leaves = {n for n in g if g.degree(n) == 1}
    core = g.subgraph(n for n in g if n not in leaves)
    found = (nx.community.louvain_communities(core, weight="weight", seed=seed, **kwargs)
             if core.number_of_nodes() else [])
    found = [set(c) for c in found]
    label = {node: i for i, members in enumerate(found) for node in members}
    for leaf in sorted(leaves):
        (other,) = g[leaf]
        if other not in label:  # a pair linked only to each other
            label[other] = len(found)
            found.append({other})
        label[leaf] = label[other]
        found[label[other]].add(leaf)
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    return {node: i for i, members in enumerate(found) for node in members}


# ---------------------------------------------------------------------------------------------
# The network drawing's data: who is shown, the links among them, and a layout.

def layout(nodes: list[int], edges: list[tuple[int, int, float]], *, seed: int = 42,
           center: int | None = None) -> dict[int, tuple[float, float]]:
    """Positions in the unit square for drawing the graph of ``edges``.

    Each connected part is laid out on its own (a seeded spring layout: linked people close,
    a hub's spokes spread around it), and the parts are packed side by side, largest first,
    so a small separate group does not squeeze the rest into a corner. The same nodes and
    edges give the same positions whatever order they come in: the graph is built from sorted
    nodes and edges (NetworkX's random start follows the order nodes were added in).

    Parameters
    ----------
    nodes : node ids; nodes with no edge are placed too.
    edges : (a, b, weight); both directions of a pair add up.
    seed : the spring layout's random seed.
    center : a node for the middle of its part (the ego view), or None.

    Returns
    -------
    dict mapping each node to (x, y), both in [0, 1].
    """
    weights: dict[tuple[int, int], float] = {}
    for a, b, w in edges:
        if a != b:
            key = (a, b) if a < b else (b, a)
            weights[key] = weights.get(key, 0.0) + float(w)
    g = nx.Graph()
    g.add_nodes_from(sorted(set(nodes)))
    g.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    if len(g) == 0:
        return {}
    parts = sorted((sorted(c) for c in nx.connected_components(g)),
                   key=lambda c: (center not in c, -len(c), c[0]))
    boxes = [_part_layout(g, part, seed, center) for part in parts]
    return _pack(boxes, center)


def _part_layout(g: nx.Graph, part: list[int], seed: int, center: int | None
                 ) -> dict[int, tuple[float, float]]:
    """One connected part in a box of half-width about the square root of its size, centred
    on (0, 0) (on ``center`` when it is in the part)."""
    if len(part) == 1:
        return {part[0]: (0.0, 0.0)}
    h = nx.Graph()
    h.add_nodes_from(part)
    h.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in g.subgraph(part).edges()))
    # Unweighted: one busy pair (hundreds of mentions of a handle) would otherwise pull
    # everyone else into a knot.
    raw = {n: (float(p[0]), float(p[1]))
           for n, p in nx.spring_layout(h, seed=seed, weight=None, iterations=200).items()}
    if center in raw:
        # The ego view: the centre in the middle, everyone else on rings around it, in the
        # direction the layout gave them (a hub linked to all, like a support handle, would
        # otherwise sit on top of the centre).
        cx, cy = raw[center]
        far = max(math.hypot(x - cx, y - cy) for x, y in raw.values()) or 1.0
        raw = {n: _outward(x - cx, y - cy, far) if n != center else (0.0, 0.0)
               for n, (x, y) in raw.items()}
        cx = cy = 0.0
    else:
        xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(abs(x - cx), abs(y - cy)) for x, y in raw.values()) or 1.0
    size = len(part) ** 0.5
    return {n: ((x - cx) / half * size, (y - cy) / half * size) for n, (x, y) in raw.items()}


def _outward(dx: float, dy: float, far: float) -> tuple[float, float]:
    """A point pushed out of the middle: its distance from the centre mapped from [0, far] to
    [0.35, 1], its direction kept."""
    r = math.hypot(dx, dy)
    if r == 0:
        return (0.35, 0.0)
    k = (0.35 + 0.65 * r / far) / r
    return (dx * k, dy * k)


def _pack(boxes: list[dict[int, tuple[float, float]]], center: int | None = None
          ) -> dict[int, tuple[float, float]]:
    """Place the parts' boxes in rows (largest first, left to right), then scale the whole
    into the unit square; a ``center`` alone in its one part lands on (0.5, 0.5)."""
    def half(box):
        return max(max(abs(x), abs(y)) for x, y in box.values()) or 0.5

    gap = 0.6
    width = max(2 * half(boxes[0]), sum((2 * half(b) + gap) ** 2 for b in boxes) ** 0.5 * 1.2)
    pos: dict[int, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for box in boxes:
        r = half(box)
        if x > 0 and x + 2 * r > width:
            x, y, row_h = 0.0, y - row_h - gap, 0.0
        for n, (px, py) in box.items():
            pos[n] = (x + r + px, y - r + py)
        x += 2 * r + gap
        row_h = max(row_h, 2 * r)
    # Each axis fills [0, 1]: the drawing is wider than tall, and names run sideways.
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    if center in pos and len(boxes) == 1:
        cx, cy = pos[center]
        sx = 2 * max(abs(x - cx) for x in xs) or 1.0
        sy = 2 * max(abs(y - cy) for y in ys) or 1.0
    else:
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        sx, sy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {n: (round(0.5 + (p[0] - cx) / sx, 6), round(0.5 + (p[1] - cy) / sy, 6))
            for n, p in pos.items()}


def network(engine: Engine, run_id: int, top: int = 50, *, center: str | None = None,
            seed: int = 42) -> dict[str, Any]:
    """The ``top`` best-ranked people of a run and the support handles, with the interactions
    among them, laid out for drawing (``layout``); or, with ``center``, that person's ego
    network (the people they interacted with, at most ``top``, best scores first). Bounded, so
    it stays fast on a large database.

    Returns
    -------
    dict with ``nodes`` (id, username, score, community, brand, center, status, last_contacted,
    x, y), ``edges`` (x, y, x2, y2, weight, between the drawn nodes), and the true counts:
    ``qualifying`` (people ranked in the run, or the centre's contacts), ``asked`` (``top``),
    ``selected`` (people chosen before the unlinked ones were dropped), ``left_out`` (chosen
    people with no link to anyone drawn), ``people`` and ``brands`` (drawn), ``links``; and
    ``community_sizes`` (ranked people per community in the run: what the colours follow, so
    one community has one colour in every view of the run). ``center_found`` is False when no
    one has the centre's username.
    """
    c = center.lstrip("@").lower() if center else None
    with engine.connect() as conn:
        sizes = {r[0]: r[1] for r in conn.execute(text(
            "SELECT community, COUNT(*) FROM champion_scores WHERE run_id = :r"
            " AND rank IS NOT NULL AND community IS NOT NULL GROUP BY community"),
            {"r": run_id})}
        center_id = None
        if c:
            center_id = conn.execute(text(
                "SELECT id FROM users WHERE lower(username) = :c AND NOT is_brand"
                " ORDER BY id LIMIT 1"), {"c": c}).scalar()
        if c:
            contacts = ("SELECT i.dst_user_id FROM interactions i WHERE i.src_user_id = :u"
                        " UNION SELECT i.src_user_id FROM interactions i"
                        " WHERE i.dst_user_id = :u")
            qualifying = conn.execute(text(
                f"SELECT COUNT(*) FROM users u WHERE u.id IN ({contacts}) AND u.id != :u"
                " AND NOT u.is_brand"), {"u": center_id or 0}).scalar() if center_id else 0
            people = conn.execute(text(
                "SELECT u.id AS user_id, u.username, COALESCE(s.score, 0) AS score,"
                " s.community, o.status, o.last_contacted_at FROM users u"
                " LEFT JOIN champion_scores s ON s.user_id = u.id AND s.run_id = :r"
                " LEFT JOIN outreach o ON o.user_id = u.id"
                f" WHERE (u.id = :u OR u.id IN ({contacts})) AND NOT u.is_brand"
                " ORDER BY u.id = :u DESC, score DESC, u.id LIMIT :n"),
                {"r": run_id, "n": top + 1, "u": center_id or 0}).all() if center_id else []
        else:
            qualifying = conn.execute(text(
                "SELECT COUNT(*) FROM champion_scores WHERE run_id = :r AND rank IS NOT NULL"),
                {"r": run_id}).scalar()
            people = conn.execute(text(
                "SELECT s.user_id, u.username, s.score, s.community, o.status,"
                " o.last_contacted_at FROM champion_scores s JOIN users u ON u.id = s.user_id"
                " LEFT JOIN outreach o ON o.user_id = s.user_id"
                " WHERE s.run_id = :r AND s.rank IS NOT NULL"
                " ORDER BY s.rank, s.user_id LIMIT :n"), {"r": run_id, "n": top}).all()
        brands = conn.execute(text("SELECT id, username FROM users WHERE is_brand AND id IN"
                                   " (SELECT DISTINCT dst_user_id FROM interactions)"
                                   " ORDER BY id")).all() if people else []
        ids = [p.user_id for p in people] + [b.id for b in brands]
        pairs = []
        for i in range(0, len(ids), 400):
            chunk = ids[i:i + 400]
            marks = ", ".join(f":u{j}" for j in range(len(chunk)))
            pairs += conn.execute(text(
                "SELECT src_user_id, dst_user_id, count(*) FROM interactions"
                f" WHERE src_user_id IN ({marks}) AND src_user_id != dst_user_id"
                " GROUP BY src_user_id, dst_user_id"),
                {f"u{j}": u for j, u in enumerate(chunk)}).all()
    keep = set(ids)
    edges = [(a, b, float(n)) for a, b, n in pairs if b in keep]
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    if center_id is not None:
        linked.add(center_id)  # the ego view always shows its centre
    # People with no link to anyone shown would only squeeze the picture: they are left out,
    # and counted. Brands nobody shown talks with are simply not drawn.
    pos = layout(sorted(linked), edges, seed=seed, center=center_id)
    nodes = [{"id": p.user_id, "username": p.username, "score": float(p.score or 0.0),
              "community": p.community, "brand": False, "center": p.user_id == center_id,
              "status": p.status or "to contact", "last_contacted": p.last_contacted_at}
             for p in people if p.user_id in linked]
    nodes += [{"id": b.id, "username": b.username, "score": 0.0, "community": None,
               "brand": True, "center": False, "status": None, "last_contacted": None}
              for b in brands if b.id in linked]
    for n in nodes:
        n["x"], n["y"] = pos[n["id"]]
    drawn = sorted({(min(a, b), max(a, b)) for a, b, _ in edges})
    weight: dict[tuple[int, int], float] = {}
    for a, b, w in edges:
        weight[(min(a, b), max(a, b))] = weight.get((min(a, b), max(a, b)), 0.0) + w
    chosen = [p for p in people if p.user_id != center_id]
    return {
        "nodes": nodes,
        "edges": [{"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1],
                   "weight": weight[(a, b)]} for a, b in drawn],
        "qualifying": int(qualifying or 0), "asked": top, "selected": len(chosen),
        "left_out": sum(1 for p in chosen if p.user_id not in linked),
        "people": sum(1 for n in nodes if not n["brand"] and not n["center"]),
        "brands": sum(1 for n in nodes if n["brand"]), "links": len(drawn),
        "center": center, "center_found": center_id is not None if center else None,
        "community_sizes": sizes,
    }
