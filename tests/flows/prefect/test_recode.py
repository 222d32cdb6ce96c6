"""Recoding after a promotion: a new findings set beside the old, and only affected rows move."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.flows.prefect.conftest import CODEBOOK, EMBEDDER_REF, register_model

pytestmark = pytest.mark.usefixtures("harness")
CODE_FIELDS = ["indicator", "function", "scope", "assessment"]


@pytest.fixture
def restore_promotion(trained_version: str) -> Iterator[None]:
    yield
    from models.registry import Registry

    Registry().promote(CODEBOOK, trained_version, reason="test teardown")


def recode(corpus: Path, out: Path) -> dict:
    from flows.prefect.recode_flow import recode_flow

    return recode_flow(
        paths=[str(corpus)], out_dir=str(out), codebook_id=CODEBOOK,
        embedder_ref=EMBEDDER_REF, files_per_batch=1,
    )  # fmt: skip


@pytest.mark.usefixtures("restore_promotion")
def test_recode_with_a_new_head_reuses_embeddings_and_changes_only_affected_rows(
    corpus: Path, trained_version: str, tmp_path: Path
) -> None:
    from models.registry import Registry

    out = tmp_path / "out"
    first = recode(corpus, out)
    assert first["previous"] is None and first["findings_rebuilt"]
    old_dir = out / "versions" / f"{CODEBOOK}-{trained_version}"
    old_stamp = (old_dir / "findings.json").stat().st_mtime_ns
    old_codes = pd.read_parquet(old_dir / "tables" / "codes.parquet").set_index("segment_id")

    # A new head on the same embedder: the same model with a stricter abstain threshold.
    registry = Registry()
    model, _ = registry.load(CODEBOOK, trained_version)
    scores = old_codes.loc[old_codes["indicator"].notna(), "indicator_score"]
    threshold = float(np.median(scores))
    model.indicator_.threshold_ = threshold  # type: ignore[attr-defined]
    new_version = register_model(model, registry, "stricter threshold")
    registry.promote(CODEBOOK, new_version, reason="test")

    second = recode(corpus, out)
    assert second["parsed"] == 0 and second["embedded_batches"] == 0  # ingest and vectors reused
    assert second["classified_batches"] == 3 and second["findings_rebuilt"]
    assert second["previous"] == old_dir.name
    new_dir = out / "versions" / f"{CODEBOOK}-{new_version}"
    assert (old_dir / "findings.json").stat().st_mtime_ns == old_stamp  # old set kept as it was
    assert json.loads((out / "latest.json").read_text())["version"] == new_version

    new_codes = pd.read_parquet(new_dir / "tables" / "codes.parquet").set_index("segment_id")
    assert set(new_codes.index) == set(old_codes.index)
    new_codes = new_codes.loc[old_codes.index]
    differs = (old_codes[CODE_FIELDS].fillna("-") != new_codes[CODE_FIELDS].fillna("-")).any(axis=1)
    changed = set(old_codes.index[differs])
    diff = json.loads((new_dir / "diff.json").read_text())
    assert {row["segment_id"] for row in diff["changed_segments"]} == changed
    assert second["diff"]["changed_segments"] == len(changed)
    assert 0 < len(changed) < len(old_codes)
    # only segments the stricter threshold affects moved, and they lost their indicator
    assert set(old_codes.index[old_codes["indicator_score"] < threshold + 1e-4]) >= changed
    assert new_codes.loc[list(changed), "indicator"].isna().all()
    unchanged = old_codes.index[~differs]
    pd.testing.assert_frame_equal(
        old_codes.loc[unchanged, ["indicator", "function", "indicator_score"]],
        new_codes.loc[unchanged, ["indicator", "function", "indicator_score"]],
    )
    assert (new_dir / "diff.md").read_text().count("`") >= 2 * len(changed)
    for table in ("tables/segments.parquet", "ingest/sources.parquet"):  # not rewritten: linked
        assert os.stat(old_dir / table).st_ino == os.stat(new_dir / table).st_ino

    third = recode(corpus, out)  # nothing new: every stage skips
    assert third["classified_batches"] == 0 and not third["findings_rebuilt"]
    assert third["unchanged"]
    assert third["diff"] is None
