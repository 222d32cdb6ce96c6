import codecs

import pytest

from pipeline.errors import Errors, IngestError
from pipeline.ingest.decode import decode_bytes

TEXT = "P: Bagaimana pelayanannya?\r\nI: Kalo menurut saya “sudah baik” – cuma antrinya lama.\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_every_encoding_gives_the_same_canonical_text(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, "x.txt")
    assert decoded.encoding == encoding
    assert decoded.text == TEXT.replace("\r\n", "\n")


def test_old_mac_line_endings_become_lf() -> None:
    assert decode_bytes(b"P: a\rI: b\r", "x.txt").text == "P: a\nI: b\n"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Errors.E101),
        (b"   \n\n\t ", Errors.E107),
        (bytes(range(256)) * 40, Errors.E103),
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), Errors.E103),
        ("インタビューの記録です。".encode("shift_jis") * 30, Errors.E104),
    ],
)
def test_bad_bytes_get_a_coded_error_naming_the_file(data: bytes, code: Errors) -> None:
    with pytest.raises(IngestError) as info:
        decode_bytes(data, "wawancara_07.txt")
    assert info.value.code is code
    assert "wawancara_07.txt" in str(info.value)
