"""A lone title (a one-sentence post, a headline no article of its own carries) joins the one claim of another
document that restates it by meaning (``claims.stage._lone_titles``; invented actors, real-world shapes: a post
and the untitled article that reports the same event in other words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph import analyze
from claimgraph.claims import stage
from claimgraph.claims.embeddings import EmbeddingMatcher
from claimgraph.model import Corpus
from claimgraph.options import Options

OPTIONS = Options(formats=(), progress=False, n_process=1, frozen_time="2026-01-01T00:00:00Z")

POST = "Harbour authority chief Ilsa Marrow quits over dredging scandal\n"
ARTICLE = (
    "Ilsa Marrow has resigned as head of the Port of Caldera authority after an inquiry into contracts for "
    "deepening the shipping channel.\n\nHer deputy will run the authority until a successor is named. The "
    "inquiry's report is due in March.\n"
)
DECOY = (
    "Ilsa Marrow opened the new ferry terminal at Caldera on Tuesday.\n\nThe terminal cost 40 million euros "
    "and took three years to build.\n"
)
QUOTED = (
    "Ilsa Marrow stepped down as head of the Port of Caldera authority, the transport minister Oren Falk "
    "said on Monday, after an inquiry into contracts for deepening the shipping channel.\n\n"
    "Falk said the inquiry would publish its findings in March.\n"
)


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _claims_by_file(corpus: Corpus) -> list[set[str]]:
    """Each claim as the set of files its statements come from."""
    name = {d.id: Path(d.path or "").name for d in corpus.documents}
    doc_of = {s.id: s.document_id for s in corpus.statements}
    return [{name[doc_of[sid]] for sid in claim.statement_ids} for claim in corpus.claims]


def _claim_of_post(corpus: Corpus) -> set[str]:
    found = [files for files in _claims_by_file(corpus) if "post.txt" in files]
    assert len(found) <= 1
    return found[0] if found else set()


def test_a_post_joins_the_untitled_article_that_restates_it(tmp_path: Path) -> None:
    files = _write(tmp_path / "in", {"post.txt": POST, "article.txt": ARTICLE, "decoy.txt": DECOY})
    result = analyze(files, None, db=f"sqlite:///{tmp_path / 'cg.db'}", options=OPTIONS)
    # the article's first sentence made no claim alone; with the post it is one claim of two documents
    assert _claim_of_post(result.corpus) == {"post.txt", "article.txt"}  # not the decoy: another event


def test_without_the_pass_the_post_stays_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: the matcher alone compares the post with the article's sentences on their wording."""
    monkeypatch.setattr(stage, "_lone_titles", lambda run, grouping, claims, core, topics: claims)
    files = _write(tmp_path / "in", {"post.txt": POST, "article.txt": ARTICLE, "decoy.txt": DECOY})
    result = analyze(files, None, db=f"sqlite:///{tmp_path / 'cg.db'}", options=OPTIONS)
    assert _claim_of_post(result.corpus) == {"post.txt"}


def test_a_post_joins_an_existing_claim_and_takes_a_stance_on_it(tmp_path: Path) -> None:
    files = _write(tmp_path / "in", {"post.txt": POST, "quoted.txt": QUOTED, "decoy.txt": DECOY})
    result = analyze(files, None, db=f"sqlite:///{tmp_path / 'cg.db'}", options=OPTIONS)
    corpus = result.corpus
    assert _claim_of_post(corpus) == {"post.txt", "quoted.txt"}
    post_doc = next(d.id for d in corpus.documents if Path(d.path or "").name == "post.txt")
    own = [s for s in corpus.statements if s.document_id == post_doc]
    assert own and {s.stance for s in own} <= {
        "supports",
        "reports",
    }  # the post restates the minister's account
    claim = next(c for c in corpus.claims if own[0].id in c.statement_ids)
    assert post_doc in claim.document_ids  # a carrier of the claim, as provenance and the report see it


