from __future__ import annotations

import pytest

from pipeline.findings.judgement import INSUFFICIENT, ThresholdRule, divergence_note
from pipeline.findings.model import EvidenceBalance, RoleBreakdown

B = EvidenceBalance


@pytest.mark.parametrize(
    ("balances", "label", "level"),
    [
        ([B(positive=4), B(positive=3)], "baik", 4),
        ([B(positive=4), B(positive=3, negative=1), B(positive=1, negative=1)], "cukup baik", 3),
        ([B(positive=1, negative=1), B(positive=1, negative=1)], "belum optimal", 2),
        ([B(negative=3), B(positive=1, negative=2)], "kurang baik", 1),
    ],
)
def test_bands(balances, label, level):
    judgement = ThresholdRule().judge(balances)
    assert (judgement.label, judgement.level) == (label, level)
    assert label in judgement.reason


def test_band_edges_belong_to_the_better_band():
    rule = ThresholdRule()
    # scores exactly 0.8, 0.6 and 0.4
    assert rule.judge([B(positive=4, negative=1), B(positive=4, negative=1)]).label == "baik"
    assert rule.judge([B(positive=3, negative=2), B(positive=3, negative=2)]).label == "cukup baik"
    assert (
        rule.judge([B(positive=2, negative=3), B(positive=2, negative=3)]).label == "belum optimal"
    )


def test_every_informant_weighs_the_same_however_much_they_talk():
    talkative_head = B(positive=10)
    citizens = [B(negative=1), B(negative=1)]
    judgement = ThresholdRule().judge([talkative_head, *citizens])
    assert judgement.score == pytest.approx(1 / 3, abs=1e-4)
    assert judgement.label == "kurang baik"


def test_mixed_counts_half_and_neutral_not_at_all():
    rule = ThresholdRule()
    assert rule.informant_score(B(mixed=2)) == 0.5
    assert rule.informant_score(B(positive=1, neutral=5)) == 1.0
    assert rule.informant_score(B(neutral=3)) is None
    assert ThresholdRule(mixed_weight=0.0).informant_score(B(mixed=2)) == 0.0


def test_too_little_evidence_is_not_judged():
    rule = ThresholdRule()
    one_person = rule.judge([B(positive=5)])
    assert (one_person.label, one_person.level) == (INSUFFICIENT, 0)
    assert one_person.score == 1.0
    two_segments = rule.judge([B(positive=1), B(positive=1)])
    assert two_segments.label == INSUFFICIENT
    assert rule.judge([]).score is None
    assert rule.judge([B(neutral=4), B(neutral=2)]).label == INSUFFICIENT


def test_the_printed_rule_states_the_thresholds_used():
    text = ThresholdRule(good=0.85, fair=0.65, weak=0.45, min_segments=4).explain()
    for fragment in ("0,85", "0,65", "0,45", "4 segmen", "«baik»", "«kurang baik»", INSUFFICIENT):
        assert fragment in text


def test_divergence_between_citizens_and_officials_is_noted():
    officials = RoleBreakdown("head", 4, 2, B(positive=4), 1.0)
    staff = RoleBreakdown("staff", 2, 2, B(positive=1, negative=1), 0.5)
    citizens = RoleBreakdown("citizen", 3, 3, B(negative=3), 0.0)
    note = divergence_note([officials, staff, citizens])
    assert note is not None and "lebih rendah" in note and "0,75" in note
    assert divergence_note([officials, RoleBreakdown("citizen", 1, 1, B(positive=1), 0.9)]) is None
    assert divergence_note([officials]) is None
