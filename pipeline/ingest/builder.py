"""Assemble a canonical text turn by turn, keeping exact offsets.

Formats whose text is not a document as such (subtitles, spreadsheets, JSON lines) are rendered
into a readable transcript ("Speaker: speech" per line); offsets point into that rendering, which
becomes the source text the REFI-QDA export ships.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.ingest.roles import categorize_role
from pipeline.records import SpeakerKind, Turn


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    turns: list[Turn] = field(default_factory=list)

    def add_line(self, line: str = "") -> None:
        self.parts.append(line + "\n")
        self.length += len(line) + 1

    def add_turn(
        self,
        speaker: str,
        kind: SpeakerKind,
        speech: str,
        *,
        role: str | None = None,
        time_start: float | None = None,
        time_end: float | None = None,
    ) -> Turn:
        """Write ``speaker: speech`` as one line and record the speech's offsets."""
        speech = " ".join(speech.split())
        prefix = f"{speaker}: "
        start = self.length + len(prefix)
        self.add_line(prefix + speech)
        turn = Turn(
            index=len(self.turns),
            speaker=speaker,
            kind=kind,
            start=start,
            end=start + len(speech),
            role=role,
            role_category=categorize_role(role),
            time_start=time_start,
            time_end=time_end,
        )
        self.turns.append(turn)
        return turn

    def text(self) -> str:
        return "".join(self.parts)
