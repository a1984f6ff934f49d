"""Alerts out: webhook delivery (signature, retries with backoff, final failures) and the ``alerts`` table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from claimgraph.model import Corpus
from claimgraph.store import Store
from claimgraph.watch import alert_line, list_alerts, sign, verify_signature
from claimgraph.watch.alerts import SIGNATURE_HEADER, deliver
from claimgraph.watch.tracking import alert_id
from claimgraph.watch.watchlist import Webhook

HOOK = "https://hooks.example/claimgraph"


def _alert(
    n: int, kind: str = "dispute", created: str = "2025-04-01T10:00:00Z", claim: str = "claim-1"
) -> dict[str, Any]:
    key = f"claim:{claim}|{kind}|doc-{n}"
    return {
        "schema": "claimgraph-alert/1",
        "id": alert_id(key),
        "key": key,
        "kind": kind,
        "created": created,
        "summary": f"Lena Oduya disputes the claim in “Report {n}”.",
        "tracked": {"type": "claim", "key": f"claim:{claim}", "by": []},
        "claim": {"id": claim, "text": "Harrow Freight moved fuel at night"},
        "entity": None,
        "old_grade": "F3",
        "new_grade": "F3",
        "change": {},
        "evidence": [],
    }


class Receiver:
    """An httpx mock transport answering with the given statuses in turn (an exception instance is raised)."""

    def __init__(self, *answers: int | Exception, headers: dict[str, str] | None = None) -> None:
        self.answers = list(answers)
        self.headers = headers or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else 204
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, headers=self.headers)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def test_a_signed_delivery_carries_the_alert_line(tmp_path: Path) -> None:
    receiver = Receiver(204)
    alert = _alert(1)
    outcome = deliver(
        Webhook(HOOK, secret="k"), alert, user_agent="claimgraph/test", client=receiver.client()
    )
    assert outcome == {"status": "delivered", "attempts": 1, "http_status": 204, "reason": None}
    (request,) = receiver.requests
    assert request.method == "POST" and request.content == alert_line(alert).encode()
    assert json.loads(request.content) == alert
    assert request.headers[SIGNATURE_HEADER] == sign(request.content, "k")
    assert verify_signature(request.content, request.headers[SIGNATURE_HEADER], "k")
    assert not verify_signature(request.content + b" ", request.headers[SIGNATURE_HEADER], "k")
    assert not verify_signature(request.content, None, "k")
    assert (
        request.headers["X-Claimgraph-Alert"] == alert["id"]
        and request.headers["X-Claimgraph-Event"] == "dispute"
    )
    assert request.headers["Content-Type"].startswith("application/json")


def test_no_secret_no_signature() -> None:
    receiver = Receiver(200)
    deliver(Webhook(HOOK), _alert(1), user_agent="claimgraph/test", client=receiver.client())
    assert SIGNATURE_HEADER not in receiver.requests[0].headers


def test_server_errors_and_network_failures_are_retried_with_exponential_backoff() -> None:
    waits: list[float] = []
    receiver = Receiver(503, httpx.ConnectError("connection refused"), 500, 202)
    outcome = deliver(
        Webhook(HOOK, retries=3, backoff=0.5),
        _alert(1),
        user_agent="u",
        client=receiver.client(),
        sleep=waits.append,
    )
    assert outcome["status"] == "delivered" and outcome["attempts"] == 4
    assert waits == [0.5, 1.0, 2.0]
    assert len({r.content for r in receiver.requests}) == 1  # the same body every time


def test_retry_after_is_honoured_and_capped() -> None:
    waits: list[float] = []
    receiver = Receiver(429, 429, headers={"Retry-After": "7"})
    deliver(
        Webhook(HOOK, retries=1, backoff=0.1),
        _alert(1),
        user_agent="u",
        client=receiver.client(),
        sleep=waits.append,
    )
    assert waits == [7.0]
    waits.clear()
    receiver = Receiver(503, 204, headers={"Retry-After": "86400"})
    deliver(
        Webhook(HOOK, retries=1, backoff=0.1),
        _alert(1),
        user_agent="u",
        client=receiver.client(),
        sleep=waits.append,
    )
    assert waits == [60.0]


def test_a_client_error_is_final_and_exhausted_retries_fail() -> None:
    waits: list[float] = []
    receiver = Receiver(401)
    outcome = deliver(
        Webhook(HOOK, retries=5), _alert(1), user_agent="u", client=receiver.client(), sleep=waits.append
    )
    assert outcome == {
        "status": "failed",
        "attempts": 1,
        "http_status": 401,
        "reason": "HTTP 401 Unauthorized",
    }
    assert waits == []
    receiver = Receiver(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    outcome = deliver(
        Webhook(HOOK, retries=2, backoff=1, timeout=3),
        _alert(1),
        user_agent="u",
        client=receiver.client(),
        sleep=waits.append,
    )
    assert outcome == {
        "status": "failed",
        "attempts": 3,
        "http_status": None,
        "reason": "no answer within 3 s",
    }
    assert waits == [1, 2]


def test_the_alerts_table_keeps_one_row_per_change_and_lists_them(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    with Store.open(db) as store:
        assert list_alerts(store) == []
        a1 = _alert(1, "dispute", "2025-04-01T10:00:00Z")
        a2 = _alert(2, "denial", "2025-04-02T10:00:00Z", claim="claim-2")
        a3 = _alert(3, "refusal", "2025-04-03T10:00:00Z")
        assert [store.add_alert(a) for a in (a1, a2, a3, a1)] == [True, True, True, False]
        store.set_alert_delivery(a2["id"], {HOOK: {"status": "failed", "attempts": 4}})
        assert [a["id"] for a in list_alerts(store)] == [a3["id"], a2["id"], a1["id"]]
        assert [a["id"] for a in list_alerts(store, newest_first=False, limit=2)] == [a1["id"], a2["id"]]
        assert [a["kind"] for a in list_alerts(store, since="2025-04-02")] == ["refusal", "denial"]
        assert [a["kind"] for a in list_alerts(store, kinds=["dispute", "refusal"])] == ["refusal", "dispute"]
        assert [a["kind"] for a in list_alerts(store, claim_id="claim-2")] == ["denial"]
        listed = {a["id"]: a for a in list_alerts(store)}
        assert listed[a2["id"]]["delivery"] == {HOOK: {"status": "failed", "attempts": 4}}
        assert listed[a1["id"]]["delivery"] is None
        assert {k: v for k, v in listed[a1["id"]].items() if k != "delivery"} == a1
    with Store.open(db, readonly=True) as reader:  # the server's read-only view
        assert len(list_alerts(reader)) == 3


def test_a_store_from_before_alerts_has_none(tmp_path: Path) -> None:
    import sqlalchemy as sa

    db = tmp_path / "old.db"
    with Store.open(db) as store:
        store.save_analysis(Corpus())
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alerts"))
        conn.execute(sa.text("DROP TABLE watch_state"))
    engine.dispose()
    with Store.open(db, readonly=True) as reader:
        assert list_alerts(reader) == [] and reader.watch_states() == {}


@pytest.mark.parametrize("body", [b"{}", '{"summary":"Dunmore – “x”"}'.encode()])
def test_signatures_are_over_the_exact_bytes(body: bytes) -> None:
    assert sign(body, "k") == sign(bytes(body), "k") and sign(body, "k") != sign(body, "K")


def test_a_failed_delivery_is_sent_again_at_the_next_cycle_until_taken(tmp_path: Path) -> None:
    from claimgraph.options import Options
    from claimgraph.watch import Watcher
    from claimgraph.watch.watchlist import PolledSource, Watchlist

    db = str(tmp_path / "ws.db")
    receiver = Receiver(500, 204)
    plan = Watchlist(
        path="w.yaml",
        sources=[PolledSource("https://a.example/rss", True, 60.0)],
        webhooks=[Webhook(HOOK, secret="k", retries=0)],
    )
    lines: list[str] = []
    with Watcher(
        plan, db, Options(formats=()), say=lines.append, webhook_clients={HOOK: receiver.client()}
    ) as watcher:
        failed, never = _alert(1), _alert(2)
        for alert in (failed, never):
            watcher.store.add_alert(alert)
        watcher._send(failed)  # first attempt: HTTP 500, no retries left
        assert lines == [
            f"error: [E121] webhook {HOOK}: alert {failed['id']} not delivered after 1 attempt(s): "
            "HTTP 500 Internal Server Error"
        ]
        watcher._redeliver()  # next cycle: sent again, taken; an alert never meant for it is not sent
        watcher._redeliver()  # and not again once taken
        stored = {a["id"]: a for a in list_alerts(watcher.store)}
    assert [json.loads(r.content)["id"] for r in receiver.requests] == [failed["id"], failed["id"]]
    assert stored[failed["id"]]["delivery"][HOOK]["status"] == "delivered"
    assert stored[never["id"]]["delivery"] is None


@pytest.mark.postgres
def test_alerts_and_states_on_postgresql(postgres_url: str) -> None:
    with Store.open(postgres_url) as store:
        a1, a2 = _alert(1, "dispute", "2025-04-01T10:00:00Z"), _alert(2, "denial", "2025-04-02T10:00:00Z")
        assert [store.add_alert(a) for a in (a1, a2, a1)] == [True, True, False]
        store.set_alert_delivery(a1["id"], {HOOK: {"status": "delivered", "attempts": 1}})
        store.put_watch_states(
            {"claim:claim-1": {"claim_id": "claim-1", "statement_ids": ["st-1"]}}, "2025-04-02"
        )
        store.put_watch_states(
            {"claim:claim-1": {"claim_id": "claim-1", "statement_ids": ["st-1", "st-2"]}}, "t"
        )
        assert store.watch_states() == {
            "claim:claim-1": {"claim_id": "claim-1", "statement_ids": ["st-1", "st-2"]}
        }
        store.save_analysis(Corpus())
    with Store.open(postgres_url, readonly=True) as reader:
        listed = list_alerts(reader)
        assert [a["id"] for a in listed] == [a2["id"], a1["id"]]
        assert (
            listed[1]["delivery"] == {HOOK: {"status": "delivered", "attempts": 1}}
            and listed[0]["delivery"] is None
        )
        assert [a["kind"] for a in list_alerts(reader, kinds=["dispute"], since="2025-04-01")] == ["dispute"]
