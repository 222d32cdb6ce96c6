"""Generate a large corpus from the sample whose segments are (nearly) all different texts.

Copying the sample verbatim would give 1,000 files but only ~400 distinct segment texts, and
then the embedding cache and per-batch dedup make every benchmark of embedding, classifying or
findings meaningless. Real corpora repeat little beyond short answers, so every generated file
rewrites its sample's speech, deterministically from ``(seed, n)``:

- people's and places' names are replaced (one consistent mapping per file, so speaker labels,
  headers and mentions still agree), as are small numbers and number words;
- everyday words are swapped for their colloquial or formal twins ("tidak"/"nggak",
  "karena"/"soalnya", "masyarakat"/"warga", ...) at random, and sentences get a discourse
  marker in front ("Jadi", "Nah", "Memang", ...), which is how speech varies between people.

Only text is touched, never structure: timecode and cue-number lines of subtitles stay as
they are, zip formats change only the text nodes of their document XML, and files keep their
encodings (UTF-8 with BOM, UTF-16, cp1252), so ingest and segmentation cost what they cost on
the sample's formats (.txt, .md, .docx, .odt, .xlsx, .vtt, .srt, .csv, .jsonl).
"""

from __future__ import annotations

import argparse
import random
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from flows.io.discover import iter_sources

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpora" / "sample"


def _words(text: str) -> list[str]:
    return text.split()


