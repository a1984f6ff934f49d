"""Per-document isolation for the corpus-level stages: one document's statements never stop the run.

The attribution stage analyses document by document and skips a document it cannot analyse (``E302``).
The later stages (claims, provenance) work on every statement of the workspace at once, so an exception
in them has no document attached. :func:`run_isolated` runs the stages; from the first stage that reads
``statements`` on, if a stage raises, it finds the document(s) whose statements make it fail:

1. every field those stages declare they assign is put back as it was before the first of them ran (a
   stage that failed half-way leaves nothing behind);
2. **bisection over documents**: the stages up to the failing one are run again on scratch copies of the
   corpus with the statements of some documents left out, to find the shortest prefix of the documents
   (in id order) whose removal makes them succeed; the last document of that prefix is a culprit.
   Repeated with the culprits found so far left out, until they succeed. Each culprit costs about
   ``log2(documents)`` trial runs; at most :data:`MAX_CULPRITS` culprits and :data:`MAX_TRIALS` trial runs;
3. each culprit is recorded as one ``E302`` line (file, the failing stage, the exception), its statements
   are left out of the analysis, and the stages run again for real from the first one that reads
   statements (so claims are rebuilt without them: no claim points at a statement left out).

A failure that is not attributable to documents (the stages fail with every statement left out, or more
culprits than the caps) and every :class:`~claimgraph.errors.ClaimgraphError` (a missing model, a bad
registry: configuration, not a document) are raised as they came. The document itself stays in the store
with its problem line; every later run isolates it the same way, so it never fails a later run.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import ClaimgraphError

if TYPE_CHECKING:
    from .model import Corpus
    from .stages import RunContext, StageInfo

__all__ = ["MAX_CULPRITS", "MAX_TRIALS", "find_culprits", "run_isolated"]

#: Most documents one stage run may isolate before the failure counts as not attributable to documents.
MAX_CULPRITS = 8
#: Most trial runs of a stage while looking for culprits.
MAX_TRIALS = 80


#: Values kept as they are in a snapshot: immutable, so a copy would be the same object's equal.
_ATOMIC = frozenset({type(None), bool, int, float, str})


def _copied(value: Any) -> Any:
    """``value`` itself when it is immutable (most assigned fields are ``None`` or a string before the stages
    run: about 700,000 of them at 10,000 documents), else a deep copy."""
    return value if type(value) in _ATOMIC else copy.deepcopy(value)


def _snapshot(corpus: Corpus, assigns: Sequence[str]) -> Callable[[], None]:
    """A function that puts the fields in ``assigns`` (``"claims"``, ``"statements.stance"``) back."""
    tops: dict[str, Any] = {}
    items: list[tuple[Any, str, Any]] = []
    for path in dict.fromkeys(assigns):  # two stages may declare the same field: one copy
        top, _, attr = path.partition(".")
        if not attr:
            tops[top] = _copied(getattr(corpus, top))
        else:
            items.extend((item, attr, _copied(getattr(item, attr))) for item in getattr(corpus, top))

    def restore() -> None:
        for item, attr, value in items:
            setattr(item, attr, _copied(value))
        for top, value in tops.items():
            setattr(corpus, top, _copied(value))

    return restore


def _scratch(corpus: Corpus, stages: Sequence[StageInfo], excluded: frozenset[str]) -> Corpus:
    """A copy of ``corpus`` without the statements of the ``excluded`` documents; every field the stages
    may change is a deep copy, the rest (documents and their text) is shared, read-only."""
    changes: dict[str, Any] = {}
    for top in {p.partition(".")[0] for info in stages for p in info.assigns} | {"statements"}:
        value = getattr(corpus, top)
        if top == "statements":
            value = [s for s in value if s.document_id not in excluded]
        changes[top] = copy.deepcopy(value)
    return dataclasses.replace(corpus, **changes)


def find_culprits(
    documents: Sequence[str], fails: Callable[[frozenset[str]], bool], max_culprits: int = MAX_CULPRITS
) -> list[str] | None:
    """The documents whose removal makes ``fails`` false (``fails(excluded)`` runs the stage without the
    statements of ``excluded``), found by bisection; ``None`` if removing every document does not help
    or more than ``max_culprits`` are needed. ``fails(frozenset())`` is assumed true."""
    memo: dict[frozenset[str], bool] = {frozenset(): True}

    def failing(excluded: frozenset[str]) -> bool:
        if excluded not in memo:
            memo[excluded] = fails(excluded)
        return memo[excluded]

    culprits: list[str] = []
    remaining = list(documents)
    while failing(frozenset(culprits)):
        if len(culprits) >= max_culprits or not remaining:
            return None
        if failing(frozenset(culprits) | frozenset(remaining)):
            return None  # fails without any of these documents' statements: not theirs
        low, high = 1, len(remaining)  # the shortest failing-free prefix is remaining[:high]
        while low < high:
            middle = (low + high) // 2
            if failing(frozenset(culprits) | frozenset(remaining[:middle])):
                low = middle + 1
            else:
                high = middle
        culprits.append(remaining[high - 1])
        remaining = remaining[: high - 1]
    return culprits


def _short(stage_name: str) -> str:
    """``claimgraph.claims.v1`` -> ``claims``."""
    parts = stage_name.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "claimgraph" else stage_name


def _reason(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def _attempt(stages: Sequence[StageInfo], corpus: Corpus, ctx: RunContext) -> tuple[int, Exception | None]:
    """Run ``stages`` in order; ``(index, exception)`` of the first that raised (not a ClaimgraphError)."""
    for k, info in enumerate(stages):
        try:
            info(corpus, ctx)
        except ClaimgraphError:
            raise
        except Exception as exc:
            return k, exc
    return len(stages), None


def run_isolated(stages: Sequence[StageInfo], corpus: Corpus, ctx: RunContext) -> None:
    """Run ``stages`` in order over ``corpus``; a failure of a stage that reads statements, caused by some
    documents' statements, skips those documents (``E302``) and runs on the rest (see the module docstring)."""
    first = next((k for k, info in enumerate(stages) if "statements" in info.reads), len(stages))
    for info in stages[:first]:
        info(corpus, ctx)
    later = stages[first:]
    if not later:
        return
    restore = _snapshot(corpus, [path for info in later for path in info.assigns])
    quiet = dataclasses.replace(ctx, _progress=None, cache=None, on_problem=lambda problem: None)
    left_out: set[str] = set()
    trials = 0
    while True:
        failed_at, failure = _attempt(later, corpus, ctx)
        if failure is None:
            return
        restore()
        corpus.statements = [s for s in corpus.statements if s.document_id not in left_out]
        if not corpus.statements:
            raise failure
        upto = later[: failed_at + 1]

        def fails(
            excluded: frozenset[str], upto: Sequence[StageInfo] = upto, failure: Exception = failure
        ) -> bool:
            nonlocal trials
            trials += 1
            if trials > MAX_TRIALS:
                raise failure
            scratch = _scratch(corpus, upto, excluded)
            return _attempt(upto, scratch, quiet)[1] is not None

        documents = sorted({s.document_id for s in corpus.statements})
        culprits = find_culprits(documents, fails, MAX_CULPRITS - len(left_out))
        if not culprits:
            raise failure
        paths = {d.id: d.path or d.id for d in corpus.documents}
        for doc_id in sorted(culprits):
            ctx.document_failed(paths.get(doc_id, doc_id), _short(later[failed_at].name), _reason(failure))
        left_out.update(culprits)
        corpus.statements = [s for s in corpus.statements if s.document_id not in left_out]
