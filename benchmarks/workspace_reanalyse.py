"""CPU time of a correction in a shared workspace (``Workspace.reanalyse_provenance``: no language analysis).

Builds a synthetic SQLite workspace of N copies of the invented test corpus (``tests/workspace/_corpus.py``:
2 documents, 3 statements, 2 claims each; the people are shared, so provenance works across copies), then
times two corrections (each recomputes provenance and grades) and one search::

    python benchmarks/workspace_reanalyse.py 2500     # 5,000 documents, 7,500 statements, 5,000 claims
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.provenance.stage import run_provenance
from claimgraph.workspace import Workspace
from workspace._corpus import build_corpus


def synthetic(copies: int) -> Corpus:
    template = build_corpus().to_dict()
    big = Corpus()
    for i in range(copies):
        part = Corpus.from_dict(template)

        def ren(x: str, i: int = i) -> str:
            return f"{x}-{i}"

        for d in part.documents:
            d.id, d.path, d.content_hash = ren(d.id), ren(d.path), f"{i:08d}{d.content_hash[8:]}"
        for s in part.sources:
            s.document_ids = [ren(x) for x in s.document_ids]
            if s.kind != "person":
                s.id = ren(s.id)
        for st in part.statements:
            st.id, st.document_id = ren(st.id), ren(st.document_id)
            st.claim_id = ren(st.claim_id) if st.claim_id else None
            if st.source_id == "src-courier":
                st.source_id = ren(st.source_id)
        for c in part.claims:
            c.id, c.statement_ids, c.document_ids = (
                ren(c.id),
                [ren(x) for x in c.statement_ids],
                [ren(x) for x in c.document_ids],
            )
        big.documents += part.documents
        big.statements += part.statements
        big.claims += part.claims
        big.sources += [s for s in part.sources if s.kind != "person" or i == 0]
        if i == 0:
            big.entities = part.entities
    run_provenance(big, Options())
    return big


def main(copies: int) -> None:
    corpus = synthetic(copies)
    with tempfile.TemporaryDirectory() as tmp, Workspace.open(Path(tmp) / "ws.db", files_dir=Path(tmp)) as ws:
        for doc in corpus.documents:
            ws.store.add_document(doc)
        ws.store.save_analysis(corpus)
        analyst = ws.users.add("ines", "long passphrase", "analyst")
        sizes = f"{len(corpus.documents)} documents, {len(corpus.statements)} statements, {len(corpus.claims)} claims"
        for stance in ("denies", "disputes"):
            cpu, wall = time.process_time(), time.perf_counter()
            ws.corrections.add(analyst, "stmt-a2-1", "stance", stance)
            print(
                f"{sizes}: correction + recomputation {time.process_time() - cpu:.2f} s CPU, "
                f"{time.perf_counter() - wall:.2f} s wall"
            )
        cpu = time.process_time()
        hits = ws.search("diverted funds", limit=20)
        print(f"search: {len(hits)} hits, {time.process_time() - cpu:.3f} s CPU")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
