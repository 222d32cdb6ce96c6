"""End-to-end: the review page in headless Chromium (Debian's chromium driven by Playwright).

Skipped only when the chromium binary is genuinely missing; ``make setup``
installs chromium when run as root, so CI runs these.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest

from flows.review.learn import reviewed_examples
from models.codebooks import load_codebook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (make setup installs it)"
)
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # not importorskip: with chromium present, a missing Playwright is a setup error to see
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server) -> Iterator[Any]:
    # bypass_csp: lets wait_for_function evaluate strings, and makes the <script> test check the
    # page's escaping itself rather than the CSP that would also block an injected handler
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.goto(server.url)
    opened.wait_for_selector("#context .turn.current")
    yield opened
    context.close()
    assert not errors, errors


def reviewed(page) -> str:
    return page.locator('#progress [data-key="ditinjau"] b').inner_text()


def current_id(app) -> str:
    return app.store.queue("ani", app.filters({}))[0]["id"]


def wait_remaining(page, n: int) -> None:
    """The next segment (and its change form) is on screen once the remaining count updates."""
    page.wait_for_function(f"document.querySelector('#remaining').textContent === '{n} tersisa'")


def test_accept_change_undo_with_keyboard_and_mouse(page, app):
    first = current_id(app)
    page.keyboard.press("a")
    wait_remaining(page, 19)
    assert reviewed(page) == "1"
    assert app.store.history()[-1]["action"] == "accept"
    assert app.store.history()[-1]["segment_id"] == first
    second = current_id(app)
    page.select_option("#c-indicator", "komunikasi")
    page.select_option("#c-assessment", "negative")
    page.click("#save-change")
    wait_remaining(page, 18)
    assert page.locator('#progress [data-key="diubah"] b').inner_text() == "1"
    last = app.store.history()[-1]
    assert (last["segment_id"], last["action"], last["indicator"], last["assessment"]) == (
        second,
        "change",
        "komunikasi",
        "negative",
    )
    page.keyboard.press("3")  # third indicator of the codebook, saved as a change
    wait_remaining(page, 17)
    assert app.store.history()[-1]["indicator"] == app.indicators[2]
    page.keyboard.press("u")
    wait_remaining(page, 18)
    assert page.locator('#progress [data-key="diubah"] b').inner_text() == "1"
    page.click("#undo")
    wait_remaining(page, 19)
    assert app.store.progress("ani")["reviewed"] == 1 and reviewed(page) == "1"
    page.keyboard.press("r")
    wait_remaining(page, 18)
    assert page.locator('#progress [data-key="ditolak"] b').inner_text() == "1"


def test_filter_by_function_and_indicator(page, app):
    page.select_option("#f-function", "obstacle")
    page.wait_for_function("document.querySelector('#suggestion').textContent.includes('hambatan')")
    expected = app.store.count_remaining("ani", app.filters({"function": "obstacle"}))
    # The count is refreshed by its own request; wait for it rather than racing it.
    page.wait_for_function(
        f"document.querySelector('#remaining').textContent.startsWith('{expected} ')"
    )
    assert page.locator("#remaining").inner_text().startswith(f"{expected} ")
    page.keyboard.press("a")
    page.wait_for_function(
        "document.querySelector('#progress [data-key=\"ditinjau\"] b').textContent === '1'"
    )
    assert app.store.history()[-1]["function"] == "obstacle"
    page.click("#f-clear")
    page.select_option("#f-indicator", "kualitas_kerja")
    page.wait_for_function(
        "document.querySelector('#suggestion').textContent.includes('kualitas_kerja')"
    )
    page.select_option("#f-indicator", "inisiatif")
    page.select_option("#f-function", "effort")  # no effort is coded inisiatif in this corpus
    page.wait_for_function("!document.querySelector('#empty').hidden")
    assert page.locator("#accept").is_disabled()
    assert not page.locator("#change").is_visible()  # no stale change form for a gone segment


def test_a_slow_answer_to_an_older_filter_never_replaces_the_newer_one(page, app, monkeypatch):
    """Filter changes fire requests faster than they return: the screen follows the last one."""
    queue = app.store.queue

    def slow_for_inisiatif_alone(coder: str, filters: Any, *args: Any, **kwargs: Any) -> Any:
        if filters.indicator == "inisiatif" and filters.function is None:
            time.sleep(1.5)  # the server answers the older filter last
        return queue(coder, filters, *args, **kwargs)

    monkeypatch.setattr(app.store, "queue", slow_for_inisiatif_alone)
    page.select_option("#f-indicator", "inisiatif")
    page.select_option("#f-function", "effort")  # no effort is coded inisiatif in this corpus
    page.wait_for_function("!document.querySelector('#empty').hidden")
    page.wait_for_timeout(2500)  # until well after the older filter's answer has arrived
    assert page.locator("#empty").is_visible()
    assert page.locator("#accept").is_disabled()


def test_retrain_from_the_app(page, app):
    codebook = load_codebook("mitchell")
    calls: list[int] = []

    def job() -> dict[str, Any]:
        calls.append(len(reviewed_examples(app.store, codebook)))
        return {"version": "mitchell/v7", "n_reviewed": calls[-1], "promoted": True}

    app.retrain_job = job
    page.reload()
    page.wait_for_selector("#context .turn.current")
    page.keyboard.press("a")
    page.wait_for_function(
        "document.querySelector('#progress [data-key=\"ditinjau\"] b').textContent === '1'"
    )
    page.click("#retrain")
    page.wait_for_function(
        "document.querySelector('#retrain-status').textContent.includes('mitchell/v7')"
    )
    assert calls == [1]
    assert "1 segmen" in page.locator("#retrain-status").inner_text()


def test_transcript_with_script_renders_as_text(page, app):
    script_id = next(
        s["id"]
        for s in app.store.queue("ani", app.filters({}), limit=100)
        if "<script>" in s["text"]
    )
    while current_id(app) != script_id:
        page.keyboard.press("a")
        page.wait_for_function(
            f"document.querySelector('#progress [data-key=\"ditinjau\"] b').textContent === '{app.store.progress('ani')['reviewed']}'"
        )
    page.wait_for_function(
        "document.querySelector('mark') && document.querySelector('mark').textContent.includes('<script>')"
    )
    mark = page.locator("#context mark")
    assert "<script>window.pwned = 1</script>" in mark.inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("#context script, #context img, #context b").count() == 0


def test_page_without_token_is_refused(browser, server):
    context = browser.new_context()
    opened = context.new_page()
    response = opened.goto(server.url.split("?")[0])
    assert response is not None and response.status == 403
    assert "Telaah" not in opened.content()
    context.close()
