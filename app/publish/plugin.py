"""Datasette plugin registered by `machi-navi serve` (in process; never installed as an entry point).

Datasette's search box runs `services_fts match escape_fts(:search)`. The FTS table holds the
app's tokens (CJK bigrams/trigrams, Latin words), so a query must be cut the same way: this
replaces escape_fts on every connection with the app's query terms, ANDed: オンデマンド交通 →
"オンデ" "デマン" "ンド交" "ド交通". Registered trylast, so it runs after Datasette's own function.
It also puts a read-only guard in front of the whole server (asgi_wrapper).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from datasette import hookimpl

from app.search.analysis import query_terms


def ja_match(text: str | None) -> str:
    """An FTS5 MATCH expression for user text: every word's app query terms, ANDed (never a syntax error)."""
    parts: list[str] = []
    for word in str(text or "").replace('"', " ").split():
        for term in query_terms(word, trigrams=True):
            quoted = '"' + term.text.replace('"', "") + '"'
            parts.append(quoted + "*" if term.mode == "cjk1" else quoted)
    return " ".join(dict.fromkeys(parts)) or '""'  # an empty phrase matches nothing


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("escape_fts", 1, ja_match, deterministic=True)
    conn.create_function("ja_match", 1, ja_match, deterministic=True)


READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """Refuse every request but GET/HEAD before Datasette sees it: no write route can be reached, whatever
    a Datasette version or plugin might add (the files are immutable besides)."""

    def wrap(app: Any) -> Any:
        async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("method") not in READ_ONLY_METHODS:
                body = "読み取り専用です / read-only: only GET requests are served\n".encode()
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD")]})
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)

        return read_only

    return wrap
