"""Accounts and API tokens: users with a role and an argon2 password hash; tokens stored as SHA-256 only.

Roles: ``admin`` (everything, including accounts), ``analyst`` (adds documents, corrects, edits the
reliability registry), ``reader`` (reads only). Nothing here knows about HTTP: the server decides who may
do what from :attr:`User.role` (:attr:`User.can_write`, :attr:`User.is_admin`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

import sqlalchemy as sa

from ..errors import Errors, WorkspaceError
from ..store import _tables as t
from ._base import Part, invalid, missing, now

__all__ = ["ROLES", "ApiToken", "Role", "Tokens", "User", "Users", "hash_token"]

Role = Literal["admin", "analyst", "reader"]
ROLES: tuple[str, ...] = get_args(Role)

#: A user name: 1-64 characters, letters, digits and ``. _ @ -`` (no spaces: names are typed on command lines).
_NAME = re.compile(r"^[\w.@-]{1,64}$")
#: Shortest password accepted.
MIN_PASSWORD = 8
#: Longest password accepted (argon2 hashes anything, but a megabyte password is a denial of service).
MAX_PASSWORD = 1024
#: Prefix of every API token (so a leaked one is recognisable by secret scanners).
TOKEN_PREFIX = "cgt_"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    disabled: bool
    created: str
    password_changed: str

    @property
    def can_write(self) -> bool:
        """Admins and analysts may change the workspace; readers may not."""
        return self.role in ("admin", "analyst") and not self.disabled

    @property
    def is_admin(self) -> bool:
        return self.role == "admin" and not self.disabled


@dataclass(frozen=True)
class ApiToken:
    id: int
    user_id: int
    label: str
    created: str
    last_used: str | None
    revoked: str | None

    @property
    def active(self) -> bool:
        return self.revoked is None


def _hasher() -> Any:
    try:
        from argon2 import PasswordHasher
    except ImportError:  # pragma: no cover - the [server] extra is missing
        raise WorkspaceError(
            "accounts need argon2-cffi, which is not installed; run `pip install 'claimgraph[server]'`"
        ) from None
    return PasswordHasher()


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise invalid("user name", f"{name!r}: use 1-64 letters, digits, '.', '_', '@' or '-'")
    return name


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise invalid("password", f"use {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def _check_role(role: str) -> Role:
    if role not in ROLES:
        raise invalid("role", f"{role!r}; expected one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


def _user(row: Any) -> User:
    return User(
        id=int(row.id),
        name=row.name,
        role=row.role,
        disabled=bool(row.disabled),
        created=row.created,
        password_changed=row.password_changed,
    )


_USER_COLUMNS = (
    t.ws_users.c.id,
    t.ws_users.c.name,
    t.ws_users.c.role,
    t.ws_users.c.disabled,
    t.ws_users.c.created,
    t.ws_users.c.password_changed,
)


class Users(Part):
    """``ws.users``: add, authenticate, look up, change password or role, disable."""

    _dummy_hash: str | None = None

    def add(self, name: str, password: str, role: Role | str) -> User:
        """A new user; ``E401`` if the name is taken, ``E403`` for a bad name, password or role."""
        name = _check_name(name)
        _check_password(password)
        checked = _check_role(role)
        stamp = now()
        digest = _hasher().hash(password)
        with self.store._errors():
            try:
                with self.engine.begin() as conn:
                    taken = conn.execute(sa.select(t.ws_users.c.id).where(t.ws_users.c.name == name)).first()
                    if taken:
                        raise WorkspaceError(Errors.E401.format(name=name))
                    conn.execute(
                        t.ws_users.insert().values(
                            name=name,
                            role=checked,
                            password_hash=digest,
                            disabled=False,
                            created=stamp,
                            password_changed=stamp,
                        )
                    )
            except sa.exc.IntegrityError:  # added by somebody else between our check and our insert
                raise WorkspaceError(Errors.E401.format(name=name)) from None
        user = self.by_name(name)
        assert user is not None
        return user

    def get(self, user_id: int) -> User | None:
        with self.connect() as conn:
            row = conn.execute(sa.select(*_USER_COLUMNS).where(t.ws_users.c.id == user_id)).first()
        return None if row is None else _user(row)

    def by_name(self, name: str) -> User | None:
        with self.connect() as conn:
            row = conn.execute(sa.select(*_USER_COLUMNS).where(t.ws_users.c.name == name.strip())).first()
        return None if row is None else _user(row)

    def list(self) -> list[User]:
        """Every user, by name."""
        with self.connect() as conn:
            rows = conn.execute(sa.select(*_USER_COLUMNS).order_by(t.ws_users.c.name)).all()
        return [_user(r) for r in rows]

    def count(self) -> int:
        with self.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.ws_users)).scalar_one())

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs and the account is enabled, else ``None``.

        An unknown name costs one argon2 verification too (against a throw-away hash), so the answer
        time does not tell which names exist. A hash made with older argon2 parameters is replaced.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        hasher = _hasher()
        with self.connect() as conn:
            row = conn.execute(
                sa.select(*_USER_COLUMNS, t.ws_users.c.password_hash).where(t.ws_users.c.name == name.strip())
            ).first()
        if row is None or len(password) > MAX_PASSWORD:
            if Users._dummy_hash is None:
                Users._dummy_hash = hasher.hash(secrets.token_hex(16))
            with contextlib.suppress(VerificationError, InvalidHashError):
                hasher.verify(Users._dummy_hash, password[:MAX_PASSWORD])
            return None
        try:
            hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if row.disabled:
            return None
        if hasher.check_needs_rehash(row.password_hash):
            with self.begin() as conn:
                conn.execute(
                    t.ws_users.update()
                    .where(t.ws_users.c.id == row.id)
                    .values(password_hash=hasher.hash(password))
                )
        return _user(row)

    def _require(self, user_id: int) -> User:
        user = self.get(user_id)
        if user is None:
            raise missing("user", user_id)
        return user

    def set_password(self, user_id: int, password: str) -> User:
        _check_password(password)
        self._require(user_id)
        with self.begin() as conn:
            conn.execute(
                t.ws_users.update()
                .where(t.ws_users.c.id == user_id)
                .values(password_hash=_hasher().hash(password), password_changed=now())
            )
        return self._require(user_id)

    def set_role(self, user_id: int, role: Role | str) -> User:
        checked = _check_role(role)
        self._require(user_id)
        with self.begin() as conn:
            conn.execute(t.ws_users.update().where(t.ws_users.c.id == user_id).values(role=checked))
        return self._require(user_id)

    def disable(self, user_id: int, disabled: bool = True) -> User:
        """Disable (or with ``disabled=False`` enable again) an account: it can no longer log in, and its
        API tokens stop working."""
        self._require(user_id)
        with self.begin() as conn:
            conn.execute(t.ws_users.update().where(t.ws_users.c.id == user_id).values(disabled=disabled))
        return self._require(user_id)


def hash_token(plaintext: str) -> str:
    """SHA-256 (hex) of an API token: what the store keeps."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=int(row.id),
        user_id=int(row.user_id),
        label=row.label,
        created=row.created,
        last_used=row.last_used,
        revoked=row.revoked,
    )


