"""Errors a user can act on, and the last-resort handler for everything else.

An expected failure (bad input, a corrupt or too-new file, a read-only or full disk, a locked
database) is raised as a `UserError`: it names the file and says what to do, in Japanese and
English, and the CLI prints it with exit code 2 (the GUI shows it in a dialog). Anything else is
unexpected: `report_unexpected` writes the traceback to a log file in the data folder and returns
a one-line message that points there, so the user never sees a traceback and support gets one.
"""

from __future__ import annotations

import datetime as _dt
import errno
import sqlite3
from pathlib import Path


class UserError(Exception):
    """A failure with a file to name and something the user can do about it."""

    exit_code = 2

    def __init__(self, message_ja: str, message_en: str, path: Path | str | None = None, advice_ja: str = "",
                 advice_en: str = "") -> None:
        super().__init__(message_en)
        self.message_ja = message_ja
        self.message_en = message_en
        self.path = Path(path) if path is not None else None
        self.advice_ja = advice_ja
        self.advice_en = advice_en

    def text(self, lang: str = "ja") -> str:
        ja = lang.startswith("ja")
        msg = self.message_ja if ja else self.message_en
        where = f"{self.path}: " if self.path else ""
        advice = self.advice_ja if ja else self.advice_en
        return f"{where}{msg}" + (f"\n→ {advice}" if advice else "")

    def __str__(self) -> str:  # both languages: logs and CLI output are read by either
        where = f"{self.path}: " if self.path else ""
        parts = [f"{where}{self.message_ja} / {self.message_en}"]
        if self.advice_ja or self.advice_en:
            parts.append(f"→ {self.advice_ja} / {self.advice_en}".strip(" /"))
        return "\n".join(parts)


def from_os_error(exc: OSError, path: Path | str | None = None) -> UserError:
    """Turn a disk error into what the user can do: free space, choose a writable folder, close a program."""
    target = path or exc.filename
    if exc.errno == errno.ENOSPC:
        return UserError("ディスクの空き容量が足りません", "the disk is full", target,
                         "空き容量を増やしてからやり直してください（元のファイルは変更していません）",
                         "free some space and try again (the previous file is unchanged)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError("書き込みできません（読み取り専用か権限がありません）", "cannot write here (read-only or no permission)",
                         target, "書き込める場所を選ぶか、MACHI_NAVI_HOME でデータフォルダを変えてください",
                         "choose a writable location, or set MACHI_NAVI_HOME to another data folder")
    return UserError(f"ファイル操作に失敗しました（{exc.strerror or exc}）", f"file operation failed ({exc.strerror or exc})", target,
                     "ファイルが他のプログラムで開かれていないか確認してください", "check that no other program holds the file")


def from_sqlite_error(exc: sqlite3.Error, path: Path | str) -> UserError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return UserError("データベースが他の処理で使用中です", "the database is locked by another process", path,
                         "他のまちナビを閉じてからやり直してください", "close other まちナビ windows and try again")
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return UserError("データベースを開けません（読み取り専用か権限がありません）", "cannot open the database (read-only or no permission)",
                         path, "データフォルダを書き込み可能にするか、MACHI_NAVI_HOME で別のフォルダを指定してください",
                         "make the data folder writable, or set MACHI_NAVI_HOME to another folder")
    if "full" in text:
        return UserError("ディスクの空き容量が足りません", "the disk is full", path, "空き容量を増やしてからやり直してください",
                         "free some space and try again")
    return UserError(f"データベースが壊れているか読めません（{exc}）", f"the database is damaged or unreadable ({exc})", path,
                     "カタログなら `machi-navi build --force` で作り直せます", "a catalog can be rebuilt with `machi-navi build --force`")


def log_path() -> Path:
    from app import paths

    return paths.user_dir() / "logs" / "error.log"


def report_unexpected(exc: BaseException) -> str:
    """Append the traceback to the error log; return the one line to show the user."""
    import traceback  # only when something went wrong (~2 ms of every command's start)

    target = log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"--- {stamp}\n{''.join(traceback.format_exception(exc))}\n")
        where = str(target)
    except OSError:
        where = "(ログを書けませんでした / the log could not be written)"
    return f"予期しないエラーが発生しました: {type(exc).__name__}。詳細はログ {where} / an unexpected error; log at {where}"
