"""Plain-words explanations of a claim's grade, for an editor to paste.

Style: attribute, never assert. The text says who carries the claim and on whose word, never that
the claim is true or false. Example::

    Rests on one origin (J. Smith, consultant), first published by J. Smith on Acme Review; relayed by
    two other outlets, plus one syndicated copy. Circular reporting: 4 documents carry it, all tracing
    back to one origin. The syndicated copy adds no origin. Disputed by one named
    source (Ana Ruiz, expert). One spokesperson declined to confirm (a spokesperson for the Russian
    foreign ministry). Not independently corroborated. Admiralty F4: source reliability not judged
    (not in the reliability registry); credibility 4, doubtful.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..model import UNNAMED_OUTLET, Source
from ..vocab import shown_role
from .grading import CREDIBILITY_LABELS, RELIABILITY_LABELS
from .origins import ClaimProvenance

__all__ = ["collapse_unnamed", "explain_claim", "number"]

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return word if n == 1 else (plural or word + "s")


def collapse_unnamed(names: Sequence[str]) -> list[str]:
    """``names`` with every :data:`~claimgraph.model.UNNAMED_OUTLET` after the first dropped and the first
    counted: ``["X", "an unnamed outlet", "an unnamed outlet"]`` -> ``["X", "two unnamed outlets"]``. Each
    document without a named outlet has one of its own, so several are several outlets, never one."""
    n = names.count(UNNAMED_OUTLET)
    if n < 2:
        return list(names)
    out: list[str] = []
    for name in names:
        if name != UNNAMED_OUTLET:
            out.append(name)
        elif n:
            out.append(f"{number(n)} unnamed outlets")
            n = 0
    return out


def role_of(source: Source | None) -> str | None:
    """The source's role as an explanation may say it (:func:`claimgraph.vocab.shown_role`): ``None`` for
    no role or a role that is only an honorific ("Dr.", "Mr", "Prof."): a form of address is not a role."""
    return _shown_role(source.role) if source is not None else None


#: :func:`claimgraph.vocab.shown_role` of each role string once (sources share few roles, and each claim's
#: explanation asks its sources' roles again)
_shown_role = lru_cache(maxsize=4096)(shown_role)


def _describe(source: Source | None) -> str:
    if source is None:
        return "an unknown source"
    if source.kind == "anonymous":
        return f"anonymous: {source.description or source.label}"
    role = role_of(source)
    if role and role.casefold() not in source.label.casefold():
        return f"{source.label}, {role}"
    return source.label


def _group_phrase(
    sources: Sequence[Source | None], verb_noun: str = "source", *, say_named: bool = True
) -> tuple[str, str]:
    """("one named expert", "Ana Ruiz") style count phrase and the list of who."""
    n = len(sources)
    named = [s for s in sources if s is not None and s.kind != "anonymous"]
    # one role shared by every source becomes the noun, in the sources' own casing ("CEO of Acme")
    shown = [role_of(s) or "" for s in sources if s is not None]
    roles = {role.casefold(): role for role in shown}
    if len(roles) == 1 and "" not in roles:
        noun = next(iter(roles.values()))
        noun_plural = noun + "s"
    else:
        noun, noun_plural = verb_noun, verb_noun + "s"
    prefix = "named " if named and len(named) == n and say_named else ("anonymous " if not named else "")
    who = "; ".join(
        collapse_unnamed(
            [
                (s.description or s.label)
                if s is not None and s.kind == "anonymous"
                else (s.label if s else "unknown")
                for s in sources
            ]
        )
    )
    return f"{number(n)} {prefix}{_plural(n, noun, noun_plural)}", who


def _outlet_key(doc_id: str, name: str) -> tuple[str, str]:
    """An outlet is its name, but each document's unnamed outlet is an outlet of its own."""
    return name, (doc_id if name == UNNAMED_OUTLET else "")


