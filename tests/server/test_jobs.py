"""Adding documents in the browser: an upload becomes an analysis job, its progress is on its page, and the
pages show the new analysis when it is done."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import add_users, csrf_of, login, open_workspace

ARTICLE = """<html><head><title>Karsholm terminal to close, port chief says</title></head><body><article>
<h1>Karsholm terminal to close, port chief says</h1>
<p>The Karsholm container terminal will close in May, port authority chief Tomas Brenley said on Monday.</p>
<p>"We have no choice after the storm damage," Brenley told reporters.</p>
<p>The dockworkers union disputed the claim, saying the terminal could reopen within weeks.</p>
</article></body></html>"""


@pytest.mark.slow
def test_upload_runs_an_analysis_job(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from claimgraph.server.app import create_app
    from claimgraph.server.backend import Backend

    url = f"sqlite:///{tmp_path / 'ws.db'}"
    ws = open_workspace(url)
    add_users(ws)
    app = create_app(Backend(ws), upload_dir=tmp_path / "uploads", worker=True)
    with contextlib.closing(ws), TestClient(app) as client:
        login(client, "analyst-user")
        assert "No documents yet" in client.get("/documents").text
        token = csrf_of(client, "/add")
        response = client.post(
            "/add/upload",
            data={"csrf": token},
            files=[("files", ("karsholm.html", ARTICLE.encode(), "text/html"))],
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        job_url = response.headers["location"]
        job_id = job_url.rsplit("/", 1)[1]
        page = client.get(job_url).text
        assert 'data-job="' in page and "<progress" in page
        deadline = time.monotonic() + 300
        job: dict[str, Any] = {}
        while time.monotonic() < deadline:
            job = client.get(f"/api/v1/jobs/{job_id}").json()["job"]
            if job["done"]:
                break
            time.sleep(0.5)
        assert job.get("status") in ("done", "finished", "succeeded"), job
        assert "Finished" in client.get(job_url).text
        docs = client.get("/api/v1/documents").json()
        assert docs["total"] == 1 and "Karsholm" in docs["items"][0]["title"]
        assert "Karsholm terminal to close" in client.get("/documents").text
        # an empty upload is refused with a message, and makes no job
        empty = client.post("/add/upload", data={"csrf": token}, files=[("files", ("", b"", "text/plain"))])
        assert empty.status_code == 400
        assert client.get("/api/v1/jobs").json()["total"] == 1
