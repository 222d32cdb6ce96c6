"""How people appear in a report: by role, by pseudonym or (only on request) by name.

A findings chapter cites "Kepala Dinas" or "Informan C", almost never a name, and quotes
often mention colleagues by name; both are handled here so the Markdown and HTML reports
cannot disagree about who said what.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pipeline.errors import Errors, TelaahError
from pipeline.findings.indonesian import role_label
from pipeline.findings.model import Findings, Informant, Quote
from pipeline.findings.pseudonymise import Pseudonymiser

SpeakerMode = Literal["roles", "pseudonyms", "names"]
SPEAKER_MODES: tuple[str, ...] = ("roles", "pseudonyms", "names")


@dataclass(frozen=True)
class ReportOptions:
    """``speakers``: how informants are shown; ``pseudonymise_quotes``: mask names in quotes."""

    speakers: SpeakerMode = "roles"
    pseudonymise_quotes: bool = True
    title: str | None = None
    show_offsets: bool = True

    def check(self) -> ReportOptions:
        if self.speakers not in SPEAKER_MODES:
            raise TelaahError.make(
                Errors.E608, option="speakers", got=self.speakers, expected=SPEAKER_MODES
            )
        return self


class People:
    """Display names and quote text for one report."""

    def __init__(
        self,
        findings: Findings,
        options: ReportOptions,
        pseudonymiser: Pseudonymiser | None = None,
    ) -> None:
        self.options = options.check()
        self._informants = {i.key: i for i in findings.corpus.informants}
        self._pseudonymiser = pseudonymiser or Pseudonymiser.from_findings(
            findings.corpus.informants
        )
        roles = Counter(self._role(i) for i in findings.corpus.informants)
        self._ambiguous = {role for role, n in roles.items() if n > 1}

    @staticmethod
    def _role(informant: Informant) -> str:
        return informant.role or role_label(informant.role_category)

    def speaker(self, key: str) -> str:
        informant = self._informants.get(key)
        if informant is None:
            return "Informan"
        role = self._role(informant)
        mode = self.options.speakers
        if mode == "names" and informant.name:
            return f"{informant.name} ({role})"
        if mode in ("pseudonyms", "names"):
            return f"{informant.pseudonym} ({role})"
        # roles: two informants with the same role are told apart by their pseudonym
        return f"{role}, {informant.pseudonym}" if role in self._ambiguous else role

    def quote_text(self, quote: Quote) -> str:
        return self.text(" ".join(quote.text.split()))

    def text(self, text: str) -> str:
        """Any text taken from the interviews (quotes, theme labels, keyphrases)."""
        return self._pseudonymiser.apply(text) if self.options.pseudonymise_quotes else text

    def location(self, quote: Quote) -> str:
        if not self.options.show_offsets:
            return quote.source_name
        return f"{quote.source_name}, karakter {quote.start}–{quote.end}"
