"""Size caps: refuse files over ``options.max_bytes`` and stream-decompress gzip with the same cap."""

from __future__ import annotations

import os
import zlib

from ..errors import Errors, InputError

__all__ = ["GZIP_MAGIC", "gunzip_capped", "read_capped"]

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16


def read_capped(path: str, display: str, max_bytes: int) -> bytes:
    """The bytes of ``path``; gzip files are decompressed with the cap. Raises :class:`InputError`."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise InputError(display, Errors.E001) from None
    except OSError as exc:
        raise InputError(display, Errors.E002, reason=exc.strerror or type(exc).__name__) from None
    if size > max_bytes:
        raise InputError(display, Errors.E011, size=size, cap=max_bytes)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(display, Errors.E002, reason=exc.strerror or type(exc).__name__) from None
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(display, Errors.E011, size=len(data), cap=max_bytes)
    if not data.strip():
        raise InputError(display, Errors.E003)
    if data[:2] == GZIP_MAGIC:
        data = gunzip_capped(data, display, max_bytes)
        if not data.strip():
            raise InputError(display, Errors.E003)
    return data


def gunzip_capped(
    data: bytes,
    display: str,
    cap: int,
    *,
    truncated: Errors = Errors.E002,
    partial: list[str] | None = None,
) -> bytes:
    """Decompress (multi-member) gzip ``data`` chunk by chunk, stopping as soon as the output passes ``cap``.

    Never inflates more than ``cap`` + one chunk, so a gzip bomb costs nothing. A truncated or
    corrupt stream raises ``truncated``; if ``partial`` is a list, the reason is appended to it
    instead and what could be decompressed is returned.
    """
    out = bytearray()
    rest = data
    while rest:
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        buf = rest
        try:
            while True:
                out += decomp.decompress(buf, _CHUNK)
                if len(out) > cap:
                    raise InputError(display, Errors.E010, cap=cap)
                buf = decomp.unconsumed_tail
                if decomp.eof or not buf:
                    break
            if not decomp.eof:
                out += decomp.flush()
                if len(out) > cap:
                    raise InputError(display, Errors.E010, cap=cap)
        except zlib.error as exc:
            if partial is None:
                raise _truncated(display, truncated, f"corrupt gzip data ({exc})") from None
            partial.append(f"corrupt gzip data ({exc})")
            break
        if not decomp.eof:
            if partial is None:
                raise _truncated(display, truncated, "gzip stream ends early (truncated file)")
            partial.append("gzip stream ends early (truncated file)")
            break
        rest = decomp.unused_data.lstrip(b"\x00")
        if rest and rest[:2] != GZIP_MAGIC:
            break  # trailing garbage after the last member, as gzip(1) tolerates
    return bytes(out)


def _truncated(display: str, code: Errors, reason: str) -> InputError:
    return InputError(display, code, reason=reason)
