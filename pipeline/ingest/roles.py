"""Informant roles as written ("Kabid Linjamsos", "penerima PKH") mapped to a few categories.

Reports group evidence by role category (heads of office, staff, operators, facilitators,
citizens), so the mapping must be robust to the many ways a role is written.
"""

from __future__ import annotations

import re

from pipeline.records import RoleCategory

# Checked in order: "Operator Desa" is an operator, "Kepala Desa" a head.
_RULES: tuple[tuple[RoleCategory, tuple[str, ...]], ...] = (
    ("operator", ("operator",)),
    (
        "head",
        (
            "kepala",
            "kadis",
            "kadin",
            "kabid",
            "kasi",
            "kasie",
            "kasubag",
            "kasubbag",
            "kabag",
            "camat",
            "lurah",
            "sekretaris",
            "sekdis",
            "sekcam",
            "direktur",
            "pimpinan",
            "bupati",
            "walikota",
            "kapus",
            "koordinator",
            "ketua",
        ),
    ),
    (
        "facilitator",
        (
            "pendamping",
            "perangkat desa",
            "kader",
            "tksk",
            "fasilitator desa",
            "kaur",
            "kadus",
            "rt",
            "rw",
            "sekdes",
            "aparat desa",
            "pengurus",
        ),
    ),
    (
        "staff",
        (
            "staf",
            "staff",
            "pegawai",
            "petugas",
            "asn",
            "pns",
            "pelaksana",
            "honorer",
            "analis",
            "verifikator",
            "bendahara",
            "admin",
            "perekam",
            "pengelola",
            "pejabat",
            "fungsional",
            "teller",
            "pramu",
            "tenaga",
            "bidan",
            "perawat",
            "dokter",
            "guru",
        ),
    ),
    (
        "citizen",
        (
            "masyarakat",
            "warga",
            "penerima",
            "kpm",
            "pemohon",
            "pasien",
            "orang tua",
            "ibu rumah",
            "pedagang",
            "petani",
            "nelayan",
            "responden",
            "pengguna",
            "wajib",
            "peserta",
            "tokoh",
            "pelanggan",
            "nasabah",
            "buruh",
            "mahasiswa",
            "pemuda",
            "lansia",
        ),
    ),
)
_WORD = re.compile(r"[a-z]+(?: [a-z]+)?")


def categorize_role(role: str | None) -> RoleCategory:
    """Map a written role to a category; ``unknown`` when nothing matches."""
    if not role:
        return "unknown"
    text = " " + re.sub(r"[^a-z ]+", " ", role.lower()) + " "
    text = re.sub(r"\s+", " ", text)
    for category, keys in _RULES:
        for key in keys:
            if f" {key} " in text or (len(key) > 4 and f" {key}" in text):
                return category
    return "unknown"