def explain_claim(
    prov: ClaimProvenance,
    sources: dict[str, Source],
    reliability: str,
    reliability_source: str | None,
    cred: int,
) -> str:
    """The explanation of one claim's grade (see the module docstring for the style)."""
    parts: list[str] = []

    def who_of(group: str) -> Source | None:
        return sources.get(prov.representative.get(group, group))

    origins = [who_of(g) for g in prov.supporting_groups]
    syndicated = set(prov.syndicated_documents)
    written = set(prov.written_by_origin)
    # outlets that published an origin's own text, and the outlets that relayed it (syndicated copies
    # and the origins' own outlets are not relays)
    own = {_outlet_key(d, prov.document_outlets[d]) for d in written if d in prov.document_outlets}
    own_outlets = collapse_unnamed(sorted(name for name, _ in own)) if own else []
    relay_outlets = {
        _outlet_key(d, name)
        for d, name in prov.document_outlets.items()
        if d not in syndicated and d not in written
    } - own
    n_relays, n_copies = len(relay_outlets), len(syndicated)
    relayed = ""
    if n_relays:
        names = collapse_unnamed(sorted(name for name, _ in relay_outlets))
        named = f" ({'; '.join(names)})" if n_relays <= 3 else ""
        verb, other = ("relayed by", "other ") if own_outlets else ("carried by", "")
        if n_relays > 1 and all(name == UNNAMED_OUTLET for name, _ in relay_outlets):
            other, named = other + "unnamed ", ""  # "carried by four unnamed outlets"
        relayed = f"{verb} {number(n_relays)} {other}{_plural(n_relays, 'outlet')}{named}"
    if n_copies:
        copies = f"{number(n_copies)} syndicated {_plural(n_copies, 'copy', 'copies')}"
        relayed = f"{relayed}, plus {copies}" if relayed else f"republished in {copies}"
    if origins:
        who = "; ".join(collapse_unnamed([_describe(s) for s in origins]))
        if len(origins) == 1:
            sentence = f"Rests on one origin ({who})"
        else:
            sentence = f"Rests on {number(len(origins))} independent origins ({who})"
        if own_outlets:
            authors = [sources[s].label for s in prov.origin_authors if s in sources]
            by = " and ".join(authors) if authors else ("it" if len(origins) == 1 else "them")
            sentence += f", first published by {by} on {' and '.join(own_outlets)}"
        if relayed:
            sentence += f"; {relayed}"
        parts.append(sentence + ".")
    elif prov.origin_ids:
        first = sources.get(prov.origin_ids[0])
        tail = f"; {relayed}" if relayed else ""
        parts.append(
            f"No source on record asserts it; the earliest trace is {_describe(first)} relaying it{tail}."
        )
    else:
        parts.append("No source on record supports it.")
    if len(origins) <= 1 and len(prov.carrying_documents) >= 2:
        parts.append(
            f"Circular reporting: {len(prov.carrying_documents)} documents carry it, "
            f"all tracing back to {'one origin' if origins else 'no identifiable origin'}."
        )
    if n_copies:
        parts.append(f"The syndicated {_plural(n_copies, 'copy adds', 'copies add')} no origin.")

    def in_role(stance: str, group: str) -> Source | None:
        return sources.get(prov.role_representative.get((stance, group), "")) or who_of(group)

    if prov.retracting_groups:
        phrase, who = _group_phrase([in_role("retracts", g) for g in prov.retracting_groups])
        parts.append(f"Retracted by {phrase} that had carried it ({who}).")
    if prov.disputing_groups:
        phrase, who = _group_phrase([in_role("disputes", g) for g in prov.disputing_groups])
        parts.append(f"Disputed by {phrase} ({who}).")
    if prov.denying_groups:
        phrase, who = _group_phrase([in_role("denies", g) for g in prov.denying_groups])
        parts.append(f"Denied by {phrase} ({who}).")
    if prov.declining_groups:
        phrase, who = _group_phrase([in_role("declines", g) for g in prov.declining_groups], say_named=False)
        parts.append(f"{phrase[0].upper()}{phrase[1:]} declined to confirm ({who}).")
    if len(origins) >= 2:
        parts.append(f"Independently corroborated by {number(len(origins))} origins.")
    elif len(origins) == 1:
        parts.append("Not independently corroborated.")
    if reliability_source:
        rel = f"{reliability_source} rated {reliability} ({RELIABILITY_LABELS[reliability]}) in the reliability registry"
    else:
        rel = "source reliability not judged (not in the reliability registry)"
    parts.append(
        f"Admiralty {reliability}{cred}: {rel}; credibility {cred}, {CREDIBILITY_LABELS[cred].lower()}."
    )
    return " ".join(parts)
