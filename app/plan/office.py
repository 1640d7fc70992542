"""Office form for plan reports: dates in Japan time (西暦 or 和暦) and the report's fixed wording (ja / en).

Japanese offices date documents in JST and often in the Japanese era (令和8年11月30日), so every
timestamp a report shows goes through `format_date`; the stored values stay UTC ISO 8601.
"""

from __future__ import annotations

import datetime as _dt

JST = _dt.timezone(_dt.timedelta(hours=9), "JST")

# (first day, era name); newest first. Only eras a catalog or plan date can fall in.
ERAS: tuple[tuple[_dt.date, str], ...] = ((_dt.date(2019, 5, 1), "令和"), (_dt.date(1989, 1, 8), "平成"))
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def to_jst(value: str | _dt.datetime | _dt.date) -> _dt.datetime | _dt.date | None:
    """An ISO timestamp (UTC or with offset; naive means UTC) or a date → Japan time; None when unreadable."""
    if isinstance(value, _dt.datetime):
        stamp = value
    elif isinstance(value, _dt.date):
        return value
    else:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            stamp = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if len(text) <= 10:  # a bare date: no time zone to convert
            return stamp.date()
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=_dt.UTC)
    return stamp.astimezone(JST)


def era_year(day: _dt.date) -> str:
    """'令和8年' for 2026, '令和元年' for 2019 from May; Western year for dates before 平成."""
    for start, name in ERAS:
        if day >= start:
            n = day.year - start.year + 1
            return f"{name}{'元' if n == 1 else n}年"
    return f"{day.year}年"


def format_date(value: str | _dt.datetime | _dt.date, era: bool = False, lang: str = "ja") -> str:
    """2026年11月30日 (or 令和8年11月30日 with `era`, 30 November 2026 in English); '' when unreadable."""
    stamp = to_jst(value)
    if stamp is None:
        return str(value or "")
    day = stamp.date() if isinstance(stamp, _dt.datetime) else stamp
    if lang != "ja":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    year = era_year(day) if era else f"{day.year}年"
    return f"{year}{day.month}月{day.day}日"


def format_datetime(value: str | _dt.datetime, era: bool = False, lang: str = "ja") -> str:
    """The date as `format_date` plus the time in JST: 2026年11月30日 17:00（日本時間）."""
    stamp = to_jst(value)
    if not isinstance(stamp, _dt.datetime):
        return format_date(value, era, lang)
    suffix = "（日本時間）" if lang == "ja" else " JST"
    return f"{format_date(stamp, era, lang)} {stamp:%H:%M}{suffix}"


def now_jst() -> _dt.datetime:
    return _dt.datetime.now(JST).replace(microsecond=0)
