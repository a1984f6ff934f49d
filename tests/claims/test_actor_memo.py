"""The actor memo (``claims/actormemo.py``): an item's actor tokens, first actor and keys are reused only while
everything they read is unchanged. Each test stores a run's values, changes one input, and compares the next
run's values, read through the memo, with a run that has no stored values; the first test checks that the
memo is used at all. Dropping any one of the memo's three checks (the document entry's key, the demonym
words' entities, the expanded entities' names) makes one of these tests fail."""

from __future__ import annotations

from typing import Any

from corpus_builder import CorpusBuilder, FakeStanceModel
from memo_helpers import DictStore

from claimgraph.claims.actormemo import ActorMemo
from claimgraph.claims.stage import _item_values, _prepare, build_claims
from claimgraph.claims.tfidf import TfidfMatcher
from claimgraph.model import Alias, Corpus, Entity, Statement, stable_id
from claimgraph.options import Options


def _corpus() -> tuple[Corpus, dict[str, Statement]]:
    b = CorpusBuilder()
    norvania = b.entity("Norvania", "location")
    b.entity("Ostmark Group", "organization", aliases=("Ostmark",))
    b.entity("Lina Varro", "person", aliases=("Varro",))
    first = b.doc(
        "a",
        "Norvanian troops crossed the river at dawn. Ostmark Group shipped 400 rifles to the border. "
        "Lina Varro said the convoy was late.",
        title="Ostmark Group ships rifles",
    )
    second = b.doc("b", "The Ostmark convoy reached the border. Varro said Norvanian officers met it.")
    desk = b.source("desk", "outlet", docs=[first, second])
    varro = b.source("Lina Varro", "person", docs=[first, second])
    said = {
        "troops": b.say(
            first, desk, "Norvanian troops crossed the river at dawn.", mode="assertion", cue=None
        ),
        "rifles": b.say(
            first, desk, "Ostmark Group shipped 400 rifles to the border.", mode="assertion", cue=None
        ),
        "title": b.say(first, desk, "Ostmark Group ships rifles", mode="assertion", cue=None, part="title"),
        "late": b.say(first, varro, "the convoy was late"),
        "convoy": b.say(second, desk, "The Ostmark convoy reached the border.", mode="assertion", cue=None),
        "officers": b.say(second, varro, "Norvanian officers met it", mode="indirect"),
    }
    # the troops are named through the demonym only (no entity id of its own)
    said["troops"].entity_ids = []
    said["officers"].entity_ids = []
    assert norvania.id not in said["troops"].entity_ids
    return b.build(), said


def _values(corpus: Corpus, store: DictStore) -> tuple[dict[str, tuple[Any, ...]], ActorMemo | None]:
    """Every statement's values as the matching pass makes them, with ``store`` as the memo's store (its
    stored values read, this run's written)."""
    matcher = TfidfMatcher(idf="fixed")
    matcher.component_store = store
    run = _prepare(corpus, Options(), store)
    items = run.statements
    match_items, _figures, subjects, keys, edge_keys = _item_values(run, matcher, items)
    memo = run.actor_memo
    assert memo is not None and keys is not None and edge_keys is not None
    memo.save(
        items, [m.names for m in match_items], subjects, keys, edge_keys, run.entity_tokens, run.demonyms
    )
    out = {
        st.id: (m.names, m.entity_ids, subject, key, edge_key)
        for st, m, subject, key, edge_key in zip(items, match_items, subjects, keys, edge_keys, strict=True)
    }
    return out, memo


def _check(corpus: Corpus, store: DictStore) -> ActorMemo:
    """The values read through ``store`` equal those of a run with nothing stored."""
    reused, memo = _values(corpus, store)
    fresh, _ = _values(corpus, DictStore())
    assert reused == fresh
    assert memo is not None
    return memo


def test_an_unchanged_corpus_reuses_every_value_and_a_new_document_only_computes_its_own() -> None:
    corpus, _said = _corpus()
    store = DictStore()
    _values(corpus, store)
    memo = _check(corpus, store)
    assert (memo.hits, memo.misses, memo.written) == (len(corpus.statements), 0, 0)
    b = CorpusBuilder()
    doc = b.doc("c", "Ostmark Group denied the shipment.")
    b.say(
        doc,
        b.source("desk", "outlet", docs=[doc]),
        "Ostmark Group denied the shipment.",
        mode="assertion",
        cue=None,
    )
    corpus.documents.append(doc)
    corpus.statements.extend(b.corpus.statements)
    corpus.statements[-1].entity_ids = [e.id for e in corpus.entities if e.name == "Ostmark Group"]
    memo = _check(corpus, store)
    assert (memo.hits, memo.misses, memo.written) == (len(corpus.statements) - 1, 1, 1)


