"""texts.dat (app.search.texts): what the index keeps of every document's text, read back exactly or refused."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from app.search.texts import TEXTS, read_texts, write_texts

TEXTS_IN = ["オンデマンド交通\x1fアイシン", "", "行\n改行\r\nと𠮷野家🚌", "a" * 5000]
BODIES_IN = ["説明です。", "", "two\nlines\x1f", "ß\u0301"]


def test_texts_round_trip_whatever_they_hold(tmp_path: Path) -> None:
    write_texts(tmp_path, TEXTS_IN, BODIES_IN)
    assert read_texts(tmp_path) == (TEXTS_IN, BODIES_IN)
    raw = (tmp_path / TEXTS).read_bytes()
    assert read_texts(tmp_path, [len(raw), zlib.crc32(raw)]) == (TEXTS_IN, BODIES_IN)  # as stamped


@pytest.mark.parametrize("damage", ["truncated", "flipped", "no header", "empty", "wrong counts"])
def test_a_damaged_texts_file_is_refused(tmp_path: Path, damage: str) -> None:
    write_texts(tmp_path, TEXTS_IN, BODIES_IN)
    path = tmp_path / TEXTS
    raw = path.read_bytes()
    stamp = [len(raw), zlib.crc32(raw)]
    if damage == "truncated":
        raw = raw[:-7]
    elif damage == "flipped":  # same size: only the stamp's CRC tells
        raw = raw[:-3] + bytes([raw[-3] ^ 0x01]) + raw[-2:]
    elif damage == "no header":
        raw = raw[raw.index(b"\n") + 1:]
    elif damage == "empty":
        raw = b""
    else:
        raw = raw.replace(b'"docs": 4', b'"docs": 3', 1)
    path.write_bytes(raw)
    with pytest.raises(ValueError):
        read_texts(tmp_path, stamp)
    if damage != "flipped":  # without a stamp too (the file's own lengths do not add up)
        with pytest.raises(ValueError):
            read_texts(tmp_path)
