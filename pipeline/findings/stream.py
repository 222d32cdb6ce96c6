"""Coded segments to findings, from a corpus read batch by batch or held in memory.

A flow over thousands of interviews cannot hold every segment, code and embedding at once
(issue 4: memory stays bounded), so the builder works in three passes over batches, which the
caller reads from its part files (this module reads nothing); :func:`build_findings` is the
same builder over records already in memory, as one batch. It takes the embeddings the
classifier already used (encode once) and never loads a model.

1. :meth:`FindingsStream.add` per batch: counts per source, informant, function and role; per
   indicator a small row per coded segment (no text, no vector) and the running sum of its
   unit embeddings; for obstacle, effort and supporting-factor segments, which themes cluster,
   their text and float32 embedding (themes need both; ``ThemeConfig.max_clustered`` caps
   what the clustering itself holds).
2. :meth:`FindingsStream.score` per batch, after :meth:`FindingsStream.centroids`: each
   indicator row's cosine to its indicator's centroid, then :meth:`quote_ids` picks the quotes.
3. :meth:`FindingsStream.finish` with the picked segments only: texts for the quotes.

What still grows with the corpus: the per-indicator rows and segment id lists (findings.json
lists every segment id), the informant table, and the theme segments' texts and vectors.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.codebook.model import Codebook, Indicator
from pipeline.findings.build import FindingsOptions, balance_of, themes_and_links
from pipeline.findings.codes import function_score
from pipeline.findings.corpus import SourceNote, check_records, corpus_record, informant_key
from pipeline.findings.indonesian import ROLE_ORDER
from pipeline.findings.judgement import divergence_note
from pipeline.findings.method import describe_method
from pipeline.findings.model import (
    FINDINGS_VERSION,
    GENERATOR,
    CodebookInfo,
    Findings,
    IndicatorFinding,
    Informant,
    Judgement,
    Quote,
    RoleBreakdown,
)
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.findings.quotes import Candidate, Pick, pick_quotes, rescale_centralities
from pipeline.records import Code, Segment, Transcript
from pipeline.themes.cluster import l2_normalise

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Row:
    """One coded segment of an indicator: what judgements and quote choice need of it."""

    segment_id: str
    source_id: str
    informant: str
    role_category: str
    assessment: str | None
    confidence: float
    n_words: int

    def candidate(self) -> Candidate:
        return Candidate(
            self.informant, self.role_category, self.confidence, self.n_words, self.assessment
        )


class FindingsStream:
    """Collects findings batch by batch; see the module docstring for the three passes."""

    def __init__(
        self,
        codebook: Codebook,
        sources: Sequence[SourceNote],
        pseudonyms: Pseudonymiser,
        options: FindingsOptions | None = None,
    ) -> None:
        self.codebook = codebook
        self.sources = list(sources)
        self.pseudonyms = pseudonyms
        self.options = options or FindingsOptions()
        self._source_ids = {n.id for n in self.sources}
        self._per_source: Counter[str] = Counter()
        self._functions: Counter[str] = Counter()
        self._informants: dict[str, Informant] = {}
        self._versions: set[str] = set()
        self._indicator_ids = list(codebook.indicator_ids)
        self._rows: dict[str, list[_Row]] = {i: [] for i in self._indicator_ids}
        self._sums: dict[str, np.ndarray] = {}
        self._membership: list[np.ndarray] = []  # per batch: indicator number per row, -1 none
        self._raw: dict[str, list[np.ndarray]] = defaultdict(list)
        self._centroids: dict[str, np.ndarray] = {}
        self._picks: dict[str, list[Pick]] = {}
        self._theme_segments: dict[str, list[Segment]] = defaultdict(list)
        self._theme_codes: dict[str, list[Code]] = defaultdict(list)
        self._theme_vectors: dict[str, list[np.ndarray]] = defaultdict(list)

    def add(
        self, segments: Sequence[Segment], codes: Sequence[Code], embeddings: np.ndarray
    ) -> None:
        """Pass 1: one batch; ``embeddings[i]`` belongs to ``segments[i]``."""
        by_id = check_records(self._source_ids, segments, codes, embeddings, self.codebook)
        self._versions.update(c.model_version for c in codes)
        unit = l2_normalise(embeddings)
        membership = np.full(len(segments), -1, dtype=np.int32)
        number = {ind: n for n, ind in enumerate(self._indicator_ids)}
        themed = set(self.options.theme_functions)
        for i, segment in enumerate(segments):
            self._per_source[segment.source_id] += 1
            key = informant_key(segment)
            if key not in self._informants:
                self._informants[key] = self._informant(segment)
            code = by_id.get(segment.id)
            if code is None:
                continue
            self._functions[code.function] += 1
            if code.indicator is not None:
                membership[i] = number[code.indicator]
                self._rows[code.indicator].append(
                    _Row(segment.id, segment.source_id, key, segment.role_category,
                         code.assessment, code.indicator_score, len(segment.text.split()))
                )  # fmt: skip
            if code.function in themed and function_score(code) >= self.options.min_function_score:
                self._theme_segments[code.function].append(segment)
                self._theme_codes[code.function].append(code)
                self._theme_vectors[code.function].append(
                    np.asarray(embeddings[i], dtype=np.float32)
                )
        for n, indicator in enumerate(self._indicator_ids):
            rows = unit[membership == n]
            if len(rows):
                start = self._sums.get(indicator, np.zeros(unit.shape[1]))
                # row by row in corpus order, as numpy's mean over the stacked rows adds them
                self._sums[indicator] = np.vstack([start[None, :], rows]).sum(axis=0)
        self._membership.append(membership)

    def _informant(self, segment: Segment) -> Informant:
        person = self.pseudonyms.person(segment.source_id, segment.speaker)
        return Informant(
            key=informant_key(segment),
            source_id=segment.source_id,
            speaker=segment.speaker,
            name=person.names[0] if person and person.names else None,
            role=segment.role,
            role_category=segment.role_category,
            pseudonym=person.label if person else "Informan",
        )

    def centroids(self) -> None:
        """Between passes 1 and 2: each indicator's mean direction."""
        for indicator, total in self._sums.items():
            mean = total / len(self._rows[indicator])
            norm = float(np.linalg.norm(mean))
            self._centroids[indicator] = mean / norm if norm > 0 else mean

    def score(self, batch: int, embeddings: np.ndarray) -> None:
        """Pass 2: the cosines of batch ``batch``'s indicator rows to their centroids."""
        unit = l2_normalise(embeddings)
        membership = self._membership[batch]
        for n, indicator in enumerate(self._indicator_ids):
            mask = membership == n
            if mask.any():
                self._raw[indicator].append(unit[mask] @ self._centroids[indicator])

    def quote_ids(self) -> set[str]:
        """After pass 2: the segments whose texts pass 3 must bring."""
        k = self.options.quotes_per_indicator
        for indicator, rows in self._rows.items():
            if not rows:
                continue
            central = rescale_centralities(np.concatenate(self._raw[indicator]))
            candidates = [r.candidate() for r in rows]
            self._picks[indicator] = pick_quotes(central, candidates, k, self.options.quotes)
        return {self._rows[i][p.index].segment_id for i, ps in self._picks.items() for p in ps}

    def finish(self, quoted: Mapping[str, Segment]) -> Findings:
        """Pass 3: the findings, given the segments :meth:`quote_ids` named."""
        indicators = tuple(self._indicator(ind, quoted) for ind in self.codebook.indicators)
        themes, links = themes_and_links(
            {f: self._theme_segments[f] for f in self.options.theme_functions},
            {f: self._theme_codes[f] for f in self.options.theme_functions},
            {
                f: np.vstack(v) if (v := self._theme_vectors[f]) else None
                for f in self.options.theme_functions
            },
            self.options,
            self.pseudonyms,
        )
        o = self.options
        return Findings(
            version=FINDINGS_VERSION,
            generator=GENERATOR,
            codebook=CodebookInfo(
                self.codebook.id, self.codebook.name, self.codebook.theory, self.codebook.citation
            ),
            corpus=corpus_record(self.sources, self._per_source, self._functions, self._informants),
            indicators=indicators,
            themes=tuple(themes),
            links=tuple(links),
            method=describe_method(
                o.judgement, o.themes, o.links, o.quotes, sorted(self._versions)
            ),
        )

    def _indicator(self, indicator: Indicator, quoted: Mapping[str, Segment]) -> IndicatorFinding:
        ind_id = indicator.id
        rows = self._rows[ind_id]
        per_informant: dict[str, list[str | None]] = defaultdict(list)
        for row in rows:
            per_informant[row.informant].append(row.assessment)
        balances = {key: balance_of(values) for key, values in per_informant.items()}
        policy = self.options.judgement
        judgement = policy.judge(list(balances.values()))
        by_role = []
        for role in ROLE_ORDER:
            role_rows = [r for r in rows if r.role_category == role]
            if not role_rows:
                continue
            keys = sorted({r.informant for r in role_rows})
            score = policy.score([balances[k] for k in keys])
            by_role.append(
                RoleBreakdown(role, len(role_rows), len(keys),
                              balance_of([r.assessment for r in role_rows]),
                              None if score is None else round(score, 4))
            )  # fmt: skip
        note = divergence_note(by_role)
        if note:
            judgement = Judgement(
                judgement.label, judgement.level, judgement.score, f"{judgement.reason} {note}"
            )
        quotes = []
        for pick in self._picks.get(ind_id, []):
            row, segment = rows[pick.index], quoted[rows[pick.index].segment_id]
            quotes.append(
                Quote(segment.id, segment.source_id, segment.source_name, row.informant,
                      segment.start, segment.end, segment.text, row.assessment,
                      round(row.confidence, 4), pick.centrality, pick.score)
            )  # fmt: skip
        return IndicatorFinding(
            id=ind_id,
            label=indicator.label,
            definition=indicator.definition,
            sub_indicators=tuple(indicator.sub_indicators),
            n_segments=len(rows),
            n_informants=len(per_informant),
            n_sources=len({r.source_id for r in rows}),
            balance=balance_of([r.assessment for r in rows]),
            by_role=tuple(by_role),
            judgement=judgement,
            quotes=tuple(quotes),
            segment_ids=tuple(r.segment_id for r in rows),
        )


def build_findings(
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    embeddings: np.ndarray,
    codebook: Codebook,
    *,
    options: FindingsOptions | None = None,
    pseudonyms: Pseudonymiser | None = None,
) -> Findings:
    """Findings for ``codebook`` from coded segments and their cached embeddings, in memory.

    ``embeddings[i]`` must be the embedding of ``segments[i]``; segments without a code are
    counted in the corpus but take part in nothing else. ``pseudonyms`` saves rebuilding the
    pseudonymiser (a scan of every transcript) when the caller already has it.
    """
    pseudonyms = pseudonyms or Pseudonymiser.from_transcripts(transcripts)
    stream = FindingsStream(codebook, [SourceNote.of(t) for t in transcripts], pseudonyms, options)
    stream.add(segments, codes, embeddings)
    stream.centroids()
    stream.score(0, embeddings)
    quoted = stream.quote_ids()
    findings = stream.finish({s.id: s for s in segments if s.id in quoted})
    log.info(
        "findings: %d indicators, %d themes, %d links",
        len(findings.indicators),
        len(findings.themes),
        len(findings.links),
    )
    return findings
