"""The shipped codebooks, the loader, and ``telaah codebook``."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from flows.cli.main import main
from models.codebooks import (
    BUILTIN_CODEBOOKS,
    builtin_codebooks,
    codebooks_dir,
    load_codebook,
    load_concepts,
)
from pipeline.codebook import Codebook
from pipeline.errors import CodebookError, Errors

REPO = Path(__file__).resolve().parents[2]

# The framework table of DOMAIN.md, which fixes these ids for good.
DOMAIN_IDS = {
    "mitchell": ["kualitas_kerja", "ketepatan_waktu", "inisiatif", "kemampuan", "komunikasi"],
    "robbins": [
        "kemampuan_bekerjasama",
        "kualitas_pekerjaan",
        "kemampuan_teknis",
        "inisiatif",
        "semangat_kerja",
        "kehandalan",
        "kuantitas_pekerjaan",
    ],
    "kasmir": ["kualitas", "kuantitas", "waktu", "kerjasama", "penekanan_biaya", "pengawasan"],
    "dwiyanto": [
        "produktivitas",
        "kualitas_layanan",
        "responsivitas",
        "responsibilitas",
        "akuntabilitas",
    ],
    "servqual": ["bukti_fisik", "kehandalan", "daya_tanggap", "jaminan", "empati"],
    "kepmenpan_63_2003": [
        "kesederhanaan",
        "kejelasan_kepastian",
        "keamanan",
        "keterbukaan",
        "efisiensi",
        "ekonomis",
        "keadilan",
        "ketepatan_waktu",
    ],
    "edward_iii": ["komunikasi", "sumber_daya", "disposisi", "struktur_birokrasi"],
}

USER_CODEBOOK = """\
format_version: 1
id: efektivitas_program
name: Efektivitas Program Bantuan
theory: Efektivitas program
citation: "Penulis (2021). Judul. Kota: Penerbit."
description: Tiga indikator efektivitas program bantuan sosial.
indicators:
  - id: ketepatan_sasaran
    label: Ketepatan Sasaran
    definition: Bantuan diterima warga yang berhak.
    concepts: [fairness]
  - id: sosialisasi
    label: Sosialisasi
    definition: Warga tahu tujuan dan syarat program.
    concepts: [communication, openness]
  - id: pemantauan
    label: Pemantauan
    definition: Pelaksanaan dipantau dinas.
