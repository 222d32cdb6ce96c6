"""Generate a large corpus from the sample: every sample file repeated with small variations.

Each copy gets a different content hash (so nothing is skipped as a duplicate) while keeping the
sample's formats, encodings, label styles and speech, which is what ingest and segmentation
cost depends on: text files get trailing whitespace of a unique length, zip-based files a
unique archive comment.
"""

from __future__ import annotations

import argparse
import zipfile
from io import BytesIO
from pathlib import Path

from flows.io.discover import iter_sources

REPO = Path(__file__).resolve().parents[1]


def _vary_zip(data: bytes, n: int) -> bytes:
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.comment = f"bench copy {n}".encode()
    return out.getvalue()


def _vary_text(data: bytes, n: int) -> bytes:
    """Append whitespace of a unique length, in the file's own encoding: parses identically."""
    padding = "\n" + " " * (n + 1) + "\n"
    if data.startswith(b"\xff\xfe"):
        return data + padding.encode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return data + padding.encode("utf-16-be")
    return data + padding.encode("ascii")


def generate(count: int, out: Path) -> list[Path]:
    samples = list(iter_sources([REPO / "corpora" / "sample"]))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(count):
        source = samples[n % len(samples)]
        data = source.read_bytes()
        suffix = source.suffix.lower()
        varied = _vary_zip(data, n) if suffix in (".docx", ".odt", ".xlsx") else _vary_text(data, n)
        target = out / f"{n:05d}_{source.name}"
        target.write_bytes(varied)
        written.append(target)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(f"wrote {len(generate(args.count, args.out))} files to {args.out}")
