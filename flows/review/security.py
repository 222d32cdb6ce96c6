"""The review app's gatekeeping, kept apart from routing so each rule is testable on its own.

Threats on a coder's laptop: another local user or a web page in the same browser reaching the
server. So: a random per-launch token on every request (query for the first page, a custom
header for the API, which a cross-site form or image cannot send), same-origin checks on
writes, a Host check against DNS rebinding, a body-size cap, and headers that forbid framing,
inline script and referrer leaks of the token.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

TOKEN_HEADER = "X-Telaah-Token"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class Guard:
    """Decides whether one request may proceed; ``reason`` is for the log, never the client."""

    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    max_body: int = 20 * 1024 * 1024

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def check(
        self, method: str, headers: Mapping[str, str], query_token: str | None
    ) -> tuple[int, str] | None:
        """``None`` when allowed, else (HTTP status, reason)."""
        host = headers.get("Host", "")
        if host not in self.allowed_hosts():
            return 403, f"unexpected Host {host!r}"
        presented = headers.get(TOKEN_HEADER) or query_token or ""
        if not hmac.compare_digest(presented.encode(), self.token.encode()):
            return 403, "missing or wrong token"
        if method != "GET":
            origin = headers.get("Origin")
            if origin is not None and origin.removeprefix("http://") not in self.allowed_hosts():
                return 403, f"cross-site request from {origin!r}"
            if headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
                return 403, "cross-site fetch"
            if not headers.get(TOKEN_HEADER):
                return 403, "writes need the token header"
            length = int(headers.get("Content-Length") or 0)
            if length > self.max_body:
                return 413, f"body of {length} bytes over {self.max_body}"
        return None
