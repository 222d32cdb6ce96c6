"""Themes: obstacle, effort and supporting-factor segments grouped, named and linked."""

from pipeline.themes.categories import DEFAULT_TAXONOMY
from pipeline.themes.cluster import AutoKClustering, ThemeClusterer
from pipeline.themes.extract import ExtractedTheme, ThemeConfig, extract_themes
from pipeline.themes.keyphrases import Keyphrase, class_tfidf
from pipeline.themes.links import LinkConfig, LinkEvidence, ThemeLink, ThemeMembers, link_efforts
from pipeline.themes.taxonomy import Category, CategoryMatch, KeywordMatcher, Taxonomy

__all__ = [
    "DEFAULT_TAXONOMY",
    "AutoKClustering",
    "Category",
    "CategoryMatch",
    "ExtractedTheme",
    "Keyphrase",
    "KeywordMatcher",
    "LinkConfig",
    "LinkEvidence",
    "Taxonomy",
    "ThemeClusterer",
    "ThemeConfig",
    "ThemeLink",
    "ThemeMembers",
    "class_tfidf",
    "extract_themes",
    "link_efforts",
]
