"""Offline guarantee: the main flows run with every socket blocked and never try the network.

In-process (so the monkeypatch reaches every library): `socket.socket`, `create_connection`,
`getaddrinfo` & co. raise and record the attempt. The test fails on any recorded attempt, even
one the app caught and ignored. Flows: build, search, plan create/add/coverage, export in every
format, and the Qt main window (constructed, shown and searched like the GUI does).
"""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from app.cli import main


class NetworkAttempt(OSError):
    pass


@contextmanager
def blocked_network() -> Iterator[list[str]]:
    """Block sockets and name lookups; yields the list of attempts."""
    attempts: list[str] = []

    def blocker(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"socket.{name}{args!r}")
            raise NetworkAttempt(f"network access attempted in an offline app: socket.{name}{args!r}")

        return blocked

    class BlockedSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            attempts.append(f"socket.socket{args!r}")
            raise NetworkAttempt("network access attempted in an offline app: socket.socket()")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "socket", BlockedSocket)
        for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                     "gethostbyaddr", "getfqdn"):
            mp.setattr(socket, name, blocker(name))
        yield attempts


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    with blocked_network() as attempts:
        yield attempts
    assert attempts == [], f"the app tried the network: {attempts}"


def test_the_blocker_records_attempts_even_when_caught() -> None:
    import urllib.request

    with blocked_network() as attempts:
        try:
            urllib.request.urlopen("http://example.org/", timeout=1)
        except OSError:
            pass
    assert attempts and "example.org" in attempts[0]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, f"{args} → {code}\n{out.out}\n{out.err}"
    return out.out


def test_build_search_plan_export_offline(no_network: list[str], user_home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert "built" in cli(capsys, "build")
    hits = json.loads(cli(capsys, "search", "オンデマンド", "--json"))["hits"]
    ids = [h["id"] for h in hits if h.get("kind", "service") == "service"][:3]
    assert ids
    cli(capsys, "plan", "create", "オフライン計画")
    cli(capsys, "plan", "add", "オフライン計画", *ids)
    cov = json.loads(cli(capsys, "plan", "coverage", "オフライン計画", "--json"))
    assert sorted(s["id"] for s in cov["services"]) == sorted(ids)
    for fmt in ("md", "html", "csv", "xlsx", "pdf"):
        out = tmp_path / f"report.{fmt}"
        cli(capsys, "plan", "export", "オフライン計画", "--out", str(out))
        assert out.stat().st_size > 0
    assert not no_network


@pytest.mark.skipif(importlib.util.find_spec("app.ui.main_window") is None, reason="app.ui.main_window not written yet")
def test_main_window_offline(no_network: list[str], user_home: Path, qtbot: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from app.build import ensure_built
    from app.ui.app import create_application, create_main_window, open_session

    ensure_built()
    app = create_application("ja")
    session = open_session()
    win = create_main_window(session, restore=False)
    try:
        win.persist_state = False
        win.show()
        qtbot.waitExposed(win)
        if hasattr(win, "queryApplied"):
            with qtbot.waitSignal(win.queryApplied, timeout=10_000):
                win.set_query("オンデマンド 分野:公共交通")
        app.processEvents()
    finally:
        if hasattr(win, "controller"):
            win.search.controller.shutdown()
        win.close()
        win.deleteLater()  # gone before the session's connections close, and before the next test
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        del win
        session.close()
    assert "PySide6.QtNetwork" not in sys.modules, "Qt's network module is never loaded"
    assert not no_network
