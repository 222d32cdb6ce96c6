"""Ingest: researchers' interview files (bytes) to :class:`~pipeline.records.Transcript` records."""

from pipeline.ingest.dispatch import MAX_BYTES, SUPPORTED, read_transcript, source_info

__all__ = ["MAX_BYTES", "SUPPORTED", "read_transcript", "source_info"]