# name words of the sample (from its pseudonymiser mapping and headers) and their stand-ins
NAMES = _words(
    """Rina Marlina Rusdiansyah Ahmad Fauzan Fahrul Razi Rahmadi Siti Aisyah Jumberi Dewi
    Kartika Sari Norhayati Hendra Saputra Rahmah Syarifuddin Masitah Rusmini Muhammad
    Syahrani Rizky Ananda Ema Wulan Yusuf Ijul Rahmat"""
)
STAND_INS = _words(
    """Abdul Agus Aminah Anisa Arif Asmuni Bahrudin Budi Darmawan Dian Erna Fadli Fitri
    Galih Gusti Hamidah Hasanah Herman Ilham Indah Irwan Jamilah Junaidi Khairul Lestari
    Mahmud Mariani Nurdin Nurul Paridah Rahman Ratna Ridwan Rosita Safitri Samsul
    Sarifah Setiawan Sulastri Supriadi Syamsiah Taufik Wahyuni Yanti Yuliani Zainal
    Zubaidah Anwar Marwan Salmah Ruslan Halimah Syahrul Nadia Fauziah Hidayat Kurniawati
    Maulana Rosidah Saleh"""
)
PLACES = {
    "Sungai Rantau": "Tanah Laut|Hulu Barito|Kapuas Tengah|Muara Teweh|Batang Alai|Sungai Raya",
    "Martapuri": "Pelaihari|Kandangan|Barabai|Amuntai|Rantau Baru|Tanjung Selatan",
    "Tambak Sirang": "Kurau Hilir|Bati Bati|Takisung|Jorong|Panyipatan|Tambang Ulang",
    "Pulau Lanting": "Sungai Rasau|Banua Lawas|Tajau Pecah|Handil Baru|Padang Luas|Sarang Halang",
    "Kurau Batu": "Muara Kintap|Asam Jaya|Batu Mulia|Ambawang|Sabuhur|Telaga Langsat",
    "Aranio": "Riam Kanan|Pengaron|Mataraman|Astambul|Karang Intan|Simpang Empat",
}
PROGRAMMES = {"BPNT": "BPNT|Sembako|BST", "PBI-JK": "PBI-JK|KIS-PBI|JKN-PBI"}
SWAPS = {
    "tidak": "nggak|enggak|tidak",
    "sudah": "udah|sudah",
    "saja": "aja|saja",
    "karena": "soalnya|sebab|karena",
    "tetapi": "tapi|namun",
    "bagaimana": "gimana|bagaimana",
    "masyarakat": "warga|masyarakat",
    "warga": "masyarakat|warga",
    "memang": "emang|memang",
    "begitu": "gitu|begitu",
    "kalau": "kalo|jika|kalau",
    "seperti": "kayak|seperti",
    "hanya": "cuma|hanya",
    "mungkin": "barangkali|mungkin",
    "kemudian": "lalu|terus|kemudian",
    "setelah": "sesudah|setelah",
    "supaya": "agar|biar|supaya",
    "bisa": "dapat|bisa",
    "harus": "mesti|harus",
    "sering": "kerap|sering",
    "banyak": "banyak|cukup banyak",
    "biasanya": "umumnya|biasanya",
    "sekarang": "saat ini|sekarang",
    "untuk": "buat|untuk",
    "semua": "seluruh|semua",
    "setiap": "tiap|setiap",
    "sekitar": "kira-kira|sekitar",
    "cukup": "lumayan|cukup",
    "kebanyakan": "sebagian besar|kebanyakan",
    "belum": "belom|belum",
    "langsung": "segera|langsung",
    "datang": "datang|hadir",
    "akibatnya": "dampaknya|akibatnya",
    "pegawai": "staf|pegawai",
    "masih": "tetap|masih",
    "antrean": "antrian|antrean",
    "selalu": "senantiasa|selalu",
    "sampai": "sampe|hingga|sampai",
    "kalo": "kalau|kalo",
    "sama": "dengan|sama",
    "udah": "sudah|udah",
    "pake": "pakai|pake",
    "padahal": "sedangkan|padahal",
    "harusnya": "seharusnya|harusnya",
    "soalnya": "karena|soalnya",
    "kadang": "kadang-kadang|kadang",
    "tau": "tahu|tau",
    "ada": "ada|terdapat",
    "lagi": "lagi|pula",
    "utama": "pokok|utama",
    "terus": "lalu|terus",
    "komitmen": "kemauan|komitmen",
    "pimpinan": "atasan|pimpinan",
    "dateng": "datang|dateng",
    "cek": "periksa|cek",
    "dukungan": "sokongan|dukungan",
}
TAGS = (", ya.", ", sih.", " juga.", ", lah.")
_SENTENCE_END = re.compile(r"(?<=[a-z])\.(?= [A-Z])")
MARKERS = ("Jadi", "Nah", "Memang", "Sebenarnya", "Terus", "Intinya", "Pokoknya", "Ya")
DIGITS = "dua|tiga|empat|lima|enam|tujuh|delapan|sembilan"
_NUMBER_WORD = re.compile(
    rf"\b({DIGITS})(?= (?:puluh|ratus|ribu|belas|persen|orang|desa|kali|hari|bulan|minggu)\b)"
)
_SMALL_NUMBER = re.compile(r"(?<![\d:.,/\-])\d{1,2}(?![\d:.,/\-])")
_SENTENCE = re.compile(r"(?<=[.!?] )([a-z]?[A-Z][a-z]+)\b")
_KEEP_CAPITAL = frozenset(_words("Pak Bu Bapak Ibu Mas Mbak Kak Bang Dik Allah Tuhan"))
_ANY_TEXT = re.compile(r"(>)([^<]+)(<)")
_CELL_TEXT = re.compile(r"(<t(?: [^>]*)?>)([^<]+)(</t>)")  # never <v>: shared-string indices
_ZIP_TEXT = {
    ".docx": (("word/document.xml",), _ANY_TEXT),
    ".odt": (("content.xml",), _ANY_TEXT),
    ".xlsx": (("xl/worksheets/", "xl/sharedStrings.xml"), _CELL_TEXT),
}


