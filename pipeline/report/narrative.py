"""The Indonesian sentences of the report, shared by the Markdown and HTML renderers.

Written the way a findings chapter reports evidence (counts, who said it, the judgement and
why), but always from the numbers in the findings, never as free text: a sentence must be
checkable against the tables.
"""

from __future__ import annotations

from pipeline.findings.indonesian import ASSESSMENT_LABELS, SCOPE_LABELS, decimal, role_label
from pipeline.findings.judgement import INSUFFICIENT
from pipeline.findings.model import Findings, IndicatorFinding, Theme, ThemeLink


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def _lower_first(label: str) -> str:
    """Mid-sentence form of a label; acronyms ("DTKS ...") keep their capitals."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() or not label else label[0].lower() + label[1:]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]


def corpus_sentence(findings: Findings) -> str:
    corpus = findings.corpus
    roles = _join([f"{c.n} {role_label(c.key).lower()}" for c in corpus.roles])
    return (
        f"Temuan disusun dari {corpus.n_sources} transkrip wawancara dengan "
        f"{corpus.n_informants} informan{f' ({roles})' if roles else ''}, yang dipotong menjadi "
        f"{corpus.n_segments} segmen dan dikodekan dengan kodebuku "
        f"«{findings.codebook.name}» ({findings.codebook.theory})."
    )


def indicator_sentences(item: IndicatorFinding) -> list[str]:
    if item.n_segments == 0:
        return [
            f"Tidak ada segmen yang dikodekan ke indikator {item.label}; indikator ini belum "
            "dapat dinilai dari wawancara yang ada."
        ]
    b = item.balance
    parts = [
        f"{b.positive} {ASSESSMENT_LABELS['positive']}",
        f"{b.negative} {ASSESSMENT_LABELS['negative']}",
        f"{b.mixed} {ASSESSMENT_LABELS['mixed']}",
    ]
    sentences = [
        f"Indikator {item.label} dibahas dalam {item.n_segments} segmen oleh "
        f"{item.n_informants} informan dari {item.n_sources} wawancara. Dari segmen itu, "
        f"{_join(parts)}"
        + (
            f", sedangkan {b.neutral} bersifat netral (menggambarkan tanpa menilai)."
            if b.neutral
            else "."
        )
    ]
    if item.by_role:
        roles = [
            f"{role_label(r.role_category).lower()} {r.n_segments} segmen"
            + (f" (skor {decimal(r.score)})" if r.score is not None else "")
            for r in item.by_role
        ]
        sentences.append(f"Menurut peran informan: {_join(roles)}.")
    sentences.append(item.judgement.reason)
    return sentences


def theme_sentences(theme: Theme) -> list[str]:
    scope = f" ({SCOPE_LABELS[theme.scope]})" if theme.scope else ""
    sentences = [
        f"Tema ini{scope} muncul dalam {theme.n_segments} segmen yang disampaikan "
        f"{theme.n_informants} informan dari {theme.n_sources} wawancara."
    ]
    if theme.function == "obstacle" and theme.scope_share is not None:
        internal, external = theme.scope_share, 1.0 - theme.scope_share
        if theme.scope == "external":
            sentences.append(
                f"{_pct(external)} segmennya diklasifikasikan sebagai hambatan eksternal."
            )
        elif theme.scope == "internal":
            sentences.append(
                f"{_pct(internal)} segmennya diklasifikasikan sebagai hambatan internal."
            )
        else:
            sentences.append(
                f"Segmennya terbagi: {_pct(internal)} internal dan {_pct(external)} eksternal."
            )
    if theme.keyphrases:
        sentences.append("Frasa kunci: " + ", ".join(f"«{k.text}»" for k in theme.keyphrases) + ".")
    if theme.category:
        sentences.append(
            f"Dipetakan ke kategori «{theme.category.label}» karena "
            f"{_pct(theme.category.share)} segmennya memuat kata "
            + ", ".join(f"«{w}»" for w in theme.category.keywords)
            + "."
        )
    return sentences


def link_sentence(link: ThemeLink, findings: Findings) -> str:
    obstacle = findings.theme(link.obstacle_theme)
    effort = findings.theme(link.effort_theme)
    reasons = [f"kedekatan makna {decimal(link.meaning)}"]
    # "; " between reasons: the co-occurrence reason has a comma of its own
    if link.shared_sources:
        reasons.append(
            f"muncul bersama dalam {link.shared_sources} dari {effort.n_sources} wawancara, "
            f"sedangkan hambatan ini ada di {_pct(link.baseline)} wawancara"
        )
    if link.taxonomy_match:
        reasons.append("sesuai taksonomi")
    return (
        f"Menjawab {obstacle.id} «{obstacle.label}» (skor kaitan {decimal(link.score)}: "
        f"{'; '.join(reasons)})."
    )


def conclusion_sentences(findings: Findings) -> list[str]:
    groups: dict[str, list[str]] = {}
    for item in findings.indicators:
        groups.setdefault(item.judgement.label, []).append(item.label)
    order = sorted(
        groups,
        key=lambda label: (
            -next(i.judgement.level for i in findings.indicators if i.judgement.label == label)
        ),
    )
    sentences = [
        f"Indikator yang belum dapat dinilai karena buktinya kurang: {_join(groups[label])}."
        if label == INSUFFICIENT
        else f"Indikator yang dinilai {label}: {_join(groups[label])}."
        for label in order
    ]
    obstacles = findings.themes_for("obstacle")
    if obstacles:
        top = sorted(obstacles, key=lambda t: -t.n_segments)[:3]
        sentences.append(
            "Hambatan yang paling sering disebut: "
            + _join([f"{_lower_first(t.label)} ({t.n_informants} informan)" for t in top])
            + "."
        )
    unanswered = [
        t for t in obstacles if not any(link.obstacle_theme == t.id for link in findings.links)
    ]
    if obstacles and unanswered:
        sentences.append(
            "Hambatan yang belum tampak dijawab oleh upaya dalam wawancara: "
            + _join([f"{t.id} {_lower_first(t.label)}" for t in unanswered])
            + "."
        )
    return sentences


def source_name(findings: Findings, source_id: str) -> str:
    return next((s.name for s in findings.corpus.sources if s.id == source_id), source_id)