_TOKEN_COLUMNS = (
    t.ws_tokens.c.id,
    t.ws_tokens.c.user_id,
    t.ws_tokens.c.label,
    t.ws_tokens.c.created,
    t.ws_tokens.c.last_used,
    t.ws_tokens.c.revoked,
)

#: ``last_used`` is written at most this often per token (not one write per API request).
_LAST_USED_EVERY = timedelta(seconds=60)


class Tokens(Part):
    """``ws.tokens``: API tokens for scripts. The plaintext is returned once by :meth:`create`."""

    def __init__(self, store: Any, users: Users) -> None:
        super().__init__(store)
        self.users = users

    def create(self, user: User, label: str) -> tuple[str, ApiToken]:
        """A new token for ``user``: ``(plaintext, token)``. Only the plaintext's SHA-256 is stored."""
        label = " ".join(label.split())[:200]
        if not label:
            raise invalid("token label", "empty")
        if self.users.get(user.id) is None:
            raise missing("user", user.id)
        plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.begin() as conn:
            result = conn.execute(
                t.ws_tokens.insert().values(
                    user_id=user.id, label=label, token_hash=hash_token(plaintext), created=now()
                )
            )
            token_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        token = self.get(token_id)
        assert token is not None
        return plaintext, token

    def get(self, token_id: int) -> ApiToken | None:
        with self.connect() as conn:
            row = conn.execute(sa.select(*_TOKEN_COLUMNS).where(t.ws_tokens.c.id == token_id)).first()
        return None if row is None else _token(row)

    def verify(self, plaintext: str) -> User | None:
        """The token's user when the token exists, is not revoked and the user is enabled; else ``None``."""
        if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
            return None
        digest = hash_token(plaintext)
        with self.connect() as conn:
            row = conn.execute(
                sa.select(*_TOKEN_COLUMNS, t.ws_tokens.c.token_hash).where(t.ws_tokens.c.token_hash == digest)
            ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest) or row.revoked is not None:
            return None
        user = self.users.get(int(row.user_id))
        if user is None or user.disabled:
            return None
        stamp = now()
        last = row.last_used
        if last is None or _parse(stamp) - _parse(last) >= _LAST_USED_EVERY:
            with self.begin() as conn:
                conn.execute(t.ws_tokens.update().where(t.ws_tokens.c.id == row.id).values(last_used=stamp))
        return user

    def revoke(self, token_id: int) -> ApiToken:
        """Revoke a token (kept, marked revoked: it shows in the list with when it was revoked)."""
        if self.get(token_id) is None:
            raise missing("API token", token_id)
        with self.begin() as conn:
            conn.execute(
                t.ws_tokens.update()
                .where(t.ws_tokens.c.id == token_id, t.ws_tokens.c.revoked.is_(None))
                .values(revoked=now())
            )
        token = self.get(token_id)
        assert token is not None
        return token

    def list(self, user: User | None = None) -> list[ApiToken]:
        """Tokens of ``user`` (every user's when ``None``), newest first."""
        query = sa.select(*_TOKEN_COLUMNS).order_by(t.ws_tokens.c.id.desc())
        if user is not None:
            query = query.where(t.ws_tokens.c.user_id == user.id)
        with self.connect() as conn:
            return [_token(r) for r in conn.execute(query)]


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