def test_a_new_alias_changes_the_values_of_the_statements_naming_its_entity() -> None:
    corpus, said = _corpus()
    store = DictStore()
    before, _ = _values(corpus, store)
    ostmark = next(e for e in corpus.entities if e.name == "Ostmark Group")
    ostmark.aliases.append(Alias(name="Ostmark Holdings", document_id=None, rule="mention"))
    after, memo = _values(corpus, store)
    fresh, _ = _values(corpus, DictStore())
    assert after == fresh
    assert after[said["rifles"].id][0] != before[said["rifles"].id][0]  # "holding" is a token of it now
    assert memo is not None and memo.misses == sum(ostmark.id in s.entity_ids for s in corpus.statements)


def test_a_new_name_that_makes_a_demonym_ambiguous_changes_what_it_names() -> None:
    # "Norvanian" names Norvania; with a place "Norvan" as well it names neither (two places fit): the
    # troops lose their actor, though no entity they name changed its names
    corpus, said = _corpus()
    store = DictStore()
    before, _ = _values(corpus, store)
    corpus.entities.append(Entity(id=stable_id("ent", "Norvan"), name="Norvan", type="location"))
    after = _check(corpus, store)
    troops = said["troops"].id
    assert before[troops][1] and not _values(corpus, DictStore())[0][troops][1]
    assert after.misses == 2


def test_an_entity_gone_changes_the_values_that_read_its_names() -> None:
    corpus, said = _corpus()
    store = DictStore()
    before, _ = _values(corpus, store)
    corpus.entities = [e for e in corpus.entities if e.name != "Ostmark Group"]
    memo = _check(corpus, store)
    rifles = said["rifles"].id
    assert before[rifles] != _values(corpus, DictStore())[0][rifles]  # neither its tokens nor its first actor
    assert memo.misses == 3


def test_a_changed_text_or_entity_list_is_computed_again() -> None:
    corpus, said = _corpus()
    store = DictStore()
    _values(corpus, store)
    said["convoy"].entity_ids = []
    memo = _check(corpus, store)
    assert memo.misses == 2  # both items of the document
    said["rifles"].text = "Ostmark Group shipped 500 rifles to the border."
    memo = _check(corpus, store)
    assert memo.misses == 4


def test_a_damaged_entry_is_a_miss_and_is_replaced() -> None:
    corpus, _said = _corpus()
    store = DictStore()
    _values(corpus, store)
    namespace = next(iter(store.data))
    entries = store.data[namespace]
    key = next(k for k in entries if k != "tables")
    entries[key] = [["x"], ["y"], [None], "zz", "zz"]
    memo = _check(corpus, store)
    assert memo.written == 1
    memo = _check(corpus, store)
    assert memo.misses == 0


def test_the_stage_gives_the_same_claims_with_and_without_the_memo() -> None:
    def claims(store: DictStore | None) -> list[Any]:
        corpus, _ = _corpus()
        matcher = TfidfMatcher(idf="fixed")
        matcher.component_store = store
        build_claims(corpus, Options(), matcher=matcher, stance_model=FakeStanceModel())
        return [(c.id, c.statement_ids, c.entity_ids, c.text) for c in corpus.claims] + [
            (s.id, s.claim_id, s.stance) for s in corpus.statements
        ]

    store = DictStore()
    assert claims(store) == claims(None)
    assert claims(store) == claims(None)  # the second run reads the first's values


def test_the_document_keys_are_the_same_with_and_without_the_stored_text_facts() -> None:
    from claimgraph.claims.actors import DemonymIndex
    from claimgraph.claims.textfacts import StoredTextFacts

    corpus, _said = _corpus()
    facts = StoredTextFacts(DictStore(), corpus.statements, namespace="test")
    through_facts, alone = ActorMemo(None, "test"), ActorMemo(None, "test")
    through_facts.load(corpus.statements, corpus.entities, DemonymIndex(corpus.entities), facts.by_document)
    alone.load(corpus.statements, corpus.entities, DemonymIndex(corpus.entities))
    assert through_facts._doc_keys == alone._doc_keys
    assert len(alone._doc_keys) == len(corpus.documents)


