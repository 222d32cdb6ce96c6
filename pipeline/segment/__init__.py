"""Segmentation: transcripts to coding units (:class:`~pipeline.records.Segment`)."""

from pipeline.segment.grouping import GroupingConfig
from pipeline.segment.normalize import normalize_colloquial
from pipeline.segment.segmenter import (
    SEGMENTER_VERSION,
    Segmenter,
    SpacySegmenter,
    segment_transcripts,
)

__all__ = [
    "SEGMENTER_VERSION",
    "GroupingConfig",
    "Segmenter",
    "SpacySegmenter",
    "normalize_colloquial",
    "segment_transcripts",
]
