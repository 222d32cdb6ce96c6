"""The streaming findings builder gives exactly what ``build_findings`` gives in one piece.

The study is fed in uneven batches (one segment, then the rest split twice) so that running
sums, per-batch scoring and the quote lookup all cross batch boundaries.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.findings import Pseudonymiser, build_findings, findings_to_dict
from pipeline.findings.corpus import SourceNote
from pipeline.findings.pseudonymise import NameNotes
from pipeline.findings.stream import FindingsStream
from tests.pipeline.findings.study import build_study


@pytest.fixture(scope="module")
def study():
    return build_study()


def streamed(study, cuts: list[int]):
    names = [NameNotes.of(t) for t in reversed(study.transcripts)]  # order must not matter
    pseudonyms = Pseudonymiser.from_notes(names)
    stream = FindingsStream(
        study.codebook, [SourceNote.of(t) for t in study.transcripts], pseudonyms
    )
    bounds = list(zip([0, *cuts], [*cuts, len(study.segments)], strict=True))
    codes = {c.segment_id: c for c in study.codes}
    for a, b in bounds:
        segments = study.segments[a:b]
        batch_codes = [codes[s.id] for s in segments if s.id in codes]
        stream.add(segments, batch_codes, study.embeddings[a:b])
    stream.centroids()
    for number, (a, b) in enumerate(bounds):
        stream.score(number, study.embeddings[a:b])
    wanted = stream.quote_ids()
    return stream.finish({s.id: s for s in study.segments if s.id in wanted}), wanted


def test_streamed_findings_equal_the_in_memory_ones(study):
    reference = build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )
    n = len(study.segments)
    findings, wanted = streamed(study, [1, n // 3, 2 * n // 3])
    assert findings_to_dict(findings) == findings_to_dict(reference)
    quoted = {q.segment_id for item in findings.indicators for q in item.quotes}
    assert quoted == wanted  # pass 3 brings the indicator quotes' texts and nothing else


def test_the_pseudonymiser_from_notes_equals_the_one_from_transcripts(study):
    direct = Pseudonymiser.from_transcripts(study.transcripts)
    noted = Pseudonymiser.from_notes(NameNotes.of(t) for t in study.transcripts)
    assert noted.mapping == direct.mapping
    assert noted.name_words == direct.name_words


def test_a_batch_whose_embeddings_do_not_match_is_refused(study):
    from pipeline.errors import Errors, TelaahError

    stream = FindingsStream(
        study.codebook,
        [SourceNote.of(t) for t in study.transcripts],
        Pseudonymiser.from_transcripts(study.transcripts),
    )
    with pytest.raises(TelaahError) as exc:
        stream.add(study.segments[:3], study.codes[:0], np.zeros((2, 4)))
    assert exc.value.code is Errors.E601
