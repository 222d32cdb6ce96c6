from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.errors import Errors, TelaahError
from pipeline.findings import FindingsOptions, ThresholdRule, build_findings, findings_summary
from tests.pipeline.findings.study import build_study


@pytest.fixture(scope="module")
def study():
    return build_study()


@pytest.fixture(scope="module")
def findings(study):
    return build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )


def test_indicator_judgements_follow_the_constructed_evidence(findings):
    by_id = {i.id: i for i in findings.indicators}
    quality, time, comm = by_id["kualitas_kerja"], by_id["ketepatan_waktu"], by_id["komunikasi"]
    assert (quality.balance.positive, quality.balance.mixed) == (5, 1)
    assert quality.n_informants == 6 and quality.judgement.label == "baik"
    assert quality.judgement.score == pytest.approx((5 + 0.5) / 6, abs=1e-4)
    assert time.balance.negative == 4 and time.judgement.label == "kurang baik"
    assert comm.judgement.label == "belum dapat dinilai"
    assert tuple(by_id) == ("kualitas_kerja", "ketepatan_waktu", "komunikasi")


def test_role_breakdown_and_divergence_note(findings):
    time = next(i for i in findings.indicators if i.id == "ketepatan_waktu")
    roles = {r.role_category: r for r in time.by_role}
    assert roles["citizen"].n_informants == 2 and roles["citizen"].score == 0.0
    assert "staff" not in roles


def test_quotes_are_verbatim_located_and_from_different_informants(study, findings):
    texts = {t.source.id: t.text for t in study.transcripts}
    for item in [*findings.indicators, *findings.themes]:
        informants = [q.informant for q in item.quotes]
        assert len(informants) == len(set(informants))
        for quote in item.quotes:
            assert texts[quote.source_id][quote.start : quote.end] == quote.text
            assert quote.segment_id in item.segment_ids


def test_themes_and_links_recover_the_constructed_structure(study, findings):
    theme_of = {s.id: t for s, t in zip(study.segments, study.themes, strict=True)}
    for theme in findings.themes:
        assert len({theme_of[s] for s in theme.segment_ids}) == 1
    by_truth = {theme_of[t.segment_ids[0]]: t.id for t in findings.themes}
    links = {(link.effort_theme, link.obstacle_theme) for link in findings.links}
    assert links == {
        (by_truth["propose_budget"], by_truth["budget"]),
        (by_truth["volunteers"], by_truth["staff"]),
        (by_truth["backup"], by_truth["network"]),
    }
    assert all(link.cooccurrence == 1.0 and link.evidence for link in findings.links)
    assert findings.themes_for("supporting_factor") == ()


def test_corpus_informants_are_pseudonymised_and_counted(findings):
    corpus = findings.corpus
    assert (corpus.n_sources, corpus.n_segments, corpus.n_informants) == (6, 30, 6)
    assert [i.pseudonym for i in corpus.informants] == [f"Informan {c}" for c in "ABCDEF"]
    assert corpus.informants[0].name == "Hendra Wijaya"
    assert {c.key: c.n for c in corpus.functions}["other"] == 1
    assert findings.method.model_versions == ("test-1",)
    assert findings_summary(findings)[0].startswith("6 transkrip, 6 informan, 30 segmen")


def test_options_change_the_rule_and_quote_counts(study):
    strict = FindingsOptions(judgement=ThresholdRule(good=0.95), quotes_per_indicator=1)
    found = build_findings(
        study.transcripts,
        study.segments,
        study.codes,
        study.embeddings,
        study.codebook,
        options=strict,
    )
    quality = next(i for i in found.indicators if i.id == "kualitas_kerja")
    assert quality.judgement.label == "cukup baik" and len(quality.quotes) == 1
    assert "0,95" in found.method.judgement_rule


def test_inputs_that_do_not_belong_together_are_refused(study):
    args = [study.transcripts, study.segments, study.codes, study.embeddings, study.codebook]

    def code_of(exc: pytest.ExceptionInfo[TelaahError]) -> Errors:
        return exc.value.code

    with pytest.raises(TelaahError) as exc:
        build_findings(*args[:3], study.embeddings[:-1], study.codebook)
    assert code_of(exc) is Errors.E601
    with pytest.raises(TelaahError) as exc:
        build_findings(
            study.transcripts, study.segments[1:], study.codes, np.zeros((29, 4)), study.codebook
        )
    assert code_of(exc) is Errors.E602
    wrong_book = [replace(study.codes[0], codebook="kasmir"), *study.codes[1:]]
    with pytest.raises(TelaahError) as exc:
        build_findings(
            study.transcripts, study.segments, wrong_book, study.embeddings, study.codebook
        )
    assert code_of(exc) is Errors.E603 and "--codebook mini" in str(exc.value)
    wrong_ind = [replace(study.codes[0], indicator="waktu"), *study.codes[1:]]
    with pytest.raises(TelaahError) as exc:
        build_findings(
            study.transcripts, study.segments, wrong_ind, study.embeddings, study.codebook
        )
    assert code_of(exc) is Errors.E604
    with pytest.raises(TelaahError) as exc:
        build_findings(study.transcripts[1:], *args[1:])
    assert code_of(exc) is Errors.E606


def test_uncoded_segments_are_counted_but_not_analysed(study):
    found = build_findings(
        study.transcripts, study.segments, study.codes[:10], study.embeddings, study.codebook
    )
    assert found.corpus.n_segments == 30
    coded = {c.segment_id for c in study.codes[:10]}
    assert all(s in coded for t in found.themes for s in t.segment_ids)


def test_the_real_mitchell_codebook_works_when_available(study):
    codebooks = pytest.importorskip("models.codebooks")
    mitchell = codebooks.load_codebook("mitchell")
    codes = [replace(c, codebook="mitchell") for c in study.codes]
    found = build_findings(study.transcripts, study.segments, codes, study.embeddings, mitchell)
    assert [i.id for i in found.indicators] == list(mitchell.indicator_ids)
    assert next(i for i in found.indicators if i.id == "kualitas_kerja").judgement.label == "baik"
