"""A batch with every kind of bad input: each is skipped with a clear reason, the rest goes on."""

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from flows.cli.main import main
from flows.ingest_run import ingest_paths
from tests.conftest import make_docx

GOOD = "Jabatan: Camat\nTanggal: 1 Mei 2025\n\nP: Bagaimana pelayanan PATEN?\nI: Sudah cepat, cuma blangko kadang habis.\n"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB compressed
                member.write(block)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "good_copy.txt").write_text(GOOD, encoding="utf-8")
    (root / "good.docx").write_bytes(make_docx(GOOD.splitlines()))
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.txt").write_bytes(bytes(range(256)) * 64)
    (root / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (root / "bomb.docx").write_bytes(_zip_bomb())
    with (root / "huge.txt").open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    (root / "sjis.txt").write_bytes("インタビューの記録です。".encode("shift_jis") * 40)
    (root / "nolabels.txt").write_text(
        "Pelayanan sudah baik menurut warga.\n\nNamun antrian panjang.", encoding="utf-8"
    )
    return root


EXPECTED_SKIPS = {
    "good_copy.txt": "E109",
    "empty.txt": "E101",
    "junk.txt": "E103",
    "corrupt.docx": "E105",
    "bomb.docx": "E106",
    "huge.txt": "E102",
    "sjis.txt": "E104",
}


def test_every_bad_input_is_skipped_with_its_reason(bad_batch: Path, tmp_path: Path) -> None:
    report = ingest_paths([bad_batch], tmp_path / "out")
    skipped = {Path(s.path).name: s.code for s in report.skipped}
    assert skipped == EXPECTED_SKIPS
    for item in report.skipped:
        assert Path(item.path).name in item.reason  # every message names its file
    names = sorted(str(s["name"]) for s in report.sources)
    assert names == ["good.docx", "good.txt", "nolabels.txt"]
    segments = pd.read_parquet(tmp_path / "out" / "segments.parquet")
    sources = pd.read_parquet(tmp_path / "out" / "sources.parquet")
    assert set(segments["source_name"]) == set(names)
    texts = dict(zip(sources["source_id"], sources["text"], strict=True))
    for row in segments.itertuples():
        assert texts[row.source_id][row.start : row.end] == row.text


def test_cli_exit_status_and_manifest(
    bad_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(bad_batch), "--out", str(out), "--jsonl"]) == 1
    err = capsys.readouterr().err
    assert "7 skipped" in err and "bomb.docx" in err
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["n_skipped"] == 7 and manifest["n_sources"] == 3
    assert {s["sha256"] for s in manifest["sources"]}  # hashes recorded
    warnings = [
        json.loads(s["warnings"]) for s in manifest["sources"] if s["name"] == "nolabels.txt"
    ]
    assert warnings and "no speaker labels" in warnings[0][0]
    assert (out / "segments.jsonl").exists()
    assert main(["ingest", str(bad_batch / "good.txt"), "--out", str(tmp_path / "ok")]) == 0


def test_rerun_reuses_finished_sources_and_gives_identical_tables(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"w{i}.txt").write_text(GOOD.replace("PATEN", f"PATEN {i}"), encoding="utf-8")
    first = ingest_paths([corpus], tmp_path / "out", batch_size=1)
    table = pd.read_parquet(tmp_path / "out" / "segments.parquet")
    # Simulate a run killed after one source: drop the combined tables and two parts.
    parts = sorted((tmp_path / "out" / "parts").rglob("*.sources.parquet"))
    for part in parts[1:]:
        part.unlink()
    (tmp_path / "out" / "segments.parquet").unlink()
    second = ingest_paths([corpus], tmp_path / "out")
    assert first.reused == 0 and second.reused == 1
    again = pd.read_parquet(tmp_path / "out" / "segments.parquet")
    pd.testing.assert_frame_equal(
        table.sort_values("id").reset_index(drop=True),
        again.sort_values("id").reset_index(drop=True),
    )
