"""Alerts out: one JSON line each on stdout, POSTed to webhooks (signed, retried), and read back from the store.

Webhook requests carry the alert line (UTF-8 JSON, no newline) as body and these headers:

- ``X-Claimgraph-Signature: sha256=<hex>``: HMAC-SHA256 of the body with the webhook's secret (when it has one);
  check it with :func:`verify_signature` (constant-time);
- ``X-Claimgraph-Alert``: the alert id (the same change always has the same id: a receiver can drop repeats);
- ``X-Claimgraph-Event``: the alert kind.

A connection error, a timeout, HTTP 408, 429 or 5xx is retried with exponential backoff (``backoff``,
``2 * backoff``, ... seconds; a numeric ``Retry-After`` is honoured up to 60 s); any other answer is final.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .watchlist import Webhook

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["SIGNATURE_HEADER", "alert_line", "deliver", "list_alerts", "sign", "verify_signature"]

SIGNATURE_HEADER = "X-Claimgraph-Signature"
_RETRY_STATUS = frozenset([408, 425, 429, 500, 502, 503, 504])
_MAX_RETRY_AFTER = 60.0


def alert_line(alert: Mapping[str, Any]) -> str:
    """The alert as one JSON line (no newline): what stdout gets and what webhooks receive."""
    return json.dumps(dict(alert), ensure_ascii=False, separators=(",", ":"))


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``body`` with ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: str) -> bool:
    """True when ``header`` is the signature of ``body`` with ``secret`` (constant-time comparison)."""
    return header is not None and hmac.compare_digest(sign(body, secret), header.strip())


def _retry_after(value: str | None, default: float) -> float:
    try:
        return min(max(float(value or ""), 0.0), _MAX_RETRY_AFTER)
    except ValueError:
        return default


def deliver(
    hook: Webhook,
    alert: Mapping[str, Any],
    *,
    user_agent: str,
    client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """POST one alert to ``hook`` with retries; returns ``{"status": "delivered"|"failed", "attempts": n,
    "http_status": code|None, "reason": text|None}`` (never raises for a network or HTTP failure)."""
    import httpx

    body = alert_line(alert).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": user_agent,
        "X-Claimgraph-Alert": str(alert["id"]),
        "X-Claimgraph-Event": str(alert["kind"]),
    }
    if hook.secret:
        headers[SIGNATURE_HEADER] = sign(body, hook.secret)
    own = client is None
    http = client or httpx.Client(timeout=hook.timeout, follow_redirects=False)
    status: int | None = None
    reason = ""
    attempts = 0
    try:
        for attempt in range(hook.retries + 1):
            attempts = attempt + 1
            wait = hook.backoff * (2**attempt)
            try:
                response = http.post(hook.url, content=body, headers=headers, timeout=hook.timeout)
            except httpx.TimeoutException:
                status, reason = None, f"no answer within {hook.timeout:g} s"
            except httpx.HTTPError as exc:
                status, reason = None, " ".join(str(exc).split()) or type(exc).__name__
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return {
                        "status": "delivered",
                        "attempts": attempts,
                        "http_status": status,
                        "reason": None,
                    }
                reason = f"HTTP {status} {response.reason_phrase}".strip()
                if status not in _RETRY_STATUS:
                    break
                wait = _retry_after(response.headers.get("Retry-After"), wait)
            if attempt < hook.retries:
                sleep(wait)
    finally:
        if own:
            http.close()
    return {"status": "failed", "attempts": attempts, "http_status": status, "reason": reason}


def deliver_all(
    hooks: Sequence[Webhook],
    alert: Mapping[str, Any],
    *,
    user_agent: str,
    clients: Mapping[str, Any] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, dict[str, Any]]:
    """:func:`deliver` to every hook: ``{url: outcome}``."""
    return {
        hook.url: deliver(
            hook, alert, user_agent=user_agent, client=(clients or {}).get(hook.url), sleep=sleep
        )
        for hook in hooks
    }


def list_alerts(
    store: Store,
    *,
    since: str | None = None,
    kinds: Sequence[str] = (),
    claim_id: str | None = None,
    entity_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[dict[str, Any]]:
    """The alerts stored in a workspace (``alerts`` table), newest first: each as printed by ``claimgraph watch``
    (``schema/alert-1.schema.json``) plus ``delivery`` (webhook outcomes by URL, or ``None``).

    Filters: ``since`` (ISO time, inclusive, compared with ``created``), ``kinds`` (alert kinds), ``claim_id``,
    ``entity_id``, ``limit``. A store written before alerts existed (or opened read-only without the table) has none.
    """
    return list(
        store.iter_alerts(
            since=since,
            kinds=tuple(kinds),
            claim_id=claim_id,
            entity_id=entity_id,
            limit=limit,
            newest_first=newest_first,
        )
    )
