"""Accounts, API tokens and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from claimgraph.errors import WorkspaceError
from claimgraph.store import _tables as t
from claimgraph.workspace import Workspace


def test_users_add_authenticate_and_refuse_duplicates(ws: Workspace) -> None:
    ana = ws.users.add("ana.ferreira", "correct horse battery", "admin")
    ws.users.add("tomas", "another passphrase", "reader")
    assert ana.role == "admin" and ana.is_admin and ana.can_write
    assert ws.users.authenticate("ana.ferreira", "correct horse battery") == ana
    assert ws.users.authenticate("ana.ferreira", "correct horse batterY") is None
    assert ws.users.authenticate("nobody", "correct horse battery") is None
    with pytest.raises(WorkspaceError, match=r"\[E401\] user 'ana.ferreira' already exists"):
        ws.users.add("ana.ferreira", "whatever passphrase", "analyst")
    assert [u.name for u in ws.users.list()] == ["ana.ferreira", "tomas"]
    reader = ws.users.by_name("tomas")
    assert reader is not None and reader.role == "reader" and not reader.can_write
    assert ws.users.get(ana.id) == ana and ws.users.get(9999) is None


def test_passwords_are_stored_as_argon2_hashes_only(ws: Workspace) -> None:
    ws.users.add("ana", "correct horse battery", "analyst")
    with ws.store._engine.connect() as conn:
        stored = conn.execute(sa.select(t.ws_users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert "correct horse battery" not in stored


@pytest.mark.parametrize(
    ("name", "password", "role", "what"),
    [
        ("ana", "short", "admin", "password"),
        ("has space", "long enough pass", "admin", "user name"),
        ("", "long enough pass", "admin", "user name"),
        ("ana", "long enough pass", "editor", "role"),
    ],
)
def test_bad_users_are_refused(ws: Workspace, name: str, password: str, role: str, what: str) -> None:
    with pytest.raises(WorkspaceError, match=rf"\[E403\] {what} is not valid"):
        ws.users.add(name, password, role)
    assert ws.users.list() == []


def test_set_password_role_and_disable(ws: Workspace) -> None:
    user = ws.users.add("lena", "first passphrase", "analyst")
    ws.users.set_password(user.id, "second passphrase")
    assert ws.users.authenticate("lena", "first passphrase") is None
    assert ws.users.authenticate("lena", "second passphrase") is not None
    assert ws.users.set_role(user.id, "reader").role == "reader"
    disabled = ws.users.disable(user.id)
    assert disabled.disabled and not disabled.can_write
    assert ws.users.authenticate("lena", "second passphrase") is None
    assert ws.users.disable(user.id, False).disabled is False
    with pytest.raises(WorkspaceError, match=r"\[E402\] no such user: 4242"):
        ws.users.set_password(4242, "third passphrase")


def test_outdated_hash_is_replaced_on_login(ws: Workspace) -> None:
    from argon2 import PasswordHasher

    user = ws.users.add("ana", "correct horse battery", "admin")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse battery")
    with ws.store._engine.begin() as conn:
        conn.execute(t.ws_users.update().values(password_hash=weak))
    assert ws.users.authenticate("ana", "correct horse battery") == user
    with ws.store._engine.connect() as conn:
        stored = conn.execute(sa.select(t.ws_users.c.password_hash)).scalar_one()
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)


def test_api_tokens_hashed_at_rest_verify_and_revoke(ws: Workspace) -> None:
    ana = ws.users.add("ana", "correct horse battery", "analyst")
    bob = ws.users.add("bob", "correct horse battery", "reader")
    plaintext, token = ws.tokens.create(ana, "nightly import")
    other, _ = ws.tokens.create(bob, "bob's script")
    assert plaintext.startswith("cgt_") and len(plaintext) > 40 and plaintext != other
    with ws.store._engine.connect() as conn:
        hashes = list(conn.execute(sa.select(t.ws_tokens.c.token_hash)).scalars())
        texts = [str(v) for row in conn.execute(sa.select(t.ws_tokens)) for v in row]
    assert all(plaintext not in v for v in texts)
    import hashlib

    assert hashlib.sha256(plaintext.encode()).hexdigest() in hashes
    assert ws.tokens.verify(plaintext) == ana
    assert ws.tokens.verify(other) == bob
    assert ws.tokens.verify(plaintext + "x") is None
    assert ws.tokens.verify("") is None
    assert ws.tokens.get(token.id).last_used is not None  # type: ignore[union-attr]
    assert [tk.label for tk in ws.tokens.list(ana)] == ["nightly import"]
    assert len(ws.tokens.list()) == 2
    revoked = ws.tokens.revoke(token.id)
    assert revoked.revoked is not None and not revoked.active
    assert ws.tokens.verify(plaintext) is None
    assert ws.tokens.verify(other) == bob
    ws.users.disable(bob.id)
    assert ws.tokens.verify(other) is None  # a disabled account's tokens stop working
    with pytest.raises(WorkspaceError, match=r"\[E402\]"):
        ws.tokens.revoke(999)


def test_audit_log_newest_first_with_paging_and_filters(ws: Workspace) -> None:
    ana = ws.users.add("ana", "correct horse battery", "admin")
    for i in range(5):
        ws.audit.record(ana, "user.add", f"user{i}", {"role": "reader", "n": i})
    ws.audit.record(None, "job.finish", "7", {})
    entries = ws.audit.list(limit=3)
    assert [e.target for e in entries] == ["7", "user4", "user3"]
    assert entries[0].user_name is None and entries[1].user_name == "ana"
    assert entries[1].detail == {"role": "reader", "n": 4}
    assert [e.target for e in ws.audit.list(limit=2, offset=3)] == ["user2", "user1"]
    assert len(ws.audit.list(action="user.")) == 5
    assert [e.action for e in ws.audit.list(user="ana", limit=1)] == ["user.add"]
    assert ws.audit.count() == 6


def test_workspace_reopens_an_analysed_store(tmp_path, store_url: str) -> None:  # type: ignore[no-untyped-def]
    from claimgraph.store import Store

    with Store.open(store_url) as store:
        store.begin_run()
    with Workspace.open(store_url, files_dir=tmp_path / "f") as ws:
        ws.users.add("ana", "correct horse battery", "admin")
    with Workspace.open(store_url, files_dir=tmp_path / "f") as ws:
        assert [u.name for u in ws.users.list()] == ["ana"]
