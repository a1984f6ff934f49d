"""Issue 15 §1-§2 end to end: a loopback news site serves two versions of an RSS feed and an Atom feed.

Cycle 1 builds the workspace and raises nothing; cycle 2 (an independent confirmation and a dispute appear)
raises exactly the expected alerts, once, on stdout and to a local webhook receiver (HMAC checked); cycle 3
with nothing new raises nothing and downloads nothing (the server's log: only conditional requests answered 304).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimgraph.options import Options
from claimgraph.store import Store
from claimgraph.watch import Watcher, list_alerts, load_watchlist, verify_signature

from .helpers import CYCLE_1, CYCLE_2, LocalSite, local_site

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "src" / "claimgraph" / "schema" / "alert-1.schema.json"
    ).read_text()
)
SECRET = "hook-secret-for-tests"
QUERY = "falsified safety inspection records"


def _watchlist(tmp_path: Path, site: LocalSite) -> Path:
    path = tmp_path / "watch.yaml"
    path.write_text(
        f"""
interval: 10m
sources:
  - feed: {site.url("/gazette/feed.xml")}
    every: 5m
  - feed: {site.url("/lowfield/atom.xml")}
track:
  claims:
    - query: {QUERY}
  entities:
    - Dunmore Valve Works
webhooks:
  - url: {site.url("/hook")}
    secret_env: WATCH_TEST_SECRET
    backoff: 0
""",
        encoding="utf-8",
    )
    return path


def _stdout_alerts(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _the_claim(store: Store) -> Any:
    corpus = store.load_corpus()
    words = set(QUERY.split())
    found = [c for c in corpus.claims if words <= set(c.text.lower().split())]
    assert len(found) == 1, [c.text for c in corpus.claims]
    return found[0]


def test_two_feed_versions_give_the_expected_alerts_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCH_TEST_SECRET", SECRET)
    db = str(tmp_path / "ws.db")
    options = Options(formats=(), fetch_rate_limit=1000.0, n_process=1, progress=False)
    with local_site() as site:
        plan = load_watchlist(_watchlist(tmp_path, site))
        assert plan.problems == [] and [s.every for s in plan.sources] == [300.0, 600.0]
        site.publish(CYCLE_1)
        with Watcher(plan, db, options, say=lambda line: None) as watcher:
            # ---- cycle 1: the workspace is built; tracked items get their first state, no alert
            first = watcher.cycle()
            assert first.alerts == [] and first.added == 2
            assert _stdout_alerts(capsys) == [] and site.posts() == []
            claim = _the_claim(watcher.store)
            assert claim.circular and claim.independent_sources == 1
            grade_before = claim.grade.admiralty
            states_after_one = watcher.store.watch_states()
            assert sorted(states_after_one) == [f"claim:{claim.id}", "entity:dunmore valve works"]

            # ---- cycle 2: a state inspector confirms on her own visit; a university engineer disputes
            site.publish(CYCLE_2)
            site.clear()
            second = watcher.cycle(plan.sources)
            claim = _the_claim(watcher.store)
            assert not claim.circular and claim.independent_sources == 2
            grade_after = claim.grade.admiralty
            expected = ["dispute", "independent_origin", "no_longer_circular"]
            if grade_after != grade_before:
                expected.append("grade_change")
            alerts = second.alerts
            assert sorted(a["kind"] for a in alerts) == sorted(expected)
            for alert in alerts:
                jsonschema.validate(alert, SCHEMA)
                assert alert["claim"]["id"] == claim.id
                assert (alert["old_grade"], alert["new_grade"]) == (grade_before, grade_after)
                assert alert["tracked"]["by"] == [f"query:{QUERY}"]
            by_kind = {a["kind"]: a for a in alerts}
            origin = by_kind["independent_origin"]
            assert origin["change"]["independent_sources"] == [1, 2]
            assert any("site visit" in (e["text"] or "") for e in origin["evidence"])
            assert {e["url"] for e in origin["evidence"]} == {
                site.url("/gazette/2025/03/inspector-confirms.html")
            }
            assert "Miriam Okafor" in origin["summary"]
            dispute = by_kind["dispute"]
            assert {e["url"] for e in dispute["evidence"]} == {
                site.url("/lowfield/2025/03/engineer-doubts.html")
            }
            assert any("no evidence" in (e["text"] or "") for e in dispute["evidence"])
            assert all(e["stance"] == "disputes" for e in dispute["evidence"])
            assert dispute["evidence"][0]["title"] == "University engineer doubts reservoir allegations"
            assert dispute["evidence"][0]["outlet"] == "Lowfield Evening Times"

            # the same alerts, in the same order, on stdout (one JSON line each) and POSTed, signed
            printed = _stdout_alerts(capsys)
            assert printed == alerts
            posts = site.posts("/hook")
            assert [json.loads(p.body) for p in posts] == alerts
            for post in posts:
                assert verify_signature(post.body, post.headers.get("X-Claimgraph-Signature"), SECRET)
                assert not verify_signature(post.body, post.headers.get("X-Claimgraph-Signature"), "other")
                assert post.headers["X-Claimgraph-Alert"] == json.loads(post.body)["id"]
                assert post.headers["User-Agent"].startswith("claimgraph/")

            # only the new articles were downloaded; the known ones were asked for conditionally (304)
            bodies = sorted(h.path for h in site.gets() if h.status == 200)
            assert bodies == sorted(
                [
                    "/gazette/feed.xml",
                    "/lowfield/atom.xml",
                    "/gazette/2025/03/inspector-confirms.html",
                    "/lowfield/2025/03/engineer-doubts.html",
                ]
            )
            assert sorted(h.path for h in site.gets() if h.status == 304) == sorted(
                ["/gazette/2025/03/councillor-records.html", "/lowfield/2025/03/reservoir-claims.html"]
            )

            # ---- cycle 3: nothing new: nothing emitted, nothing downloaded
            states = watcher.store.watch_states()
            site.clear()
            third = watcher.cycle(plan.sources)
            assert third.alerts == [] and third.added == 0 and third.repeats == 0
            assert _stdout_alerts(capsys) == [] and site.posts() == []
            gets = site.gets()
            assert sorted(h.path for h in gets) == ["/gazette/feed.xml", "/lowfield/atom.xml"]
            assert all(h.status == 304 and h.sent == 0 and "If-None-Match" in h.headers for h in gets)
            assert (third.requests, third.full, third.not_modified) == (2, 0, 2)
            assert watcher.store.watch_states() == states

            # ---- a crash between storing the alerts and storing the states: the changes are found again,
            # but the alerts table already holds them: nothing is emitted twice
            with Store.open(db) as other:
                other.put_watch_states(states_after_one, "2025-03-05T00:00:00Z")
            again = watcher.cycle(plan.sources)
            assert again.alerts == [] and again.repeats == len(alerts)
            assert _stdout_alerts(capsys) == [] and site.posts("/hook") == []

            stored = list_alerts(watcher.store)
            assert sorted(a["id"] for a in stored) == sorted(a["id"] for a in alerts)
            assert all(a["delivery"][site.url("/hook")]["status"] == "delivered" for a in stored)
            assert [a["kind"] for a in list_alerts(watcher.store, kinds=["dispute"])] == ["dispute"]
