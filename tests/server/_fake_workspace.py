"""A stand-in for ``claimgraph.workspace`` (same interface, in memory) used only while that package is not
in this branch; the tests use the real one whenever it imports."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    id: int
    name: str
    role: str
    password: str = field(repr=False, default="")


@dataclass
class ApiToken:
    id: int
    user_id: int
    label: str
    digest: str
    created: str = "now"
    revoked: str | None = None


@dataclass
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    user_id: int
    status: str = "queued"
    progress: float | None = None
    message: str = ""


@dataclass
class Correction:
    id: int
    user_id: int
    statement_id: str
    field: str
    value: Any
    note: str
    withdrawn: bool = False


class _Users:
    def __init__(self) -> None:
        self.items: dict[int, User] = {}
        self.ids = itertools.count(1)

    def add(self, name: str, password: str, role: str) -> User:
        user = User(next(self.ids), name, role, hashlib.sha256(password.encode()).hexdigest())
        self.items[user.id] = user
        return user

    def authenticate(self, name: str, password: str) -> User | None:
        digest = hashlib.sha256(password.encode()).hexdigest()
        return next((u for u in self.items.values() if u.name == name and u.password == digest), None)

    def get(self, user_id: int) -> User | None:
        return self.items.get(user_id)


class _Tokens:
    def __init__(self, users: _Users) -> None:
        self.users = users
        self.items: dict[int, ApiToken] = {}
        self.ids = itertools.count(1)

    def create(self, user: User, label: str) -> tuple[str, ApiToken]:
        plain = secrets.token_urlsafe(24)
        token = ApiToken(next(self.ids), user.id, label, hashlib.sha256(plain.encode()).hexdigest())
        self.items[token.id] = token
        return plain, token

    def verify(self, plaintext: str) -> User | None:
        digest = hashlib.sha256(plaintext.encode()).hexdigest()
        for t in self.items.values():
            if t.digest == digest and t.revoked is None:
                return self.users.get(t.user_id)
        return None

    def revoke(self, token_id: int) -> None:
        self.items[token_id].revoked = "now"

    def list(self, user: User) -> list[ApiToken]:
        return [t for t in self.items.values() if t.user_id == user.id]


class _Audit:
    def __init__(self) -> None:
        self.entries: list[tuple[Any, ...]] = []

    def record(self, user: Any, action: str, target: str, detail: Any = None) -> None:
        self.entries.append((getattr(user, "id", None), action, target, detail))

    def list(self, limit: int = 100, offset: int = 0) -> list[tuple[Any, ...]]:
        return self.entries[offset : offset + limit]


class _Jobs:
    def __init__(self) -> None:
        self.items: dict[int, Job] = {}
        self.ids = itertools.count(1)

    def enqueue(self, kind: str, payload: dict[str, Any], user: User) -> Job:
        job = Job(next(self.ids), kind, payload, user.id)
        self.items[job.id] = job
        return job

    def get(self, job_id: int) -> Job | None:
        return self.items.get(job_id)

    def list(self) -> list[Job]:
        return sorted(self.items.values(), key=lambda j: -j.id)


class _Corrections:
    def __init__(self) -> None:
        self.items: list[Correction] = []

    def add(self, user: User, statement_id: str, field: str, value: Any, note: str) -> Correction:
        corr = Correction(len(self.items) + 1, user.id, statement_id, field, value, note)
        self.items.append(corr)
        return corr

    def list(self) -> list[Correction]:
        return list(self.items)

    def withdraw(self, correction_id: int, user: User) -> None:
        self.items[correction_id - 1].withdrawn = True


class Workspace:
    def __init__(self, url: str, store: Any = None) -> None:
        from claimgraph.store import Store

        self.url = url
        self.store = store if store is not None else Store.open(url)
        self.users = _Users()
        self.tokens = _Tokens(self.users)
        self.audit = _Audit()
        self.jobs = _Jobs()
        self.corrections = _Corrections()

    @classmethod
    def open(cls, url: str) -> Workspace:
        return cls(url)

    def run_worker(self, stop: threading.Event) -> None:
        from claimgraph.options import Options
        from claimgraph.pipeline import analyze

        while not stop.is_set():
            job = next((j for j in self.jobs.items.values() if j.status == "queued"), None)
            if job is None:
                stop.wait(0.2)
                continue
            job.status = "running"
            try:
                analyze(
                    job.payload["inputs"],
                    None,
                    db=self.url,
                    options=Options(formats=(), progress=False),
                    feeds=job.payload.get("feeds", []),
                )
                job.status, job.progress = "done", 1.0
            except Exception as exc:
                job.status, job.message = "failed", str(exc)
