"""`claimgraph users`: add, list, passwd, role, disable/enable, tokens; every change audited."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.workspace import Workspace


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def test_users_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    code, out = _run(
        "users", "add", "ana", "--role", "admin", "--db", db, input="correct horse\ncorrect horse\n"
    )
    assert code == 0 and "added ana (admin)" in out
    code, out = _run(
        "users", "add", "omar", "--role", "reader", "--db", db, "--password-stdin", input="another one\n"
    )
    assert code == 0, out
    code, out = _run(
        "users", "add", "omar", "--role", "reader", "--db", db, "--password-stdin", input="another one\n"
    )
    assert code == 1 and "error: [E401] user 'omar' already exists" in out
    code, out = _run(
        "users", "add", "bo", "--role", "reader", "--db", db, "--password-stdin", input="short\n"
    )
    assert code == 1 and "[E403] password is not valid" in out
    code, out = _run("users", "list", "--db", db)
    assert code == 0 and [line.split("\t")[:3] for line in out.splitlines()] == [
        ["ana", "admin", "enabled"],
        ["omar", "reader", "enabled"],
    ]
    assert _run("users", "passwd", "omar", "--db", db, "--password-stdin", input="new passphrase\n")[0] == 0
    assert _run("users", "role", "omar", "analyst", "--db", db)[0] == 0
    code, token = _run("users", "token", "omar", "--label", "nightly import", "--db", db)
    assert code == 0 and token.strip().startswith("cgt_")
    with Workspace.open(db) as ws:
        omar = ws.users.authenticate("omar", "new passphrase")
        assert omar is not None and omar.role == "analyst"
        assert ws.tokens.verify(token.strip()) == omar
    code, out = _run("users", "tokens", "--db", db)
    assert code == 0 and out.split("\t")[:3] == ["1", "omar", "nightly import"]
    assert _run("users", "revoke", "1", "--db", db)[0] == 0
    assert _run("users", "disable", "omar", "--db", db)[0] == 0
    code, out = _run("users", "disable", "nobody", "--db", db)
    assert code == 1 and "[E402] no such user: nobody" in out
    with Workspace.open(db) as ws:
        assert ws.tokens.verify(token.strip()) is None
        assert ws.users.authenticate("omar", "new passphrase") is None
        assert [e.action for e in ws.audit.list()] == [
            "user.disable",
            "token.revoke",
            "token.create",
            "user.role",
            "user.password",
            "user.add",
            "user.add",
        ]
    assert _run("users", "disable", "omar", "--enable", "--db", db)[0] == 0
    with Workspace.open(db) as ws:
        assert ws.users.authenticate("omar", "new passphrase") is not None
