"""Timestamps as written by transcription tools, to seconds."""

from __future__ import annotations

import re

_TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def to_seconds(text: str | None) -> float | None:
    """``"00:12:31"``, ``"12:31"``, ``"00:00:01,500"`` -> seconds; ``None`` if unreadable."""
    if not text:
        return None
    match = _TIME.match(text.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        value += int(fraction) / (10 ** len(fraction))
    return float(value)
