"""Sessions, CSRF tokens, the login rate limit and who may write.

- A session is a random 256-bit id in a cookie (``HttpOnly``, ``SameSite=Lax``, ``Secure`` when the request
  came over TLS), mapped in memory to the user id and the session's CSRF token; logging out forgets it.
- Every form carries the session's CSRF token (``csrf`` field) and every state-changing request made with a
  session cookie must present it (form field or ``X-CSRF-Token`` header). Requests authenticated by an API
  token (``Authorization: Bearer …``) carry no cookie, so they need no CSRF token.
- Login: at most :data:`LOGIN_ATTEMPTS` failures per client address and per user name in
  :data:`LOGIN_WINDOW` seconds; past that, 429 until the window moves on.
- Roles: ``reader`` reads; ``analyst`` and ``admin`` also write; ``admin`` alone manages the reliability
  registry.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "COOKIE",
    "LOGIN_ATTEMPTS",
    "LOGIN_WINDOW",
    "Principal",
    "RateLimiter",
    "SessionStore",
    "can_write",
    "role_of",
]

COOKIE = "claimgraph_session"
SESSION_SECONDS = 12 * 3600
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW = 300.0
WRITE_ROLES = frozenset({"analyst", "admin"})


def role_of(user: Any) -> str:
    """The user's role as a plain string (``Role`` may be an enum)."""
    role = getattr(user, "role", "reader")
    return str(getattr(role, "value", role))


def can_write(user: Any) -> bool:
    return role_of(user) in WRITE_ROLES


@dataclass
class Principal:
    """Who is asking: the user, and how they proved it (``session`` or ``token``)."""

    user: Any
    via: str
    csrf: str = ""
    session_id: str = ""

    @property
    def name(self) -> str:
        return str(getattr(self.user, "name", ""))

    @property
    def role(self) -> str:
        return role_of(self.user)

    @property
    def can_write(self) -> bool:
        return can_write(self.user)


@dataclass
class _Session:
    user_id: Any
    csrf: str
    expires: float


@dataclass
class SessionStore:
    """Server-side sessions, in memory (one ``serve`` process)."""

    lifetime: float = SESSION_SECONDS
    _sessions: dict[str, _Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, user_id: Any) -> tuple[str, str]:
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            for key in [k for k, s in self._sessions.items() if s.expires < now]:
                del self._sessions[key]
            self._sessions[sid] = _Session(user_id, csrf, now + self.lifetime)
        return sid, csrf

    def get(self, sid: str | None) -> tuple[Any, str] | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is None or session.expires < time.monotonic():
                self._sessions.pop(sid, None)
                return None
            return session.user_id, session.csrf

    def drop(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    def drop_user(self, user_id: Any) -> None:
        with self._lock:
            for key in [k for k, s in self._sessions.items() if s.user_id == user_id]:
                del self._sessions[key]


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(expected) and given is not None and hmac.compare_digest(expected.encode(), given.encode())


@dataclass
class RateLimiter:
    """At most ``attempts`` failures per key in ``window`` seconds."""

    attempts: int = LOGIN_ATTEMPTS
    window: float = LOGIN_WINDOW
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _trim(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._trim(k, now)) >= self.attempts for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._trim(k, now).append(now)

    def reset(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