class Rewriter:
    """One generated file's consistent choices: who is who and where, and its word swaps."""

    def __init__(self, rng: random.Random, numbers: bool) -> None:
        self.rng = rng
        self.numbers = numbers
        self.names = dict(zip(NAMES, rng.sample(STAND_INS, len(NAMES)), strict=True))
        self.places = {p: rng.choice(c.split("|")) for p, c in PLACES.items()}
        self.programmes = {p: rng.choice(c.split("|")) for p, c in PROGRAMMES.items()}
        table = {**self.places, **self.programmes}
        self._fixed = re.compile("|".join(re.escape(k) for k in sorted(table, key=len)[::-1]))
        self._table = table
        self._name = re.compile(r"\b(" + "|".join(NAMES) + r")\b")
        self._proper = frozenset(STAND_INS) | {w for v in table.values() for w in v.split()}
        self._swap = re.compile(r"\b(" + "|".join(SWAPS) + r")\b", re.IGNORECASE)

    def _swap_word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if self.rng.random() < 0.5:
            return word
        twin = self.rng.choice(SWAPS[word.lower()].split("|"))
        return twin[0].upper() + twin[1:] if word[0].isupper() else twin

    def _marker(self, match: re.Match[str]) -> str:
        word = match.group(1)
        if self.rng.random() < 0.4:
            return word
        keep = word in _KEEP_CAPITAL or word in self._proper
        return f"{self.rng.choice(MARKERS)}, {word if keep else word.lower()}"

    def line(self, text: str) -> str:
        text = self._fixed.sub(lambda m: self._table[m.group(0)], text)
        text = self._name.sub(lambda m: self.names[m.group(1)], text)
        text = self._swap.sub(self._swap_word, text)
        text = _SENTENCE.sub(self._marker, text)
        text = _SENTENCE_END.sub(
            lambda m: self.rng.choice(TAGS) if self.rng.random() < 0.2 else ".", text
        )
        if self.numbers:
            text = _NUMBER_WORD.sub(lambda m: self.rng.choice(DIGITS.split("|")), text)
            text = _SMALL_NUMBER.sub(
                lambda m: str(self.rng.randint(2, 28)).zfill(len(m.group(0))), text
            )
        return text


def _keep_line(line: str) -> bool:
    """Subtitle structure: cue numbers, timecodes, cue ids and the WEBVTT line stay as they are."""
    stripped = line.strip()
    return (
        "-->" in stripped
        or stripped.isdigit()
        or stripped.startswith("WEBVTT")
        or (len(stripped) > 20 and " " not in stripped)
    )


def _codec(data: bytes) -> str:
    """The sample's encodings: UTF-8 with BOM, UTF-16 (BOM), plain UTF-8, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith(b"\xff\xfe"):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _rewrite_text(data: bytes, rewrite: Callable[[str], str]) -> bytes:
    codec = _codec(data)
    text = data.decode(codec)
    lines = text.splitlines(keepends=True)
    out = "".join(line if _keep_line(line) else rewrite(line) for line in lines)
    return out.encode(codec)


def _rewrite_zip(data: bytes, suffix: str, rewrite: Callable[[str], str]) -> bytes:
    """Rewrite the text nodes of the document XML; every other entry is copied byte for byte."""
    members, nodes = _ZIP_TEXT[suffix]
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith(members):
                xml = nodes.sub(
                    lambda m: m.group(1) + rewrite(m.group(2)) + m.group(3),
                    content.decode("utf-8"),
                )
                content = xml.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def vary(source: Path, n: int, seed: int) -> bytes:
    """File ``n`` of the corpus: ``source`` rewritten with choices drawn from ``(seed, n)``."""
    suffix = source.suffix.lower()
    # digits in csv/jsonl fields are dates and timings, not speech
    rewriter = Rewriter(random.Random(f"{seed}:{n}"), numbers=suffix not in (".csv", ".jsonl"))
    data = source.read_bytes()
    if suffix in _ZIP_TEXT:
        return _rewrite_zip(data, suffix, rewriter.line)
    return _rewrite_text(data, rewriter.line)


def generate(count: int, out: Path, seed: int = 0) -> list[Path]:
    """``count`` transcripts in ``out``, cycling through the sample's files and formats."""
    samples = list(iter_sources([SAMPLE]))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(count):
        source = samples[n % len(samples)]
        target = out / f"{n:05d}_{source.name}"
        target.write_bytes(vary(source, n, seed))
        written.append(target)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(f"wrote {len(generate(args.count, args.out, args.seed))} files to {args.out}")