def test_articles_with_their_own_titles_encode_no_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title its article carries is no lone title: a corpus of articles pays for no sentence vector."""
    calls: list[int] = []
    original = EmbeddingMatcher.meaning_similarity

    def counting(self: EmbeddingMatcher, i, j, texts):  # type: ignore[no-untyped-def]
        calls.append(len(i))
        return original(self, i, j, texts)

    monkeypatch.setattr(EmbeddingMatcher, "meaning_similarity", counting)
    records = [
        {"title": "Port of Caldera chief resigns after dredging inquiry", "text": QUOTED},
        {"title": "Caldera opens its new ferry terminal", "text": DECOY},
    ]
    import json

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = analyze([folder], None, db=f"sqlite:///{tmp_path / 'cg.db'}", options=OPTIONS)
    assert result.corpus.claims
    assert sum(calls) == 0


def test_a_post_added_later_gives_the_from_scratch_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _write(tmp_path / "in", {"article.txt": ARTICLE, "quoted.txt": QUOTED, "decoy.txt": DECOY})
    post = _write(tmp_path / "in", {"post.txt": POST})
    analyze(files, tmp_path / "grown", options=OPTIONS)
    grown = analyze([*files, *post], tmp_path / "grown", options=OPTIONS)
    scratch = analyze([*files, *post], tmp_path / "scratch", options=OPTIONS)
    # the two articles' claim (they share their wording), which the post joins
    assert _claim_of_post(scratch.corpus) == {"post.txt", "article.txt", "quoted.txt"}
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()
    # a later run reads the post's candidate vectors back instead of encoding them again
    from claimgraph.claims import embeddings

    encoded: list[str] = []
    original = embeddings._onnx_encode

    def counting(texts, batch_size):  # type: ignore[no-untyped-def]
        encoded.extend(texts)
        return original(texts, batch_size)

    monkeypatch.setattr(embeddings, "_onnx_encode", counting)
    more = _write(tmp_path / "in", {"weather.txt": "Heavy rain is expected in Orlen on Thursday.\n"})
    rerun = analyze([*files, *post, *more], tmp_path / "scratch", options=OPTIONS)
    assert rerun.added == 1 and _claim_of_post(rerun.corpus) == _claim_of_post(scratch.corpus)
    assert not [t for t in encoded if "Marrow" in t]


DEATH_POST = "Celebrity dog trainer Tomas Grell died of a heart attack this morning.\n"
DEATH_ARTICLE = (
    "Tomas Grell, who trained dogs on television for two decades, has passed away at 61 after his heart stopped "
    "at his home in Vessa, his family said in a statement.\n\nGrell's books sold millions of copies. A memorial "
    "is planned for next month.\n"
)
MEMOIR = (
    "Tomas Grell's publisher will release his memoir in May, the company said.\n\nThe book covers his early "
    "years as a farm hand.\n"
)


@pytest.mark.parametrize("with_pass", [True, False])
def test_a_post_joins_the_claim_it_restates_not_another_about_the_same_man(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_pass: bool
) -> None:
    """A one-sentence post in its own voice that names an actor is a claim of its own (as a quoted source's
    statement is); restating another document's claim, it joins it (and not the other claim about the same
    man)."""
    if not with_pass:
        monkeypatch.setattr(stage, "_lone_titles", lambda run, grouping, claims, core, topics: claims)
    files = _write(
        tmp_path / "in", {"post.txt": DEATH_POST, "article.txt": DEATH_ARTICLE, "memoir.txt": MEMOIR}
    )
    corpus = analyze(files, None, db=f"sqlite:///{tmp_path / 'cg.db'}", options=OPTIONS).corpus
    assert _claim_of_post(corpus) == ({"post.txt", "article.txt"} if with_pass else {"post.txt"})
    assert {"memoir.txt"} in _claims_by_file(corpus)  # the memoir stays a claim of its own


@pytest.mark.parametrize(
    "post",
    [
        "Harbour Lines will stop its night ferry to the islands at the end of the month.\n",
        "A spider burrowed under a tourist's skin and lived there for three days\n",  # names nobody
    ],
)
def test_a_post_is_a_claim_by_itself_though_nobody_repeats_it(tmp_path: Path, post: str) -> None:
    """A one-sentence document is all its author says: a claim of its own (as a quoted source's statement is),
    not a background line of an article; and it makes one statement, not two."""
    other = "Heavy rain is expected in Orlen on Thursday, forecasters said.\n\nSchools will stay open.\n"
    files = _write(tmp_path / "in", {"post.txt": post, "weather.txt": other})
    corpus = analyze(files, None, db=f"sqlite:///{tmp_path / 'cg.db'}", options=OPTIONS).corpus
    assert _claim_of_post(corpus) == {"post.txt"}
    (post_doc,) = [d.id for d in corpus.documents if Path(d.path or "").name == "post.txt"]
    assert len([s for s in corpus.statements if s.document_id == post_doc]) == 1


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Rebel Leader Killed in U.S. Airstrike, Officials Say\n", True),  # "U.S." ends no sentence
        ("J.R. Holm Asks Council To Move Up Vote On Harbour Bridge", True),
        ("GOP Rep. Ann Holm Says 10 Smugglers Held At Harbour", True),
        ("Ferry service ends at 10 p.m. tonight, the operator said.", True),
        ("Will the night ferry stop running?", True),
        ("Ferry service ends tonight. Passengers should check the timetable.", False),  # two sentences
        ("Is the ferry stopping? Harbour Lines says yes", False),
        ("Ferry service ends tonight.\nPassengers should check the timetable.", False),  # two lines
        ("   \n", False),
    ],
)
def test_what_is_a_post(text: str, post: bool) -> None:
    assert stage._is_post(text) is post


AUDIT = (
    "Ilsa Marrow will receive no severance payment from Kessing Bank, the board's chairman Piet Holm "
    "said on Tuesday.\n\n"
    "Holm said a search for a new head would begin in April.\n"
)


def test_a_title_joins_every_claim_it_restates_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The join's mechanics with the meaning scores set by hand: the post restates (at or above the threshold)
    the minister's statement and the chairman's, two claims of their own; they become one claim with the post,
    kept under the best-scoring one's id and wording; what scores below the threshold stays apart."""
    import numpy as np

    def scores(self, owner, cols, texts):  # type: ignore[no-untyped-def]
        def score(a: int, b: int) -> float:
            if "quits" not in texts[a]:
                return 0.0
            return 0.95 if "stepped down" in texts[b] else 0.9 if "severance" in texts[b] else 0.2

        return np.array([score(a, b) for a, b in zip(owner.tolist(), cols.tolist(), strict=True)])

    files = _write(
        tmp_path / "in", {"post.txt": POST, "quoted.txt": QUOTED, "audit.txt": AUDIT, "decoy.txt": DECOY}
    )
    with monkeypatch.context() as off:  # the control: without the pass, two claims and the post alone
        off.setattr(stage, "_lone_titles", lambda run, grouping, claims, core, topics: claims)
        before = analyze(files, None, db=f"sqlite:///{tmp_path / 'b.db'}", options=OPTIONS).corpus
    by_file = _claims_by_file(before)
    assert {"quoted.txt"} in by_file and {"audit.txt"} in by_file and {"post.txt"} in by_file
    (minister,) = [c for c in before.claims if "stepped down" in c.text]
    (chairman,) = [c for c in before.claims if "severance" in c.text]

    monkeypatch.setattr(EmbeddingMatcher, "meaning_similarity", scores)
    after = analyze(files, None, db=f"sqlite:///{tmp_path / 'a.db'}", options=OPTIONS).corpus
    assert _claim_of_post(after) == {"post.txt", "quoted.txt", "audit.txt"}
    (joined,) = [c for c in after.claims if "post.txt" in _files_of(after, c)]
    assert joined.id == minister.id and joined.text == minister.text  # the best-scoring claim is the host
    # the merged claim names what both claims named (Holm, the chairman, too), counted as a claim is made
    assert set(minister.entity_ids) | set(chairman.entity_ids) <= set(joined.entity_ids)
    assert set(chairman.entity_ids) - set(minister.entity_ids)
    assert len(after.claims) == len(before.claims) - 2


def _files_of(corpus: Corpus, claim: object) -> set[str]:
    name = {d.id: Path(d.path or "").name for d in corpus.documents}
    doc_of = {s.id: s.document_id for s in corpus.statements}
    return {name[doc_of[sid]] for sid in getattr(claim, "statement_ids", [])}


def test_what_is_a_post_is_linear_in_the_text() -> None:
    """One pass over the words: a one-line record of a million characters without a space (a pasted blob) is
    answered at once (a lazy regular expression over it took minutes; the bound is generous)."""
    import time

    start = time.process_time()
    assert stage._is_post("x" * 1_000_000) is True
    assert stage._is_post("word " * 200_000 + "end. Next") is False
    assert time.process_time() - start < 2.0
