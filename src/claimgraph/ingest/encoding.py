"""Bytes -> text: BOMs, UTF-8, a declared charset, then charset-normalizer for legacy encodings."""

from __future__ import annotations

import codecs
import re

from ..errors import Errors, InputError

__all__ = ["content_type_charset", "declared_charset", "decode", "looks_binary"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x7fELF",
    b"Rar!",
    b"7z\xbc\xaf",
    b"BZh",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Ties between equally plausible legacy decodings go to the encodings the web actually used.
_PREFERENCE = (
    "utf_8",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
    "shift_jis",
    "cp932",
    "euc_jp",
    "gb18030",
    "gb2312",
    "big5",
    "euc_kr",
    "cp1256",
    "cp1253",
    "cp1254",
    "cp1255",
    "iso8859_7",
)


def _bom(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """True for known binary magic numbers or NUL bytes in a file without a UTF-16/32 BOM."""
    if data.startswith(_MAGIC):
        return True
    return _bom(data) is None and b"\x00" in data[:8192]


def content_type_charset(content_type: str) -> str | None:
    """The ``charset`` parameter of an HTTP ``Content-Type`` value (``text/html; charset=utf-8``), if any."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, if any."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _known_charset(name: str | None) -> str | None:
    """The codec name of a declared charset, or ``None`` when Python does not know it (``x-bogus``):
    then charset-normalizer decides, as if nothing had been declared."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return None


def decode(data: bytes, display: str, declared: str | None = None) -> tuple[str, str | None]:
    """Decoded text and the detected encoding (``None`` for plain UTF-8). Raises :class:`InputError`."""
    if looks_binary(data):
        raise InputError(display, Errors.E004)
    bom = _bom(data)
    if bom is not None:
        try:
            return data.decode(bom), (None if bom == "utf-8-sig" else bom)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    known = _known_charset(declared)
    if known is not None and known != "utf-8":
        try:
            return data.decode(known), known
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise InputError(display, Errors.E005, tried="UTF-8, the declared charset and charset-normalizer")
    best_chaos = min(m.chaos for m in matches)
    # charset-normalizer's chaos scores differ by a few hundredths between single-byte code pages on
    # short texts; among near-ties, the encodings the web actually used win.
    tied = [m for m in matches if m.chaos <= best_chaos + 0.05]

    def rank(match: object) -> tuple[int, float, float]:
        name = getattr(match, "encoding", "")
        pref = _PREFERENCE.index(name) if name in _PREFERENCE else len(_PREFERENCE)
        return (pref, float(getattr(match, "chaos", 0.0)), -float(getattr(match, "coherence", 0.0)))

    best = min(tied, key=rank)
    return str(best), best.encoding
