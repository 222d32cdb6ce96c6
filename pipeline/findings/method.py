"""The method notes of a report, written from the settings actually used.

Examiners ask "how were the themes found, how was the judgement made?"; the answer must match
the run, so it is generated from the same configuration objects rather than written once by
hand and left to drift.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.findings.indonesian import decimal
from pipeline.findings.judgement import JudgementPolicy
from pipeline.findings.model import Method
from pipeline.findings.quotes import QuoteConfig
from pipeline.themes.cluster import AutoKClustering
from pipeline.themes.extract import ThemeConfig
from pipeline.themes.links import LinkConfig
from pipeline.themes.taxonomy import KeywordMatcher


def _themes_text(config: ThemeConfig) -> str:
    clusterer = config.clusterer()
    if isinstance(clusterer, AutoKClustering):
        grouping = (
            "dikelompokkan dengan klaster hierarkis Ward atas embedding yang sama dengan yang "
            "dipakai klasifikasi, setelah dikurangi rata-rata kelompoknya; jumlah tema dipilih "
            f"otomatis antara {clusterer.k_min} dan {clusterer.k_max} (paling banyak akar "
            "jumlah segmen) dengan skor silhouette kosinus tertinggi, di antara pembagian yang "
            f"setiap temanya memuat sedikitnya {clusterer.min_size} segmen dan tidak ada tema "
            f"yang memuat lebih dari {round(clusterer.max_share * 100)}% segmen (untuk kelompok "
            f"≥ {clusterer.large_group} segmen); bila tidak ada pemisahan yang jelas "
            f"(silhouette < {decimal(clusterer.min_silhouette)}) semua segmen menjadi satu tema"
        )
    else:
        grouping = f"dikelompokkan dengan {type(clusterer).__name__}"
    return (
        f"Segmen hambatan, upaya dan faktor pendukung {grouping}. Bila satu fungsi memuat lebih "
        f"dari {config.max_clustered} segmen, pohon klaster dibangun dari {config.max_clustered} "
        "segmen yang diambil merata sepanjang korpus dan segmen lainnya dimasukkan ke tema "
        "dengan pusat terdekat. Setiap tema diberi frasa kunci "
        "dengan TF-IDF berbasis kelas atas teks yang telah dinormalkan (kata henti bahasa "
        "Indonesia, kata pengisi dan kata wawancara dibuang). Hambatan dinyatakan internal atau "
        f"eksternal bila sedikitnya {round(config.scope_majority * 100)}% segmennya "
        "diklasifikasikan demikian; bila tidak, mengikuti kategori taksonominya."
    )


def _taxonomy_text(config: ThemeConfig) -> str:
    matcher = config.matcher
    share = (
        f"sedikitnya {round(matcher.min_share * 100)}% segmennya"
        if isinstance(matcher, KeywordMatcher)
        else "cukup banyak segmennya"
    )
    return (
        f"Tema dipetakan ke kategori taksonomi '{config.taxonomy.id}' versi "
        f"{config.taxonomy.version} bila {share} memuat kata kunci kategori itu; kata yang "
        "cocok dicantumkan sebagai bukti. Bila dua kategori sama kuat, tema dibiarkan tanpa "
        "kategori."
    )


def _links_text(config: LinkConfig) -> str:
    return (
        "Upaya dikaitkan dengan hambatan yang dijawabnya menurut skor = "
        f"{decimal(config.w_meaning, 1)} × kedekatan makna (kosinus antarpusat tema, diskalakan "
        f"0–1) + {decimal(config.w_interview, 1)} × kelebihan kemunculan bersama (proporsi "
        "wawancara upaya yang juga memuat hambatan itu, di atas proporsi semua wawancara yang "
        "memuat hambatan itu, diskalakan 0–1 dan dikalikan k/(k+1) untuk upaya yang muncul di "
        f"k wawancara) + {decimal(config.w_taxonomy, 1)} × kecocokan taksonomi. Kaitan dengan "
        f"skor ≥ {decimal(config.threshold)} ditampilkan (paling banyak {config.max_links} per "
        "upaya), beserta pasangan segmen dari wawancara yang sama sebagai bukti."
    )


def _quotes_text(config: QuoteConfig) -> str:
    return (
        "Kutipan dipilih menurut keterwakilan (kedekatan dengan pusat kelompok) × keyakinan "
        f"model, dengan panjang ideal {config.min_words}–{config.max_words} kata; kutipan "
        "berikutnya diutamakan dari informan dan peran yang berbeda"
        + (
            ", dan bila bukti terbelah, sisi positif maupun negatif sama-sama ditampilkan."
            if config.show_both_sides
            else "."
        )
    )


def describe_method(
    judgement: JudgementPolicy,
    themes: ThemeConfig,
    links: LinkConfig,
    quotes: QuoteConfig,
    model_versions: Sequence[str],
) -> Method:
    return Method(
        judgement_rule=judgement.explain(),
        themes=_themes_text(themes),
        links=_links_text(links),
        quotes=_quotes_text(quotes),
        taxonomy=_taxonomy_text(themes),
        model_versions=tuple(sorted(set(model_versions))),
    )
