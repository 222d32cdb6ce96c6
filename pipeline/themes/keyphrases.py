"""Name each theme by the words that set it apart from the other themes (class-based TF-IDF).

Plain TF-IDF per segment finds what is unusual in one answer; a theme label must say what a
whole *group* of answers shares and the other groups do not. So all segments of a theme are
treated as one class: a term scores high when many of the theme's segments use it (support)
and few segments elsewhere do (class IDF). Occurrence is counted once per segment, so one
long answer repeating a word cannot name a theme on its own.

Tokens are lowercased and lightly normalised: the clitic ``-nya`` is dropped
("anggarannya" -> "anggaran") because it splits one word into two features in spoken
Indonesian; no stemming beyond that, so labels stay words a researcher recognises.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.themes.stopwords import HARD_STOPWORDS, STOPWORDS_ID

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
# a phrase never spans a clause boundary: "pegawai kurang, dana" has no "kurang dana"
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”…/]+|\s[-–—]\s")


@dataclass(frozen=True, slots=True)
class Keyphrase:
    """A label term: ``support`` is the share of the theme's segments that use it."""

    text: str
    score: float
    support: float


# words that themselves end in "nya": "ditanya" is not "dita" + "-nya" (but "datanya" is)
_NYA_WORDS = frozenset(
    prefix + root
    for root in ("tanya", "punya", "hanya", "bunya", "sanya")
    for prefix in ("", "di", "ber", "be", "me", "men", "mem", "ter", "per", "se", "pe", "pen")
)


def _strip_clitic(token: str) -> str:
    lower = token.lower()
    if lower.endswith("-nya"):
        return token[:-4]
    if (
        lower.endswith("nya")
        and lower not in _NYA_WORDS
        and not token.isupper()
        and len(token) - 3 >= 4
    ):
        return token[:-3]
    return token


def tokens(text: str) -> list[tuple[str, str]]:
    """``(normalised, surface)`` pairs; the surface keeps casing so acronyms display as such."""
    out = []
    for match in _TOKEN.finditer(text):
        surface = _strip_clitic(match.group(0))
        out.append((surface.lower(), surface))
    return out


def candidate_terms(
    text: str, max_n: int = 2, exclude: frozenset[str] = frozenset()
) -> tuple[set[str], dict[str, str]]:
    """The distinct candidate terms of one segment, with a surface form for each word.

    A single word must not be a stop word; a phrase must not start or end with a function word
    or filler and must contain at least one content word ("beban kerja" yes, "dan kerja" no).
    """
    terms: set[str] = set()
    surfaces: dict[str, str] = {}
    for clause in _CLAUSE.split(text):
        toks = tokens(clause)
        surfaces.update(toks)
        words = [norm for norm, _ in toks]
        for n in range(1, max_n + 1):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if _acceptable(gram) and not exclude.intersection(gram):
                    terms.add(" ".join(gram))
    return terms, surfaces


def _acceptable(gram: list[str]) -> bool:
    if len(gram) == 1:
        return gram[0] not in STOPWORDS_ID and len(gram[0]) > 2
    if gram[0] in HARD_STOPWORDS or gram[-1] in HARD_STOPWORDS or len(set(gram)) < len(gram):
        return False
    return not all(word in STOPWORDS_ID for word in gram)


def _display(term: str, surfaces: dict[str, Counter[str]]) -> str:
    """Show a word as an acronym (DTKS, SDM) when speakers wrote it in capitals."""
    words = []
    for word in term.split():
        common = surfaces[word].most_common(1)[0][0] if surfaces.get(word) else word
        words.append(common if common.isupper() and len(common) > 1 else word)
    return " ".join(words)


def class_tfidf(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    groups: Sequence[str] | None = None,
    exclude: frozenset[str] = frozenset(),
    top_n: int = 5,
    max_n: int = 2,
    phrase_preference: float = 0.7,
) -> dict[int, list[Keyphrase]]:
    """Top keyphrases per class label.

    ``score = support(t, c) * log(1 + A / f(t))`` where support is the share of class ``c``'s
    segments containing ``t``, ``A`` the mean number of segments per class and ``f(t)`` the
    number of segments containing ``t`` across all classes. A phrase replaces one of its words
    when it scores at least ``phrase_preference`` times the word: "anggaran terbatas" says more
    than "anggaran".

    ``groups`` (the interview of each text) guards against names of one interview's villages
    or people labelling a theme: in a theme spanning several interviews, a term must be used
    in at least two of them. ``exclude`` lists lowercase words never to use (people's names).
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    groups = groups if groups is not None else [str(i) for i in range(len(texts))]
    per_class: dict[int, Counter[str]] = defaultdict(Counter)
    class_size: Counter[int] = Counter()
    overall: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    spread: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    class_groups: dict[int, set[str]] = defaultdict(set)
    for text, label, group in zip(texts, labels, groups, strict=True):
        terms, surface = candidate_terms(text, max_n, exclude)
        per_class[int(label)].update(terms)
        class_size[int(label)] += 1
        class_groups[int(label)].add(group)
        overall.update(terms)
        for term in terms:
            spread[int(label)][term].add(group)
        for norm, form in surface.items():
            surfaces[norm][form] += 1
    mean_size = sum(class_size.values()) / max(len(class_size), 1)
    result: dict[int, list[Keyphrase]] = {}
    for label, counts in per_class.items():
        size = class_size[label]
        # a term used by one answer (or one interview) names a theme only if nothing is shared
        min_support = 2 if size >= 3 and max(counts.values()) >= 2 else 1
        shared = {t for t, g in spread[label].items() if len(g) >= 2}
        need_spread = len(class_groups[label]) >= 2 and bool(shared)
        scored = {
            term: (count / size) * math.log(1.0 + mean_size / overall[term])
            for term, count in counts.items()
            if count >= min_support and (not need_spread or term in shared)
        }
        chosen = _select(scored, top_n, phrase_preference)
        result[label] = [
            Keyphrase(
                _display(term, surfaces), round(scored[term], 4), round(counts[term] / size, 4)
            )
            for term in chosen
        ]
    return result


def _select(scored: dict[str, float], top_n: int, phrase_preference: float) -> list[str]:
    """Greedy pick by score, never two terms sharing a word, phrases preferred when close."""
    ranked = sorted(scored, key=lambda t: (-scored[t], t))
    chosen: list[str] = []
    used: set[str] = set()
    for term in ranked:
        if len(chosen) >= top_n:
            break
        pick = term
        if " " not in term:
            phrases = [
                p
                for p in ranked
                if " " in p
                and term in p.split()
                and scored[p] >= phrase_preference * scored[term]
                and not used.intersection(p.split())
            ]
            if phrases:
                pick = phrases[0]
        words = set(pick.split())
        if words & used:
            continue
        chosen.append(pick)
        used |= words
    return chosen
