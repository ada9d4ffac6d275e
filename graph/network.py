"""NetworkX over the help and amplification graph: personalised PageRank, Louvain communities.

Thin wrappers over NetworkX algorithms; ``backend`` passes through to NetworkX's backend
dispatch (e.g. ``"parallel"`` or ``"cugraph"`` where installed).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["build_graph", "personalized_pagerank", "communities", "check_backend"]


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
                          backend: str | None = None) -> dict[int, float]:
    """PageRank restarting at the support handles (uniform restarts if none is in the graph).

    ``tol`` is explicit: NetworkX's default (1e-6, scaled by the node count) stops after one or
    two iterations on large graphs, far from the converged order.
    """
    if g.number_of_nodes() == 0:
        return {}
    seeds = {s for s in seeds if s in g}
    personalization = {s: 1.0 for s in seeds} or None
    kwargs = {"backend": backend} if backend else {}
    return nx.pagerank(g, alpha=0.85, personalization=personalization, weight="weight",
                       tol=tol, max_iter=1000, **kwargs)


def communities(g: nx.Graph, *, seed: int = 42, backend: str | None = None) -> dict[int, int]:
    """Louvain communities (seeded, so a rerun gives the same answer), numbered largest first."""
    if g.number_of_nodes() == 0:
        return {}
    kwargs = {"backend": backend} if backend else {}
    found = nx.community.louvain_communities(g, weight="weight", seed=seed, **kwargs)
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    return {node: i for i, members in enumerate(found) for node in members}
