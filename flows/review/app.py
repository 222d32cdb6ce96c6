"""``telaah review``: the local review web app (stdlib HTTP server, one small router).

The server is deliberately tiny: a threaded ``http.server`` bound to 127.0.0.1, JSON in and
out, one HTML page with one script and one stylesheet, no build step. Every request passes the
:class:`~flows.review.security.Guard` first. Retraining runs in a background thread so the
coder can keep reviewing; its status is polled.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flows.review.corpus import context
from flows.review.security import SECURITY_HEADERS, Guard
from flows.review.storage import Filters, ReviewStore
from pipeline.errors import Errors, TelaahError
from pipeline.review.kappa import kappa_report

log = logging.getLogger(__name__)

STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
FAVICON = (  # inline so packaging needs no *.svg rule
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" '
    b'rx="3" fill="#1f6feb"/><path d="M4 4h8v2H9v7H7V6H4z" fill="#fff"/></svg>'
)
FUNCTIONS = ("indicator", "obstacle", "effort", "supporting_factor", "other")
SCOPES = ("internal", "external")
ASSESSMENTS = ("positive", "negative", "mixed", "neutral")


@dataclass
class ReviewApp:
    """State shared by request handlers: the store, the coder, the retrain job."""

    store: ReviewStore
    coder: str
    indicators: list[str]
    retrain_job: Callable[[], dict[str, Any]] | None = None
    retrain_state: dict[str, Any] = field(default_factory=lambda: {"status": "idle"})
    _retrain_lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- API handlers: each takes (query, body) and returns a JSON-able dict
    def filters(self, query: dict[str, str]) -> Filters:
        def number(key: str) -> float | None:
            value = query.get(key)
            return float(value) if value not in (None, "") else None

        return Filters(
            indicator=query.get("indicator") or None,
            function=query.get("function") or None,
            source_id=query.get("source") or None,
            min_confidence=number("min_conf"),
            max_confidence=number("max_conf"),
        )

    def state(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        return {
            "coder": self.coder,
            "codebook": self.store.get_meta("codebook"),
            "progress": self.store.progress(self.coder),
            "facets": self.store.facets(),
            "choices": {
                "indicators": self.indicators,
                "functions": FUNCTIONS,
                "scopes": SCOPES,
                "assessments": ASSESSMENTS,
            },
            "retrain": dict(self.retrain_state),
            "can_retrain": self.retrain_job is not None,
        }

    def next(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        filters = self.filters(query)
        offset = max(0, int(query.get("offset") or 0))
        found = self.store.queue(self.coder, filters, limit=1, offset=offset)
        segment = found[0] if found else None
        return {
            "segment": segment,
            "context": context(self.store, segment) if segment else None,
            "remaining": self.store.count_remaining(self.coder, filters),
            "progress": self.store.progress(self.coder),
        }

    def review(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        after = {k: body.get(k) for k in ("indicator", "function", "scope", "assessment")}
        self.store.record(self.coder, str(body.get("segment_id")), str(body.get("action")), after)
        return {"progress": self.store.progress(self.coder)}

    def undo(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        return {
            "segment_id": self.store.undo(self.coder),
            "progress": self.store.progress(self.coder),
        }

    def agreement(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        return agreement_report(self.store, self.indicators)

    def export(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        return {"reviews": self.store.history()}

    def start_retrain(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        if self.retrain_job is None:
            raise TelaahError.make(Errors.E808, started="(retraining is not available here)")
        if not self._retrain_lock.acquire(blocking=False):
            raise TelaahError.make(Errors.E808, started=self.retrain_state.get("started"))
        self.retrain_state = {"status": "running", "started": datetime.now(UTC).isoformat()}
        job = self.retrain_job

        def run() -> None:
            try:
                result = job()
                self.retrain_state = {**self.retrain_state, "status": "done", "result": result}
            except Exception as exc:  # reported to the page, not swallowed
                log.exception("retrain failed")
                self.retrain_state = {**self.retrain_state, "status": "failed", "error": str(exc)}
            finally:
                self._retrain_lock.release()

        threading.Thread(target=run, name="telaah-retrain", daemon=True).start()
        return dict(self.retrain_state)

    def retrain_status(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.retrain_state)

    def routes(
        self,
    ) -> dict[tuple[str, str], Callable[[dict[str, str], dict[str, Any]], dict[str, Any]]]:
        return {
            ("GET", "/api/state"): self.state,
            ("GET", "/api/next"): self.next,
            ("POST", "/api/review"): self.review,
            ("POST", "/api/undo"): self.undo,
            ("GET", "/api/agreement"): self.agreement,
            ("GET", "/api/export"): self.export,
            ("POST", "/api/retrain"): self.start_retrain,
            ("GET", "/api/retrain"): self.retrain_status,
        }


def agreement_report(store: ReviewStore, indicators: list[str]) -> dict[str, Any]:
    """Kappa between every pair of coders and between each coder and the model."""
    by_coder: dict[str, dict[str, str | None]] = {}
    model: dict[str, str | None] = {}
    for row in store.current_decisions():
        by_coder.setdefault(row["coder"], {})[row["segment_id"]] = row["indicator"]
        model[row["segment_id"]] = row["model_indicator"]
    coders = sorted(by_coder)
    pairs = [
        {"a": a, "b": b, **kappa_report(by_coder[a], by_coder[b], indicators)}
        for i, a in enumerate(coders)
        for b in coders[i + 1 :]
    ]
    versus_model = [
        {"a": c, "b": "model", **kappa_report(by_coder[c], model, indicators)} for c in coders
    ]
    return {"coders": coders, "pairs": pairs, "model": versus_model}


def _page(token: str) -> bytes:
    html = resources.files("flows.review").joinpath("static/index.html").read_text(encoding="utf-8")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", token):  # token goes into a URL and an attribute
        raise ValueError("token must be URL-safe")
    return html.replace("{{token}}", token).encode()


def make_handler(app: ReviewApp, guard: Guard) -> type[BaseHTTPRequestHandler]:
    routes = app.routes()

    class Handler(BaseHTTPRequestHandler):
        server_version = "telaah-review"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s %s", self.address_string(), format % args)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in SECURITY_HEADERS.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: Any) -> None:
            self._send(
                status,
                json.dumps(payload, ensure_ascii=False).encode(),
                "application/json; charset=utf-8",
            )

        def _handle(self, method: str) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            refused = guard.check(method, dict(self.headers.items()), query.get("token"))
            if refused:
                log.warning("refused %s %s: %s", method, url.path, refused[1])
                self._json(refused[0], {"error": "refused"})
                return
            if method == "GET" and url.path == "/":
                self._send(200, _page(guard.token), "text/html; charset=utf-8")
                return
            if method == "GET" and url.path.startswith("/static/"):
                name = url.path.removeprefix("/static/")
                if name == "favicon.svg":
                    self._send(200, FAVICON, "image/svg+xml")
                    return
                if name not in STATIC:
                    self._json(404, {"error": "not found"})
                    return
                data = resources.files("flows.review").joinpath(f"static/{name}").read_bytes()
                self._send(200, data, f"{STATIC[name]}; charset=utf-8")
                return
            handler = routes.get((method, url.path))
            if handler is None:
                self._json(404, {"error": "not found"})
                return
            body: dict[str, Any] = {}
            if method == "POST":
                if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                    self._json(415, {"error": "expected application/json"})
                    return
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._json(400, {"error": "invalid JSON"})
                    return
            try:
                self._json(200, handler(query, body))
            except TelaahError as exc:
                self._json(409 if exc.code == Errors.E808 else 400, {"error": str(exc)})
            except ValueError as exc:
                self._json(400, {"error": str(exc)})

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


class ReviewServer:
    """The bound server; ``url`` carries the token. ``start()`` serves in a thread (tests)."""

    def __init__(self, app: ReviewApp, port: int = 0, max_body: int = 20 * 1024 * 1024) -> None:
        self.guard = Guard(port=0, max_body=max_body)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(app, self.guard))
        self.httpd.daemon_threads = True
        self.guard.port = self.httpd.server_address[1]
        self.app = app
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.guard.token}"

    def start(self) -> ReviewServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def open_app(
    out_dir: Path, coder: str, db: Path | None = None, *, indicators: list[str] | None = None
) -> ReviewApp:
    """Open (and on first use fill) the review database of a coded corpus."""
    from flows.review.corpus import load_corpus

    store = ReviewStore(db or Path(out_dir) / "review" / "review.sqlite")
    load_corpus(store, Path(out_dir))
    if indicators is None:
        indicators = codebook_indicators(store)
    return ReviewApp(store=store, coder=coder, indicators=indicators)


def codebook_indicators(store: ReviewStore) -> list[str]:
    from models.codebooks import load_codebook

    codebook_id = store.get_meta("codebook") or ""
    try:
        return list(load_codebook(codebook_id).indicator_ids)
    except TelaahError:
        return list(store.facets()["indicators"])
