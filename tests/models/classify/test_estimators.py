"""The heads follow scikit-learn's rules and behave sensibly on separable synthetic data."""

import numpy as np
import pytest
from sklearn.base import clone

from models.classify.coder import SegmentClassifier
from models.classify.heads import CalibratedHead
from models.classify.indicator import NONE, IndicatorHead
from models.classify.zero_shot import ZeroShotPrior
from models.training.data import LabelledSegment
from pipeline.codebook.model import Codebook, Indicator
from pipeline.errors import ModelError

RNG = np.random.default_rng(0)
DIM = 16
CENTRES = {name: RNG.normal(size=DIM) * 3 for name in ("cepat", "ramah", "biaya", "none")}


def _points(name: str, n: int) -> np.ndarray:
    return CENTRES[name] + RNG.normal(size=(n, DIM))


CODEBOOK = Codebook(
    id="uji",
    name="Uji",
    theory="test",
    citation="-",
    description="-",
    indicators=(
        Indicator("ketepatan", "Ketepatan", "cepat", concepts=("timeliness",)),
        Indicator("keramahan", "Keramahan", "ramah", concepts=("courtesy_trust",)),
        Indicator("biaya", "Biaya", "murah", concepts=("affordability",)),
    ),
    format_version=1,
    source="test",
)


def _prior() -> ZeroShotPrior:
    desc = np.vstack([CENTRES["cepat"], CENTRES["ramah"], CENTRES["biaya"]])
    return ZeroShotPrior().fit(desc, ["ketepatan", "keramahan", "biaya"])


@pytest.mark.parametrize(
    "estimator",
    [
        CalibratedHead(C=2.0),
        IndicatorHead(C=2.0, prior_strength=3.0),
        ZeroShotPrior(0.1),
        SegmentClassifier("uji"),
    ],
)
def test_init_only_stores_parameters_and_clone_works(estimator) -> None:
    params = estimator.get_params()
    assert clone(estimator).get_params() == params
    assert not [k for k in vars(estimator) if k.endswith("_") and not k.startswith("_")]


def test_calibrated_head_fit_returns_self_and_learns() -> None:
    X = np.vstack([_points("cepat", 30), _points("ramah", 30)])
    y = np.array(["a"] * 30 + ["b"] * 30)
    head = CalibratedHead()
    assert head.fit(X, y) is head
    assert (
        head.score(np.vstack([_points("cepat", 10), _points("ramah", 10)]), ["a"] * 10 + ["b"] * 10)
        > 0.9
    )
    proba = head.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_unfitted_heads_raise_a_telaah_error() -> None:
    with pytest.raises(ModelError):
        CalibratedHead().predict_proba(np.zeros((1, DIM)))


def test_indicator_head_abstains_on_none_and_uses_prior_for_unseen_indicator() -> None:
    X = np.vstack([_points("cepat", 40), _points("ramah", 40), _points("none", 40)])
    concepts = ["timeliness"] * 40 + ["courtesy_trust"] * 40 + [NONE] * 40
    prior = _prior()
    head = IndicatorHead().fit(
        X, concepts, CODEBOOK.concept_map, list(prior.classes_), prior.predict_proba(X)
    )
    assert head.n_examples_["biaya"] == 0
    test = np.vstack([_points("cepat", 10), _points("none", 10), _points("biaya", 10)])
    pred = head.predict(test, prior.predict_proba(test))
    assert (pred[:10] == "ketepatan").mean() > 0.8
    assert (pred[10:20] == NONE).mean() > 0.8
    # "biaya" has no examples: only the zero-shot prior can name it, and it does for some.
    biaya = _points("biaya", 10)
    proba = head.predict_proba(biaya, prior.predict_proba(biaya))
    assert (
        proba[:, list(head.indicators_).index("biaya")].mean()
        > proba[:, list(head.indicators_).index("keramahan")].mean()
    )


def _examples() -> tuple[np.ndarray, list[LabelledSegment]]:
    rows, examples = [], []
    spec = [
        ("cepat", ["timeliness"], "indicator", None, "positive"),
        ("ramah", ["courtesy_trust"], "obstacle", "internal", "negative"),
        ("none", [], "other", None, None),
        ("biaya", ["fairness"], "indicator", None, "negative"),  # fairness has no indicator here
    ]
    for centre, concepts, function, scope, assessment in spec:
        points = _points(centre, 30)
        for i, point in enumerate(points):
            rows.append(point)
            examples.append(
                LabelledSegment(
                    f"{centre}{i}",
                    "x",
                    tuple(concepts),
                    function,
                    scope if i % 2 else ("external" if scope else None),
                    assessment,
                )
            )
    return np.vstack(rows), examples


def test_segment_classifier_contract() -> None:
    X, examples = _examples()
    desc = np.vstack([CENTRES["cepat"], CENTRES["ramah"], CENTRES["biaya"]])
    model = SegmentClassifier("uji", use_ngrams=False).fit(
        X, examples, CODEBOOK, desc, ["ketepatan", "keramahan", "biaya"]
    )
    test = np.vstack([_points("cepat", 1), _points("ramah", 1), _points("none", 1)])
    codes = model.predict_codes(test, ["a", "b", "c"], ["x", "y", "z"])
    assert [c["id"] for c in codes] == ["a", "b", "c"]
    assert codes[0]["indicator"] == "ketepatan" and codes[0]["function"] == "indicator"
    assert codes[1]["indicator"] == "keramahan" and codes[1]["function"] == "obstacle"
    assert codes[1]["scope"] in ("internal", "external")
    assert (
        codes[2]["indicator"] is None
        and codes[2]["function"] == "other"
        and codes[2]["scope"] is None
    )
    for code in codes:
        assert set(code["function_scores"]) == {
            "indicator",
            "obstacle",
            "effort",
            "supporting_factor",
            "other",
        }
        scores = [i["score"] for i in code["indicators"]]
        assert scores == sorted(scores, reverse=True)
        assert code["assessment"] in ("positive", "negative", "mixed", "neutral")