def test_a_text_holding_the_separators_does_not_share_a_key() -> None:
    # the texts' digest joins text and cue with separators: "x\x01y" + "" and "x" + "y\x01" digest alike;
    # the lengths in the document key tell them apart
    from claimgraph.claims.actormemo import document_key
    from claimgraph.claims.textfacts import StoredTextFacts

    _unused, said = _corpus()
    st = said["late"]
    st.text, st.cue = "x\x01y", None
    first = (StoredTextFacts.key([st]), document_key(st.document_id, StoredTextFacts.key([st]), [st]))
    st.text, st.cue = "x", "y\x01"
    second = (StoredTextFacts.key([st]), document_key(st.document_id, StoredTextFacts.key([st]), [st]))
    assert first[0] == second[0] and first[1] != second[1]


def test_a_name_with_the_same_tokens_counts_only_where_the_text_holds_it() -> None:
    # "OSTMARK GROUP" has the tokens of "Ostmark Group": the statements that do not contain it keep their
    # values; the one that does gets another first actor (its earliest name is now at offset 0)
    corpus, _said = _corpus()
    b = CorpusBuilder()
    doc = b.doc("c", "OSTMARK GROUP shipped the rifles, Lina Varro said.")
    shout = b.say(doc, b.source("desk", "outlet", docs=[doc]), "OSTMARK GROUP shipped the rifles, Lina Varro said.",
                  mode="assertion", cue=None)  # fmt: skip
    ostmark = next(e for e in corpus.entities if e.name == "Ostmark Group")
    varro = next(e for e in corpus.entities if e.name == "Lina Varro")
    shout.entity_ids = sorted([ostmark.id, varro.id])
    corpus.documents.append(doc)
    corpus.statements.append(shout)
    store = DictStore()
    before, _ = _values(corpus, store)
    ostmark.aliases.append(Alias(name="Ostmark Group", document_id="doc-c", rule="mention"))  # its name again
    memo = _check(corpus, store)
    assert memo.misses == 0
    ostmark.aliases.append(Alias(name="OSTMARK GROUP", document_id="doc-c", rule="variant"))
    memo = _check(corpus, store)
    assert memo.misses == 1
    after, _ = _values(corpus, DictStore())
    assert (before[shout.id][2], after[shout.id][2]) == (varro.id, ostmark.id)
    assert before[shout.id][0] == after[shout.id][0]  # the same tokens


def test_an_entity_id_of_no_entity_then_of_a_new_entity_counts() -> None:
    # a statement's entity id that names no entity of the corpus reads as no names; once an entity with
    # that id exists, its names count (here: the earliest name, so the first actor)
    corpus, said = _corpus()
    late = said["late"]
    late.text = "the Kell convoy was late"
    late.entity_ids = [stable_id("ent", "Kell")]
    store = DictStore()
    before, _ = _values(corpus, store)
    corpus.entities.append(Entity(id=stable_id("ent", "Kell"), name="Kell", type="organization"))
    memo = _check(corpus, store)
    assert memo.misses == 1
    assert before[late.id][2] is None and _values(corpus, DictStore())[0][late.id][2] == late.entity_ids[0]


def test_the_document_key_is_the_digest_of_its_parts_written_out() -> None:
    # entries stored by earlier runs are found again only while the key's text stays the same
    import hashlib

    from claimgraph.claims.actormemo import document_key

    statements = [
        Statement(
            id=f"st-{k}",
            document_id="doc",
            source_id="src",
            text=text,
            cue=cue,
            mode="direct",
            certainty="asserted",
            certainty_cues=[],
            start=k,
            end=k + 1,
            entity_ids=entities,
            part=part,
        )
        for k, (text, cue, entities, part) in enumerate(
            [
                ("Russian officials denied it.", "denied", ["ent-b", "ent-a"], "title"),
                ("Le ministère a démenti.", None, [], "text"),
                ("No comment.", "declined", ["ent-c"], "text"),
            ]
        )
    ]
    own = "\1".join(
        f"{st.id}\1{st.part}\1{len(st.text)}\1{len(st.cue or '')}\1{chr(2).join(sorted(st.entity_ids))}"
        for st in statements
    )
    expected = hashlib.sha256(f"doc\1textkey\1{own}".encode("utf-8", "surrogatepass")).hexdigest()
    assert document_key("doc", "textkey", statements) == expected
