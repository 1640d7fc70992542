"""Serve the publication copy with Datasette (imported here only, so the GUI never loads it).

Datasette opens the files immutable (`-i`): read-only, no locking, no write API in 0.65. Bound to
127.0.0.1 unless the user names another address; anything but loopback gets a printed warning.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Any

from app import __version__
from app.errors import UserError
from app.fsio import atomic_write_text

DATASETTE_PIN = "datasette==0.65.5"  # constraints.txt


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def network_warning(host: str, port: int) -> str:
    """What to tell the user before serving on a network address ('' for loopback)."""
    if is_loopback(host):
        return ""
    return (f"注意: http://{host}:{port}/ でネットワーク上の他の端末からも見られます（読み取り専用、認証なし）。"
            "カタログは公開情報ですが、--plans の計画は組織内の情報です。LGWAN など閉じたネットワークでのみ使ってください。"
            f" / warning: serving on {host}:{port} is reachable from other machines (read-only, no login); "
            "use it on a closed office network only, and think twice about --plans.")


def check_port(host: str, port: int) -> None:
    """Fail with what to do when the address cannot be bound (port taken, address not of this computer)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        if os.name != "nt":  # as uvicorn binds: a port in TIME_WAIT is free (on Windows this flag would share a busy port)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as exc:
            raise UserError(f"{host}:{port} で待ち受けできません（{exc.strerror or exc}）", f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                            None, "別の番号を --port で指定するか、--host をこのコンピューターのアドレスにしてください",
                            "choose another --port, or a --host address of this computer") from None


def missing_datasette() -> UserError:
    return UserError(
        "この環境には Datasette が入っていないため、serve は使えません（Windows 版のアプリには含めていません）",
        "Datasette is not installed here, so serve cannot run (it is not part of the Windows app bundle)",
        None,
        "Python 3.11 の環境でソースから `pip install -c constraints.txt -e \".[serve]\"` を実行して `machi-navi serve` を使うか、"
        f"`machi-navi serve --prepare フォルダ` で公開用のファイルを書き出し、`pip install {DATASETTE_PIN}` した別の環境で"
        "表示されるコマンドを実行してください",
        "from a source checkout run `pip install -c constraints.txt -e \".[serve]\"` and use `machi-navi serve`, or write the "
        f"files with `machi-navi serve --prepare DIR` and run the printed datasette command where `pip install {DATASETTE_PIN}` "
        "is installed")


def prepare(files: list[Path], metadata: dict[str, Any], out_dir: Path) -> list[str]:
    """Copy the publication files and metadata.json into `out_dir` for a separately installed Datasette;
    returns the command line to run there (search then matches 2–3 character and space-separated words)."""
    import shutil

    out_dir.mkdir(parents=True, exist_ok=True)
    names = []
    for f in files:
        shutil.copyfile(f, out_dir / f.name)
        names.append(f.name)
    atomic_write_text(out_dir / "metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))
    return ["datasette", "serve", *(arg for n in names for arg in ("-i", n)), "-m", "metadata.json",
            "--host", "127.0.0.1", "--port", "8001"]


def make_app(files: list[Path], metadata: dict[str, Any], allow_download: bool = True) -> Any:
    """The Datasette instance serving `files` immutable with `metadata` and the app's search tokens."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise missing_datasette() from None
    from app.publish import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="machi-navi")
    settings = {"allow_download": allow_download, "suggest_facets": False, "default_page_size": 50,
                "sql_time_limit_ms": 2000}
    return Datasette(immutables=[str(f) for f in files], metadata=metadata, settings=settings,
                     version_note=f"まちナビ {__version__}")


def run(ds: Any, host: str, port: int) -> None:
    """Run the server until Ctrl+C or SIGTERM (uvicorn then finishes open requests and returns)."""
    import asyncio

    import uvicorn

    asyncio.run(ds.invoke_startup())
    uvicorn.Server(uvicorn.Config(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)).run()
