import pytest

from pipeline.segment.lexicon import COLLOQUIAL
from pipeline.segment.normalize import normalize_colloquial


def test_lexicon_has_at_least_150_real_mappings() -> None:
    assert sum(1 for k, v in COLLOQUIAL.items() if k != v) >= 150


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kalo udah online gak ribet", "Kalau sudah daring tidak rumit"),
        ("eee... datanya ngga update, de", "datanya tidak perbarui, adik"),
        ("Ulun kada tahu ja", "Saya tidak tahu saja"),
        ("Gimana kalo kada papa?", "Bagaimana kalau tidak apa-apa?"),
    ],
)
def test_colloquial_forms_are_normalised(text: str, expected: str) -> None:
    assert normalize_colloquial(text) == expected


def test_formal_text_is_unchanged() -> None:
    text = "Pelayanan di kantor kecamatan sudah sesuai dengan standar operasional prosedur."
    assert normalize_colloquial(text) == text
