"""The newsroom workflow in a real browser (Debian Chromium driven by Playwright; never a browser download):
log in, upload the sample corpus, wait for the job, filter circular claims, open a claim, correct a
statement's stance, see the grade change, download STIX. A screenshot of each step is saved
(``$CLAIMGRAPH_SCREENSHOTS`` or the test's temporary folder)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, add_users, open_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    import uvicorn

    from claimgraph.server.app import create_app
    from claimgraph.server.backend import Backend

    url = f"sqlite:///{tmp_path / 'ws.db'}"
    ws = open_workspace(url)
    add_users(ws)
    app = create_app(Backend(ws), upload_dir=tmp_path / "uploads", worker=True)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=60)
        ws.close()


@pytest.fixture
def page() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is missing (/usr/bin/chromium): apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extra)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            yield context.new_page()
        finally:
            browser.close()


def _admiralty(page: Any) -> str:
    text: str = page.locator("#assessment .admiralty").inner_text()
    return text


def test_newsroom_workflow_in_the_browser(server: str, page: Any, tmp_path: Path) -> None:
    from claimgraph.data import sample_corpus_path

    shots = Path(os.environ.get("CLAIMGRAPH_SCREENSHOTS") or tmp_path / "screens")
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. log in
    page.goto(f"{server}/claims")
    assert "/login" in page.url
    page.fill("input[name=name]", "analyst-user")
    page.fill("input[name=password]", PASSWORD)
    page.screenshot(path=str(shots / "1-login.png"))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/claims$"))

    # 2. upload the sample corpus, wait for the job (the page updates itself)
    page.goto(f"{server}/add")
    files = sorted(str(p) for p in Path(sample_corpus_path()).iterdir() if p.is_file())
    assert len(files) >= 5
    page.set_input_files("input[name=files]", files)
    page.screenshot(path=str(shots / "2-upload.png"))
    page.click("form[action='/add/upload'] button[type=submit]")
    page.wait_for_url(re.compile(r"/jobs/\w+"))
    # (a selector, not a JS expression: the page's CSP forbids eval, which Playwright's wait_for_function needs)
    page.wait_for_selector("section.job[data-done=true]", state="attached", timeout=600_000)
    status = page.locator("#job-status").inner_text()
    page.screenshot(path=str(shots / "3-job-done.png"), full_page=True)
    assert status == "done", page.locator("#job-message").inner_text()

    # 3. filter to circular claims
    page.goto(f"{server}/claims")
    page.check("input[name=circular]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"circular=1"))
    rows = page.locator("table.claims-list tbody tr a")
    assert rows.count() >= 1, "the sample corpus has a circular claim"
    assert page.locator("table.claims-list .flag-circ").count() == rows.count()
    page.screenshot(path=str(shots / "4-circular-claims.png"), full_page=True)

    # 4. open a claim
    rows.first.click()
    page.wait_for_url(re.compile(r"/claims/[\w-]+$"))
    before = _admiralty(page)
    page.screenshot(path=str(shots / "5-claim.png"), full_page=True)

    # 5. correct a disputing statement's stance to "supports" (the analyst read the full quote), until the
    #    grade changes: each correction re-grades the claim (a denial by the accused party does not count,
    #    a third party's dispute does; so the disputes are what move this grade)
    changed = False
    for _ in range(10):
        forms = page.locator("form.correct-stance")
        stances = [forms.nth(i).locator("select").input_value() for i in range(forms.count())]
        index = next((i for i, v in enumerate(stances) if v in ("disputes", "denies")), None)
        value = "supports"
        if index is None:
            index, value = next(
                ((i, "disputes") for i, v in enumerate(stances) if v in ("supports", "reports")), (None, "")
            )
        if index is None:
            break
        form = forms.nth(index)
        form.locator("select").select_option(value)
        form.locator("input[name=note]").fill("read against the full interview")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
        if _admiralty(page) != before:
            changed = True
            break
    after = _admiralty(page)
    # the page opens at the corrected statement
    page.screenshot(path=str(shots / "6a-correction-recorded.png"))
    assert page.locator("ul.corrections li", has_text="analyst-user").count() >= 1
    page.locator("#assessment").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "6b-grade-changed.png"))
    assert changed, f"the grade stayed {before}"
    assert before != after

    # 6. download STIX
    page.goto(f"{server}/downloads")
    page.screenshot(path=str(shots / "7-downloads.png"))
    with page.expect_download() as info:
        page.click("#dl-stix")
    target = tmp_path / "claimgraph.stix.json"
    info.value.save_as(str(target))
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert bundle["type"] == "bundle" and bundle["objects"]
    assert not errors, errors
