"""Replaying recorded X API responses from a small server on 127.0.0.1.

tweepy always calls https://api.twitter.com; ``redirect(client, server)`` mounts a transport on
the client's own requests session that sends those calls to the replay server instead, so the
whole tweepy path (parameters, headers, status handling) runs for real.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import HTTPAdapter


_HOP_HEADERS = {"content-length", "content-type", "content-encoding", "transfer-encoding",
                "connection", "date", "server"}


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow or silent server)
    cut: bool = False  # promise the whole body, send half of it, and close (a dropped connection)
    then: Any = None  # called with no arguments before answering (e.g. to signal the client)


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""


class ReplayServer:
    """Routes are regexes over the path; each holds replies served in order (the last repeats)."""

    def __init__(self) -> None:
        self.routes: list[tuple[re.Pattern[str], list[Reply]]] = []
        self.seen: list[Seen] = []
        # (path, query) -> a Reply to send instead of the route's (e.g. a 400 for a parameter
        # the API does not know), or None to go on
        self.check: Any = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                size = int(self.headers.get("content-length") or 0)
                sent = self.rfile.read(size) if size else b""
                server.seen.append(Seen(parts.path, query, dict(self.headers), self.command,
                                        sent))
                reply = server.check(parts.path, query) if server.check else None
                reply = reply or server._next(parts.path)
                if reply.then is not None:
                    reply.then()
                if reply.delay:
                    time.sleep(reply.delay)
                raw = reply.body
                body = raw.encode() if isinstance(raw, str) else json.dumps(raw).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                for k, v in reply.headers.items():
                    if k.lower() not in _HOP_HEADERS:  # recorded lengths and encodings
                        self.send_header(k, v)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                if reply.cut:
                    self.wfile.write(body[:len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            do_POST = do_PUT = do_GET  # noqa: N815 - routes match on the path alone

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, pattern: str, *replies: Reply) -> None:
        self.routes.append((re.compile(pattern + "$"), list(replies)))

    def _next(self, path: str) -> Reply:
        for pattern, replies in self.routes:
            if pattern.match(path):
                return replies.pop(0) if len(replies) > 1 else replies[0]
        return Reply(404, {"title": "Not Found Error", "detail": f"no recording for {path}"})

    def requests_to(self, pattern: str) -> list[Seen]:
        rx = re.compile(pattern + "$")
        return [s for s in self.seen if rx.match(s.path)]

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Redirect(HTTPAdapter):
    def __init__(self, base: str):
        super().__init__(max_retries=0)
        self.base = base

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        request.url = request.url.replace("https://api.twitter.com", self.base, 1)
        return super().send(request, **kwargs)


def redirect(client: Any, server: ReplayServer) -> None:
    client.session.mount("https://api.twitter.com", _Redirect(server.url))