"""


def concept_table() -> dict[str, dict[str, str]]:
    """corpora/train/CONCEPTS.md's table: concept -> {codebook id: indicator id}."""
    text = (REPO / "corpora" / "train" / "CONCEPTS.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header[:3] == ["concept", "meaning (what the segment talks about)", "mitchell"]
    table: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        if set(row) <= set("|-: "):
            continue  # the separator line
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        table[cells[0]] = {
            book: cell for book, cell in zip(header[2:], cells[2:], strict=True) if cell
        }
    return table


def test_every_builtin_loads_with_exactly_the_domain_ids() -> None:
    assert set(BUILTIN_CODEBOOKS) == set(DOMAIN_IDS)
    for codebook_id, expected in DOMAIN_IDS.items():
        book = load_codebook(codebook_id)
        assert book.id == codebook_id
        assert list(book.indicator_ids) == expected
    on_disk = {p.stem for p in codebooks_dir().glob("*.yaml")} - {"concepts"}
    assert on_disk == set(BUILTIN_CODEBOOKS)


def test_concept_mapping_matches_the_table_in_concepts_md() -> None:
    table = concept_table()
    assert set(table) == set(load_concepts())
    for book in builtin_codebooks():
        expected = {c: row[book.id] for c, row in table.items() if book.id in row}
        assert dict(book.concept_map) == expected, book.id


def test_every_concept_is_used_by_some_codebook() -> None:
    used = {concept for book in builtin_codebooks() for concept in book.concepts}
    assert used == set(load_concepts())


def test_builtins_are_written_for_researchers() -> None:
    for book in builtin_codebooks():
        assert book.language == "id" and book.citation and book.description
        assert re.search(r"\((19|20)\d\d\)|\d{4}", book.citation), book.citation
        for indicator in book.indicators:
            where = f"{book.id}.{indicator.id}"
            assert 2 <= len(indicator.sub_indicators) <= 5, where
            assert 8 <= len(indicator.typical_phrases) <= 15, where
            sentences = [s for s in re.split(r"[.!?](?:\s|$)", indicator.definition) if s.strip()]
            assert 1 <= len(sentences) <= 3, where
            assert indicator.concepts, where


def test_concepts_have_both_descriptions() -> None:
    english = load_concepts()
    assert len(english) == 27
    assert all(description.strip() for description in english.values())


def test_unknown_id_lists_the_builtins() -> None:
    with pytest.raises(CodebookError) as info:
        load_codebook("mitchel")
    assert info.value.code is Errors.E302
    assert ", ".join(BUILTIN_CODEBOOKS) in str(info.value)


def test_user_codebook_loads_like_a_builtin(tmp_path: Path) -> None:
    path = tmp_path / "efektivitas.yaml"
    path.write_text(USER_CODEBOOK, encoding="utf-8")
    book = load_codebook(str(path))
    assert type(book) is Codebook and type(book) is type(load_codebook("kasmir"))
    assert book.indicator_ids == ("ketepatan_sasaran", "sosialisasi", "pemantauan")
    assert book.indicator_for_concepts(["openness", "fairness"]) == "sosialisasi"
    assert book.indicator("pemantauan").concepts == ()
    assert load_codebook(path) is book  # cached while unchanged


def test_an_edited_user_codebook_is_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "efektivitas.yaml"
    path.write_text(USER_CODEBOOK, encoding="utf-8")
    assert load_codebook(path).name == "Efektivitas Program Bantuan"
    path.write_text(USER_CODEBOOK.replace("Program Bantuan", "Program Sosial"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_codebook(path).name == "Efektivitas Program Sosial"


def test_user_codebook_errors_use_the_shared_concepts(tmp_path: Path) -> None:
    path = tmp_path / "salah.yaml"
    path.write_text(USER_CODEBOOK.replace("[fairness]", "[keadilan]"), encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert f"{path}:11: indicator 'ketepatan_sasaran' uses the unknown concept" in str(info.value)


def test_user_copy_of_a_builtin_must_change_its_id(tmp_path: Path) -> None:
    copy = tmp_path / "kasmir_saya.yaml"
    shutil.copy(codebooks_dir() / "kasmir.yaml", copy)
    with pytest.raises(CodebookError) as info:
        load_codebook(copy)
    assert "is the id of a built-in codebook" in str(info.value)
    assert load_codebook(codebooks_dir() / "kasmir.yaml") is load_codebook("kasmir")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as info:
        load_codebook(tmp_path / "tidak_ada.yaml")
    assert info.value.code is Errors.E304


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "baik.yaml"
    good.write_text(USER_CODEBOOK, encoding="utf-8")
    assert main(["codebook", "validate", str(good)]) == 0
    assert "OK" in capsys.readouterr().out

    bad = tmp_path / "buruk.yaml"
    bad.write_text(
        USER_CODEBOOK.replace("id: sosialisasi", "id: Sosialisasi").replace(
            "    definition: Pelaksanaan dipantau dinas.\n", ""
        ),
        encoding="utf-8",
    )
    assert main(["codebook", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:12: indicator 'Sosialisasi', 'id' is 'Sosialisasi'" in out
    assert f"{bad}:16: indicator 'pemantauan' has no 'definition'" in out
    assert "2 problems" in out

    assert main(["codebook", "validate", str(tmp_path / "tidak_ada.yaml")]) == 1
    assert "E304" in capsys.readouterr().out
    assert main(["codebook", "validate", str(codebooks_dir() / "servqual.yaml")]) == 0


def test_cli_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codebook", "list"]) == 0
    out = capsys.readouterr().out
    for codebook_id in BUILTIN_CODEBOOKS:
        assert codebook_id in out
    assert main(["codebook", "show", "kasmir", "--width", "200"]) == 0
    out = capsys.readouterr().out
    assert "Penekanan Biaya" in out and "penekanan_biaya" in out and "supervision" in out
    assert main(["codebook", "show", "tidak_ada"]) == 2
    assert "E302" in capsys.readouterr().err


def test_the_readme_example_is_a_valid_codebook(tmp_path: Path) -> None:
    readme = (codebooks_dir() / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    path = tmp_path / "efektivitas.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    assert load_codebook(path).id == "efektivitas_program"
