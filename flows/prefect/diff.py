"""What a recode changed: segments whose code moved, judgements and themes that differ.

Researchers re-read what changed, not the whole corpus again, so a recode writes this report
beside its new findings set. It compares the tables two findings sets already hold
(``tables/codes``, ``tables/indicators``, ``tables/themes``), read one at a time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from flows.io.atomic import write_json, write_text
from flows.io.tables import read_table
from pipeline.errors import Errors, TelaahError

CODE_FIELDS = ("indicator", "function", "scope", "assessment")
_MISSING = "\x00missing"  # compares equal to itself, unlike None/NaN in pandas


@dataclass
class FindingsDiff:
    old: str
    new: str
    n_segments: int = 0
    changed_segments: list[dict[str, Any]] = field(default_factory=list)
    judgements: list[dict[str, Any]] = field(default_factory=list)
    themes_added: list[str] = field(default_factory=list)
    themes_removed: list[str] = field(default_factory=list)
    themes_resized: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _table(folder: Path, name: str) -> pd.DataFrame:
    for suffix in ("parquet", "jsonl"):
        path = folder / "tables" / f"{name}.{suffix}"
        if path.exists():
            return read_table(path)
    raise TelaahError.make(Errors.E705, path=folder, detail=f"tables/{name} is missing")


def _theme_name(row: pd.Series) -> str:
    return f"{row['function']}: {row['label']}"


def diff_findings(old: Path, new: Path) -> FindingsDiff:
    """Compare two findings folders segment by segment, indicator by indicator, theme by theme."""
    result = FindingsDiff(str(old), str(new))
    before = _table(old, "codes").set_index("segment_id")[list(CODE_FIELDS)]
    after = _table(new, "codes").set_index("segment_id")[list(CODE_FIELDS)]
    result.n_segments = len(after)
    # one vectorised comparison over the whole table: recodes touch every segment
    common = after.index.intersection(before.index)
    was = before.loc[common].astype(object).where(before.loc[common].notna(), None)
    now = after.loc[common].astype(object).where(after.loc[common].notna(), None)
    moved = was.fillna(_MISSING).ne(now.fillna(_MISSING))
    for segment_id in common[moved.any(axis=1).to_numpy()]:
        old_row, new_row = was.loc[segment_id], now.loc[segment_id]
        result.changed_segments.append(
            {
                "segment_id": segment_id,
                **{f"old_{f}": _plain(old_row[f]) for f in CODE_FIELDS},
                **{f"new_{f}": _plain(new_row[f]) for f in CODE_FIELDS},
                "changed": [f for f in CODE_FIELDS if moved.at[segment_id, f]],
            }
        )
    old_ind = _table(old, "indicators").set_index("indicator")
    new_ind = _table(new, "indicators").set_index("indicator")
    for indicator in new_ind.index.union(old_ind.index):
        was_label = old_ind["judgement"].get(indicator)
        now_label = new_ind["judgement"].get(indicator)
        if was_label != now_label:
            result.judgements.append({"indicator": indicator, "old": was_label, "new": now_label})
    old_themes = {_theme_name(r): int(r["n_segments"]) for _, r in _table(old, "themes").iterrows()}
    new_themes = {_theme_name(r): int(r["n_segments"]) for _, r in _table(new, "themes").iterrows()}
    result.themes_added = sorted(set(new_themes) - set(old_themes))
    result.themes_removed = sorted(set(old_themes) - set(new_themes))
    result.themes_resized = [
        {"theme": t, "old": old_themes[t], "new": new_themes[t]}
        for t in sorted(set(old_themes) & set(new_themes))
        if old_themes[t] != new_themes[t]
    ]
    return result


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def render_markdown(diff: FindingsDiff) -> str:
    lines = [
        f"# Perubahan pengodean: {Path(diff.old).name} -> {Path(diff.new).name}",
        "",
        f"- segmen yang kodenya berubah: {len(diff.changed_segments)} dari {diff.n_segments}",
        f"- penilaian indikator yang berubah: {len(diff.judgements)}",
        f"- tema baru: {len(diff.themes_added)}, tema hilang: {len(diff.themes_removed)}, "
        f"tema berubah ukuran: {len(diff.themes_resized)}",
        "",
    ]
    if diff.judgements:
        lines += ["## Penilaian indikator", "", "| indikator | lama | baru |", "|---|---|---|"]
        lines += [f"| {j['indicator']} | {j['old']} | {j['new']} |" for j in diff.judgements]
        lines.append("")
    if diff.changed_segments:
        lines += ["## Segmen", "", "| segmen | lama | baru |", "|---|---|---|"]
        for row in diff.changed_segments:
            old = " / ".join(str(row[f"old_{f}"]) for f in CODE_FIELDS)
            new = " / ".join(str(row[f"new_{f}"]) for f in CODE_FIELDS)
            lines.append(f"| `{row['segment_id']}` | {old} | {new} |")
        lines.append("")
    for title, names in (("Tema baru", diff.themes_added), ("Tema hilang", diff.themes_removed)):
        if names:
            lines += [f"## {title}", "", *[f"- {n}" for n in names], ""]
    return "\n".join(lines)


def write_diff(diff: FindingsDiff, folder: Path) -> None:
    write_json(folder / "diff.json", diff.as_dict())
    write_text(folder / "diff.md", render_markdown(diff))
