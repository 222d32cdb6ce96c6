"""Agreement between coders, and between each coder and the model: Cohen's kappa.

Per indicator the question is binary (does this segment speak to the indicator or not), over
the segments both raters decided; overall kappa is over the full label (indicator or none).
Kappa rather than raw agreement because most segments are "none" for any one indicator, and
raw agreement would look excellent for two raters who never agree on a positive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

NONE = "(none)"


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two equal-length label sequences; ``None`` when undefined.

    Undefined means no shared items, or both raters giving one and the same label throughout
    (an indicator neither ever used): reporting 1.0 there would flatter the agreement.
    """
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[label] * cb[label] for label in set(ca) | set(cb)) / (n * n)
    if expected >= 1.0:  # both raters used one label only: chance explains everything
        return None
    return (observed - expected) / (1.0 - expected)


def kappa_report(
    first: Mapping[str, str | None], second: Mapping[str, str | None], indicators: Sequence[str]
) -> dict[str, object]:
    """Kappa over the segments both decided: overall and one binary kappa per indicator."""
    shared = sorted(set(first) & set(second))
    a = [first[s] or NONE for s in shared]
    b = [second[s] or NONE for s in shared]
    per_indicator: dict[str, float | None] = {}
    for indicator in indicators:
        per_indicator[indicator] = cohen_kappa(
            [str(x == indicator) for x in a], [str(y == indicator) for y in b]
        )
    agreement = sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else None
    return {
        "n": len(shared),
        "agreement": agreement,
        "kappa": cohen_kappa(a, b),
        "per_indicator": per_indicator,
    }
