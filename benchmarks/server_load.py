"""Load test of ``claimgraph serve`` on loopback: N concurrent logged-in readers over a big workspace.

    python benchmarks/server_load.py                       # 50 readers, 10,000 documents, 30 s
    python benchmarks/server_load.py --readers 50 --docs 10000 --seconds 30 --think 0

Bounded and self-stopping: the server is a child process on 127.0.0.1 (a free port), the readers stop at the
deadline (or after --max-requests), and the server is stopped in every case. The workspace is synthetic
(invented names, generated texts with correct offsets, claims spread over documents with a heavy tail) and
built once, cached under ``$TMPDIR/claimgraph-server-load/`` (``--rebuild`` to build it again).

Each reader logs in (its own session), then loops: the claims list (a random filter, sort and page among the
first ones) or a claim page (a random claim), with ``--think`` seconds between requests (0: back to back).
Reported: p50/p95/p99 and max per page kind, requests per second, errors (any non-200 or transport error), the
server's CPU seconds, and the machine's load average before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_MS = 300.0
PASSWORD = "load test passphrase"

_FIRST = [
    "Ilse",
    "Tomas",
    "Mirela",
    "Oskar",
    "Farida",
    "Jonah",
    "Priya",
    "Anatol",
    "Sunniva",
    "Kwame",
    "Lucia",
    "Dmitri",
    "Helka",
    "Rasmus",
    "Noor",
    "Beatriz",
    "Emeka",
    "Signe",
    "Tariq",
    "Wen",
]
_LAST_A = ["Var", "Mor", "Tal", "Bren", "Os", "Kel", "Dun", "Rav", "Sel", "Ith", "Ast", "Gor"]
_LAST_B = ["ennick", "gaard", "owitz", "strom", "ani", "ford", "ley", "ecki", "andro", "eux", "ova", "ston"]
_ORG_A = [
    "Northern",
    "Coastal",
    "United",
    "Central",
    "Federal",
    "Eastern",
    "Free",
    "National",
    "Harbour",
    "Border",
]
_ORG_B = [
    "Relief Agency",
    "Freight Alliance",
    "Workers Union",
    "Electoral Commission",
    "Prosecutor's Office",
    "Institute",
    "Ministry of Transport",
    "Energy Company",
    "Shipping Line",
    "Police",
]
_PLACES = [
    "Ostrava Bay",
    "Lindmark",
    "Port Edda",
    "Saltreach",
    "Veyne",
    "Karsholm",
    "New Tarrow",
    "Brightwater",
    "Elmfirth",
    "Corran",
    "Duskvale",
    "Marrow Point",
]
_OUTLET_A = [
    "Daily",
    "Evening",
    "Harbour",
    "Northern",
    "Free",
    "Morning",
    "Capital",
    "Coastal",
    "Weekly",
    "Border",
]
_OUTLET_B = [
    "Ledger",
    "Courier",
    "Sentinel",
    "Dispatch",
    "Herald",
    "Review",
    "Chronicle",
    "Observer",
    "Times",
    "Post",
]
_VERBS = [
    "moved arms through",
    "paid officials in",
    "blocked aid to",
    "expanded operations in",
    "hid losses in",
    "recruited workers from",
    "shipped grain to",
    "cut power to",
    "opened talks with",
    "sent inspectors to",
]
_CUES = ["said", "told reporters", "claimed", "wrote", "alleged", "according to"]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST_A)}{rng.choice(_LAST_B)}"


def build_corpus(n_docs: int, seed: int = 0) -> Any:
    """A synthetic workspace analysis of ``n_docs`` documents (about 3.5 statements each, a claim per ~3
    documents with a heavy tail), with grades, chains and flags filled in as the provenance stage would."""
    from claimgraph.model import Claim, Corpus, Document, Entity, Grade, Relation, Source, Statement

    rng = random.Random(seed)
    outlets = sorted({f"The {a} {b}" for a in _OUTLET_A for b in _OUTLET_B})[:80]
    people = sorted({_person(rng) for _ in range(2500)})[:1500]
    orgs = sorted({f"{a} {b}" for a in _ORG_A for b in _ORG_B})
    entities = [Entity(id=f"ent-p{i}", name=n, type="person") for i, n in enumerate(people)]
    entities += [Entity(id=f"ent-o{i}", name=n, type="organization") for i, n in enumerate(orgs)]
    entities += [Entity(id=f"ent-l{i}", name=n, type="location") for i, n in enumerate(_PLACES)]
    sources = [
        Source(
            id=f"src-p{i}",
            label=n,
            kind="person",
            entity_id=f"ent-p{i}",
            role=rng.choice(["consultant", "spokesperson", "minister", "analyst", "lawyer", None]),
        )
        for i, n in enumerate(people)
    ]
    sources += [
        Source(id=f"src-o{i}", label=n, kind="organization", entity_id=f"ent-o{i}")
        for i, n in enumerate(orgs)
    ]
    sources += [Source(id=f"src-out{i}", label=n, kind="outlet") for i, n in enumerate(outlets)]
    anon = [
        Source(id=f"src-a{i}", label=d, kind="anonymous", description=d)
        for i, d in enumerate(
            [
                "officials",
                "a senior official",
                "two people familiar with the matter",
                "a diplomat",
                "sources close to the talks",
            ]
        )
    ]
    sources += anon
    n_claims = max(10, n_docs // 3)
    claim_texts = []
    for i in range(n_claims):
        subj = rng.choice(orgs)
        claim_texts.append((f"{subj} {rng.choice(_VERBS)} {rng.choice(_PLACES)}", subj, i))
    weights = [1.0 / (k + 1) ** 0.8 for k in range(n_claims)]
    documents: list[Document] = []
    statements: list[Statement] = []
    by_claim: dict[int, list[Statement]] = {}
    for d in range(n_docs):
        outlet_i = rng.randrange(len(outlets))
        day = 1 + d * 364 // max(1, n_docs)
        published = time.strftime("%Y-%m-%d", time.gmtime(1704067200 + day * 86400))
        paragraphs: list[str] = []
        doc_id = f"doc-{d:06d}"
        offset = 0
        picks = rng.choices(range(n_claims), weights=weights, k=rng.randint(2, 5))
        for j, ci in enumerate(picks):
            text, subj, _ = claim_texts[ci]
            speaker = rng.random()
            if speaker < 0.15:
                src = rng.choice(anon)
            elif speaker < 0.25:
                src = sources[len(people) + orgs.index(subj)]
            else:
                src = sources[rng.randrange(len(people))]
            stance = rng.choices(
                ["supports", "reports", "disputes", "denies", "declines"], [55, 25, 10, 6, 4]
            )[0]
            cue = rng.choice(_CUES)
            sentence = f"{text}, {src.label} {cue}."
            para = f"{sentence} The report could not be independently verified. Paragraph {j} of story {d}."
            start = offset
            statements.append(
                Statement(
                    id=f"st-{d:06d}-{j}",
                    document_id=doc_id,
                    source_id=src.id,
                    text=text,
                    cue=cue,
                    mode="indirect",
                    certainty="asserted",
                    certainty_cues=[],
                    start=start,
                    end=start + len(text),
                    stance=stance,
                    claim_id=f"cl-{ci:06d}",
                    sentence_start=start,
                    sentence_end=start + len(sentence),
                    entity_ids=[f"ent-o{orgs.index(subj)}"],
                    speaker_text=src.label,
                )
            )
            by_claim.setdefault(ci, []).append(statements[-1])
            paragraphs.append(para)
            offset += len(para) + 2
        documents.append(
            Document(
                id=doc_id,
                path=f"synthetic/{doc_id}.txt",
                url=f"https://news{outlet_i}.example/{doc_id}",
                title=f"{claim_texts[picks[0]][0]} ({d})",
                authors=[_person(rng)],
                published=published,
                outlet=outlets[outlet_i],
                text="\n\n".join(paragraphs),
            )
        )
    docs_by_id = {doc.id: doc for doc in documents}
    claims: list[Claim] = []
    relations: list[Relation] = []
    for ci, sts in sorted(by_claim.items()):
        text, subj, _ = claim_texts[ci]
        doc_ids = sorted({s.document_id for s in sts})
        origins = sorted({s.source_id for s in sts if s.stance == "supports"})[:3]
        sup = sum(s.stance == "supports" for s in sts)
        dis = sum(s.stance == "disputes" for s in sts)
        den = sum(s.stance == "denies" for s in sts)
        cred = (
            6
            if not sup
            else 2
            if len(origins) >= 2 and not (dis or den)
            else 3
            if len(origins) >= 2
            else 4
            if dis or den
            else 5
        )
        outl = sorted({docs_by_id[x].outlet or "" for x in doc_ids})
        claims.append(
            Claim(
                id=f"cl-{ci:06d}",
                text=text,
                statement_ids=[s.id for s in sts],
                first_seen=min(docs_by_id[x].published or "9999" for x in doc_ids),
                origin_source_ids=origins,
                independent_sources=len(origins),
                supporting=sup,
                disputing=dis,
                denying=den,
                reporting=sum(s.stance == "reports" for s in sts),
                declining=sum(s.stance == "declines" for s in sts),
                circular=len(origins) == 1 and len(doc_ids) > 2 and ci % 4 == 0,
                grade=Grade(
                    reliability="F",
                    credibility=cred,
                    admiralty=f"F{cred}",
                    confidence=max(0, 100 - 17 * cred),
                    explanation=f"{len(origins)} origin(s); {dis} dispute(s), {den} denial(s).",
                ),
                document_ids=doc_ids,
                outlets=outl,
                entity_ids=[f"ent-o{orgs.index(subj)}"],
                attention=float(len(doc_ids) + len(outl)),
                chains=[
                    [f"src-out{outlets.index(docs_by_id[s.document_id].outlet or outlets[0])}", s.source_id]
                    for s in sts[:12]
                ],
            )
        )
        if ci % 5 == 0 and origins:
            relations.append(
                Relation(
                    id=f"rel-{ci:06d}",
                    subject=f"ent-o{orgs.index(subj)}",
                    predicate="operates in",
                    object=f"ent-l{ci % len(_PLACES)}",
                    statement_ids=[s.id for s in sts[:5]],
                    source_ids=origins,
                    claim_ids=[f"cl-{ci:06d}"],
                    grade=claims[-1].grade,
                )
            )
    for ent in entities:
        ent.mentions = 1
    corpus = Corpus(
        documents=documents,
        entities=entities,
        sources=sources,
        statements=statements,
        claims=claims,
        relations=relations,
    )
    corpus.sort()
    return corpus


def build_workspace(db: Path, n_docs: int, readers: int) -> dict[str, Any]:
    """Build (or reuse) the cached workspace; returns what was built and how long it took."""
    from claimgraph.store import Store
    from claimgraph.workspace import Workspace

    marker = db.with_suffix(".ready.json")
    if db.exists() and marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text())
        if info.get("docs") == n_docs and info.get("readers", 0) >= readers:
            info["cached"] = True
            return info
    for path in db.parent.glob(db.name + "*"):
        path.unlink()
    t0, c0 = time.perf_counter(), time.process_time()
    corpus = build_corpus(n_docs)
    with Store.open(str(db)) as store:
        for doc in corpus.documents:
            store.add_document(doc)
        store.save_analysis(corpus, extra={"fingerprint": f"synthetic-{n_docs}"})
    ws = Workspace.open(str(db))
    for i in range(readers):
        if ws.users.by_name(f"reader{i}") is None:
            ws.users.add(f"reader{i}", PASSWORD, "reader")
    ws.close()
    info = {
        "docs": len(corpus.documents),
        "claims": len(corpus.claims),
        "statements": len(corpus.statements),
        "entities": len(corpus.entities),
        "readers": readers,
        "build_seconds": round(time.perf_counter() - t0, 1),
        "build_cpu_seconds": round(time.process_time() - c0, 1),
        "claim_ids": [c.id for c in corpus.claims],
        "cached": False,
    }
    marker.write_text(json.dumps(info))
    return info


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


async def _wait_up(base: str, deadline: float) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not come up")


_FILTERS = [
    {},
    {"circular": "1"},
    {"disputed": "1"},
    {"single_origin": "1"},
    {"grade": "3"},
    {"sort": "first_seen"},
    {"sort": "grade"},
    {"from": "2024-03-01", "to": "2024-06-30"},
]


async def _login(i: int, base: str) -> Any:
    """A logged-in client (the login itself not followed to the claims list: the first page is timed apart)."""
    import httpx

    client = httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(60.0, read=300.0))
    r = await client.post("/login", data={"name": f"reader{i}", "password": PASSWORD})
    if r.status_code != 303 or r.headers.get("location") != "/claims":
        await client.aclose()
        raise SystemExit(f"reader{i} could not log in: HTTP {r.status_code}")
    return client


async def _reader(
    i: int,
    client: Any,
    claim_ids: list[str],
    stop_at: float,
    think: float,
    budget: list[int],
    times: dict[str, list[float]],
    errors: list[str],
) -> None:
    import httpx

    rng = random.Random(i)
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        if rng.random() < 0.5:
            kind, params = "claims list", dict(rng.choice(_FILTERS), page=str(rng.randint(1, 5)))
            url = "/claims"
        else:
            kind, params, url = "claim page", {}, f"/claims/{rng.choice(claim_ids)}"
        t0 = time.perf_counter()
        try:
            r = await client.get(url, params=params)
            ok = r.status_code == 200
            if not ok:
                errors.append(f"{url}: HTTP {r.status_code}")
        except httpx.HTTPError as exc:
            ok = False
            errors.append(f"{url}: {type(exc).__name__}")
        if ok:
            times[kind].append((time.perf_counter() - t0) * 1000)
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def _session(
    base: str,
    readers: int,
    claim_ids: list[str],
    seconds: float,
    think: float,
    max_requests: int,
    times: dict[str, list[float]],
    errors: list[str],
    pid: int,
) -> tuple[float, float, float]:
    """Log every reader in (not timed), load the snapshot with one page (timed apart), then the measured run;
    returns (seconds of the first page, seconds of the run, server CPU seconds of the run)."""
    clients = await asyncio.gather(*(_login(i, base) for i in range(readers)))
    try:
        t0 = time.perf_counter()
        first = await clients[0].get("/claims")
        if first.status_code != 200:
            raise SystemExit(f"the first page failed: HTTP {first.status_code}")
        warm = time.perf_counter() - t0
        stop_at = time.monotonic() + seconds
        budget = [max_requests]
        cpu0 = _cpu_seconds(pid)
        t1 = time.perf_counter()
        await asyncio.gather(
            *(_reader(i, c, claim_ids, stop_at, think, budget, times, errors) for i, c in enumerate(clients))
        )
        return warm, time.perf_counter() - t1, _cpu_seconds(pid) - cpu0
    finally:
        for c in clients:
            await c.aclose()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the measured run")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between a reader's requests")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "claimgraph-server-load")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    args.cache.mkdir(parents=True, exist_ok=True)
    db = args.cache / f"ws-{args.docs}.db"
    if args.rebuild:
        for path in args.cache.glob(db.name + "*"):
            path.unlink()
        db.with_suffix(".ready.json").unlink(missing_ok=True)
    info = build_workspace(db, args.docs, args.readers)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    code = (
        "import sys; from claimgraph.server import create_app; import uvicorn; "
        f"uvicorn.run(create_app({str(db)!r}, worker=False), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False, timeout_keep_alive=75)"
    )
    load_before = os.getloadavg()
    server = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        asyncio.run(_wait_up(base, time.monotonic() + 120))
        times: dict[str, list[float]] = {"claims list": [], "claim page": []}
        errors: list[str] = []
        warm, wall, cpu = asyncio.run(
            _session(
                base,
                args.readers,
                info["claim_ids"],
                args.seconds,
                args.think,
                args.max_requests,
                times,
                errors,
                server.pid,
            )
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    load_after = os.getloadavg()
    result = {
        "workspace": {k: info[k] for k in ("docs", "claims", "statements", "entities")},
        "workspace_cached": info.get("cached", False),
        "readers": args.readers,
        "think_seconds": args.think,
        "seconds": round(wall, 1),
        "first_page_seconds_incl_snapshot_load": round(warm, 2),
        "requests": sum(len(v) for v in times.values()) + len(errors),
        "requests_per_second": round(sum(len(v) for v in times.values()) / wall, 1) if wall else 0,
        "errors": len(errors),
        "error_samples": errors[:5],
        "server_cpu_seconds": round(cpu, 1),
        "server_cpu_ms_per_request": round(1000 * cpu / max(1, sum(len(v) for v in times.values())), 2),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "pages": {
            kind: {
                "n": len(v),
                "p50_ms": round(_pct(v, 50), 1),
                "p95_ms": round(_pct(v, 95), 1),
                "p99_ms": round(_pct(v, 99), 1),
                "max_ms": round(max(v), 1) if v else None,
                "mean_ms": round(statistics.fmean(v), 1) if v else None,
            }
            for kind, v in times.items()
        },
    }
    ok = not errors and all(result["pages"][k]["p95_ms"] <= GOAL_MS for k in times)
    result["goal"] = f"p95 <= {GOAL_MS:g} ms for both pages, zero errors"
    result["met"] = ok
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"workspace: {result['workspace']} (cached: {result['workspace_cached']})")
        print(
            f"{args.readers} readers, think {args.think:g} s, {wall:.1f} s; {result['requests']} requests, "
            f"{result['requests_per_second']}/s; errors {len(errors)}; server CPU {cpu:.1f} s ({result['server_cpu_ms_per_request']} ms a request); first page {warm:.2f} s; "
            f"load average {load_before[0]:.2f} -> {load_after[0]:.2f} on {os.cpu_count()} CPUs"
        )
        for kind, row in result["pages"].items():
            print(
                f"  {kind:12s} n={row['n']:6d}  p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                f"p99 {row['p99_ms']:7.1f} ms  max {row['max_ms']} ms"
            )
        print(f"goal ({result['goal']}): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
