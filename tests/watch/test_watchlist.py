"""The watchlist file: what is accepted, and one line naming the file and the reason for each bad entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import ConfigError
from claimgraph.watch.watchlist import load_watchlist, parse_duration

GOOD = """
interval: 20m
sources:
  - feed: https://wire.example/rss.xml
    every: 90
  - url: https://council.example/notices.html
    every: 1.5h
  - https://other.example/page.html
track:
  claims:
    - id: claim-0123456789abcdef
    - query: "pumping station contract"
  entities: [Dunmore Valve Works, "  Priya   Natt "]
  outlets: [Lowfield Evening Times]
webhooks:
  - url: https://hooks.example/claimgraph
    secret_env: HOOK_SECRET
    retries: 5
    backoff: 0.5
  - https://second.example/hook
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_watchlist(tmp_path: Path) -> None:
    plan = load_watchlist(_write(tmp_path, GOOD), env={"HOOK_SECRET": "s3"}.get)
    assert plan.problems == []
    assert [(s.url, s.feed, s.every) for s in plan.sources] == [
        ("https://wire.example/rss.xml", True, 90.0),
        ("https://council.example/notices.html", False, 5400.0),
        ("https://other.example/page.html", False, 1200.0),
    ]
    assert plan.claim_ids == ["claim-0123456789abcdef"] and plan.queries == ["pumping station contract"]
    assert plan.entities == ["Dunmore Valve Works", "Priya Natt"] and plan.outlets == [
        "Lowfield Evening Times"
    ]
    first, second = plan.webhooks
    assert (first.secret, first.retries, first.backoff) == ("s3", 5, 0.5)
    assert (second.url, second.secret, second.retries) == ("https://second.example/hook", None, 3)


BAD = """
colour: blue
interval: 20m
sources:
  - feed: https://wire.example/rss.xml
  - feed: ftp://wire.example/rss.xml
  - url: https://a.example/
    every: soon
  - feed: https://b.example/
    url: https://b.example/page
  - feed: https://wire.example/rss.xml
  - 42
track:
  claims:
    - id: ""
    - query: "?!"
    - text: pumps
  entities: [Dunmore Valve Works, {name: x}]
  people: [Somebody]
webhooks:
  - url: https://hooks.example/a
    secret_env: NOT_SET_ANYWHERE
  - url: https://hooks.example/b
    retries: -1
  - url: mailto:desk@example.org
"""


def test_each_bad_entry_is_one_line_naming_the_file_and_the_reason(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD)
    plan = load_watchlist(path, env={}.get)
    assert [s.url for s in plan.sources] == ["https://wire.example/rss.xml"]
    assert plan.entities == ["Dunmore Valve Works"] and plan.webhooks == []
    assert plan.claim_ids == [] and plan.queries == []
    for line in plan.problems:
        assert line.startswith(f"[E120] watchlist {path}: ") and "\n" not in line
    reasons = [line.split(f"{path}: ", 1)[1] for line in plan.problems]
    assert reasons == [
        "colour: unknown key (expected interval, sources, track, webhooks)",
        "sources[1]: 'ftp://wire.example/rss.xml' is not an http(s) URL",
        "sources[2]: every: 'soon' is not a duration such as 90, 30s, 15m or 1h",
        "sources[3]: give exactly one of 'feed' (an RSS/Atom feed) or 'url' (a page)",
        "sources[4]: https://wire.example/rss.xml is listed twice",
        "sources[5]: expected a mapping with 'feed' or 'url' (and 'every')",
        "track.people: unknown key (expected claims, entities or outlets)",
        "track.claims[0]: expected a non-empty id or query",
        "track.claims[1]: query '?!' has no words",
        "track.claims[2]: expected {id: CLAIM-ID} or {query: WORDS}",
        "track.entities[1]: expected a non-empty name",
        "webhooks[0]: environment variable NOT_SET_ANYWHERE (secret_env) is not set",
        "webhooks[1]: retries must be 0-20, backoff a number of seconds >= 0, timeout a duration",
        "webhooks[2]: expected {url: http(s)://..., secret_env: VARIABLE}",
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sources: [\n", "not valid YAML on line"),
        ("- just\n- a list\n", "expected a mapping with sources, track and webhooks"),
        ("track:\n  entities: [X]\n", "no valid source to poll"),
        ("sources:\n  - feed: nope\n", "no valid source to poll"),
    ],
)
def test_an_unusable_watchlist_is_one_error(tmp_path: Path, text: str, reason: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_watchlist(path)
    message = str(info.value)
    assert message.startswith(f"[E120] watchlist {path}: ") and reason in message and "\n" not in message


def test_a_missing_file_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[E120\] watchlist .*nowhere\.yaml: cannot read it"):
        load_watchlist(tmp_path / "nowhere.yaml")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(90, 90.0), ("30s", 30.0), ("15m", 900.0), ("1.5h", 5400.0), ("2d", 172800.0), (" 10 M ", 600.0)],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", [0, -5, "0s", "soon", "5 weeks", True, None, float("inf")])
def test_bad_durations(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)
