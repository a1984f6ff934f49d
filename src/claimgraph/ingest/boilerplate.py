"""Which lines of a web page are not prose: menus, share rows, teasers, calls to action, footers, pixels.

Rules are deliberately conservative: a line is removed only when it matches one of them, so every
prose paragraph (including a one-line quote) survives. Each rule has a name, reported by
:func:`classify_line`, so a removal can be explained.
"""

from __future__ import annotations

import re

__all__ = ["TEASER_HEADINGS", "classify_line", "is_headline_like", "strip_tags"]

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--.*?-->")
_ONLY_TAGS = re.compile(r"^(?:\s*(?:</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--.*?-->|<!--|-->))+\s*$")
_PIXEL = re.compile(
    r"""<img\b[^>]*(?:\b(?:width|height)\s*=\s*["']?[01]\b|pixel|track|beacon|spacer|1x1)""", re.IGNORECASE
)
_MD_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_LETTER = re.compile(r"[^\W\d_]")
_URL_LINE = re.compile(r"^\s*(?:<)?(?:https?://|www\.)\S+(?:>)?\s*$", re.IGNORECASE)

_NAV_WORDS = {
    "home",
    "news",
    "sport",
    "sports",
    "contact",
    "jobs",
    "about",
    "world",
    "politics",
    "business",
    "opinion",
    "culture",
    "video",
    "videos",
    "weather",
    "tech",
    "technology",
    "science",
    "health",
    "entertainment",
    "lifestyle",
    "travel",
    "subscribe",
    "login",
    "log",
    "in",
    "sign",
    "search",
    "menu",
    "archive",
    "archives",
    "careers",
    "advertise",
    "advertising",
    "privacy",
    "terms",
    "shop",
    "podcasts",
    "podcast",
    "newsletters",
    "newsletter",
    "local",
    "national",
    "international",
    "economy",
    "markets",
    "arts",
    "books",
    "food",
    "style",
    "education",
    "environment",
    "obituaries",
    "events",
    "photos",
    "galleries",
    "gallery",
    "more",
    "sections",
    "latest",
    "trending",
    "live",
    "tv",
    "radio",
    "blogs",
    "blog",
    "columnists",
    "letters",
    "editorials",
    "magazine",
    "e-paper",
    "epaper",
    "help",
    "faq",
    "feedback",
    "sitemap",
    "us",
    "our",
    "&",
    "and",
    "the",
    "account",
    "register",
    "donate",
    "support",
    "regions",
    "region",
    "africa",
    "asia",
    "europe",
    "americas",
    "climate",
    "media",
    "features",
    "analysis",
    "investigations",
    "interviews",
    "reviews",
    "comment",
    "comments",
    "cookies",
    "policy",
    "legal",
    "team",
    "staff",
    "press",
    "corrections",
    "rss",
    "apps",
    "app",
    "classifieds",
    "crime",
    "courts",
    "defence",
    "defense",
    "security",
    "money",
    "property",
    "motoring",
    "cars",
}
_SOCIAL_BRANDS = {
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "email",
    "e-mail",
    "mail",
    "print",
    "tweet",
    "pinterest",
    "reddit",
    "telegram",
    "messenger",
    "instagram",
    "youtube",
    "tiktok",
    "flipboard",
    "pocket",
    "threads",
    "bluesky",
    "mastodon",
    "sms",
    "copy",
    "link",
    "vk",
    "weibo",
    "wechat",
    "share",
    "fb",
    "in",
    "f",
    "t",
}
_SOCIAL_FILLER = {"on", "this", "article", "story", "via", "us", "follow", "page", "the", "to", "by"}
_SEPARATORS = re.compile(r"\s*[|•·/»›>◆▪●►▶]\s*|\s+[-–—]\s+")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$|[.!?][\"”’]?\s")

#: Headings that introduce a block of teaser links ("More on this:" followed by headlines).
TEASER_HEADINGS = re.compile(
    r"^(?:more on (?:this|that|the story|this story|this topic)|more on|read more|related|related (?:stories|"
    r"articles|coverage|content|links|reading|topics)|also read|read also|see also|recommended(?: for you)?|"
    r"most read|most popular|most viewed|trending(?: now)?|you (?:may|might) also like|more from [^:]{1,40}|"
    r"what to read next|editor['’]?s picks|more stories|top stories|latest news|latest stories|further reading|"
    r"don['’]t miss|popular now|in other news|elsewhere)\s*:?$",
    re.IGNORECASE,
)

_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "teaser",
        re.compile(
            r"^(?:quiz|poll)\s*:|\b(?:take|try) (?:our|the|this) (?:\w+ ){0,2}quiz\b|"
            r"^(?:think you know|how (?:well|much) do you know|test your knowledge)\b",
            re.I,
        ),
    ),
    (
        "teaser",
        re.compile(
            r"^(?:take|answer|vote in|join) (?:our|the|this|today['’]s) (?:poll|survey|quiz|vote)\b", re.I
        ),
    ),
    (
        "teaser",
        re.compile(
            r"^(?:see|view|browse|open|watch) (?:the |our |all |more |full )?(?:photo |picture |image )?"
            r"(?:gallery|galleries|photos|pictures|slideshow|slide show|video|videos|images)\b",
            re.I,
        ),
    ),
    (
        "teaser",
        re.compile(
            r"^(?:show|view|load|read|hide|see|open|display) (?:all |the |more |\d+ )?(?:comments?|replies)\b",
            re.I,
        ),
    ),
    ("teaser", re.compile(r"^\(?\d+\)? comments?$|^comments? \(\d+\)$|^comments?$", re.I)),
    (
        "teaser",
        re.compile(
            r"^(?:leave|post|add|write|join) (?:a |the )?(?:comment|reply|discussion|conversation)\b", re.I
        ),
    ),
    (
        "call-to-action",
        re.compile(r"^(?:sign up|signup|subscribe|register now|become a (?:member|subscriber))\b", re.I),
    ),
    (
        "call-to-action",
        re.compile(r"^(?:get|receive) (?:our|the) (?:\w+ )?(?:newsletter|briefing|alerts?|updates)\b", re.I),
    ),
    ("call-to-action", re.compile(r"^click (?:here|to)\b|^tap (?:here|to)\b", re.I)),
    (
        "call-to-action",
        re.compile(
            r"^(?:download|get) (?:our|the) app\b|^continue reading\b|^read (?:the )?full (?:story|article)\b",
            re.I,
        ),
    ),
    (
        "call-to-action",
        re.compile(r"^(?:follow|join|like) us\b|^(?:log ?in|sign ?in|register) (?:to|for)\b", re.I),
    ),
    (
        "call-to-action",
        re.compile(r"^(?:support|donate to) (?:our|independent) (?:journalism|reporting)\b", re.I),
    ),
    ("teaser", TEASER_HEADINGS),
    (
        "teaser",
        re.compile(
            r"^(?:read more|more on this|related|see also|also read|read also|watch|listen|more)\s*:\s*\S[^.!?]*$",
            re.I,
        ),
    ),
    (
        "teaser",
        re.compile(
            r"^(?:watch|listen|video|audio|podcast)\s*(?:now|live|here)?\s*:?$|^(?:watch|listen):", re.I
        ),
    ),
    (
        "advert",
        re.compile(
            r"^(?:advertisement|advert|ad|ads|sponsored(?: content)?|promoted(?: content)?|paid (?:content|post)|partner content|story continues below(?: advertisement)?)$",
            re.I,
        ),
    ),
    (
        "footer",
        re.compile(
            r"^print(?: this)?(?: page| article| story)?$|^(?:back to|return to) top\b|^top of page$", re.I
        ),
    ),
    (
        "footer",
        re.compile(
            r"^(?:filed under|topics?|tags?|categor(?:y|ies)|keywords|related topics|posted in|more about)\s*:",
            re.I,
        ),
    ),
    ("footer", re.compile(r"^(?:copyright\b|©|\(c\) ?\d{4})|\ball rights reserved\b", re.I)),
    (
        "footer",
        re.compile(
            r"^(?:report|suggest) (?:a|an) (?:correction|error|typo)\b|^(?:previous|next) (?:article|story|post|page)\b",
            re.I,
        ),
    ),
    (
        "footer",
        re.compile(
            r"^(?:skip|jump) to (?:main )?(?:content|navigation|main)\b|^(?:we use|accept(?: all)?|manage) cookies\b",
            re.I,
        ),
    ),
    ("footer", re.compile(r"^loading\W*$|^please enable javascript\b", re.I)),
    (
        "caption",
        re.compile(
            r"^(?:photo|image|picture|credit|caption|illustration|video|graphic)s?(?: credit)?\s*:\s*\S", re.I
        ),
    ),
    (
        "share",
        re.compile(
            r"^(?:share|share this|share on|share via|share article|share story|share this (?:article|story|page))"
            r"(?:\s*[:|]|\s*$|\s+(?:on\s+)?(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail)\b)",
            re.I,
        ),
    ),
]


def _alternatives(pattern: str) -> list[str]:
    """The top-level ``|`` alternatives of a regular expression (escapes, classes and groups respected)."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3  # a leading "]" is literal
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _any_rule_matcher() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Two scans that tell together whether any rule matches a line: the alternatives anchored at the
    start (``^...``, only ever matching at position 0) in one ``match``, the others in one ``search``."""
    anchored: list[str] = []
    floating: list[str] = []
    for _, pattern in _RULES:
        if pattern.flags & re.MULTILINE:
            floating.append(pattern.pattern)
            continue
        for alternative in _alternatives(pattern.pattern):
            (anchored if alternative.startswith("^") else floating).append(alternative)
    at_start = re.compile("|".join(f"(?:{a})" for a in anchored), re.IGNORECASE)
    elsewhere = re.compile("|".join(f"(?:{a})" for a in floating), re.IGNORECASE) if floating else None
    return at_start, elsewhere


# Most lines are prose and match no rule: two scans rule that out, and only after a hit are the
# rules tried one by one (in order, so the first matching rule still names the removal).
_RULE_AT_START, _RULE_ELSEWHERE = _any_rule_matcher()
_TOKEN_SPLIT = re.compile(r"[\s|•·/»›>◆▪●►▶,]+")
_TOKEN = re.compile(r"[^\s|•·/»›>◆▪●►▶,]+")
_WORD_STRIP = "()[]:;'\""
#: Names of page controls and icon-font glyphs whose names web fonts leave in saved text
#: ("Share Tweet Email Menu Close Chevron Left Chevron Right Search").
_UI_CONTROLS = frozenset(
    [
        "menu",
        "close",
        "open",
        "chevron",
        "arrow",
        "caret",
        "angle",
        "left",
        "right",
        "up",
        "down",
        "search",
        "play",
        "pause",
        "mute",
        "unmute",
        "volume",
        "fullscreen",
        "expand",
        "collapse",
        "toggle",
        "next",
        "previous",
        "prev",
        "back",
        "forward",
        "save",
        "pdf",
        "bookmark",
        "bookmarks",
        "icon",
        "hamburger",
        "plus",
        "minus",
        "gift",
        "comment",
        "comments",
        "reply",
        "like",
        "dislike",
        "more",
        "less",
        "show",
        "hide",
        "skip",
        "dismiss",
        "cancel",
        "submit",
        "send",
        "download",
        "subscribe",
        "login",
        "logout",
        "listen",
        "audio",
        "video",
        "watch",
        "embed",
        "permalink",
        "flag",
        "report",
        "follow",
        "unfollow",
        "zoom",
        "enlarge",
        "fb",
        "ig",
        "yt",
        "rss",
        "text",
        "size",
        "font",
        "as",
        "a",
    ]
)
_SOCIAL_KNOWN = _SOCIAL_BRANDS | _SOCIAL_FILLER | _UI_CONTROLS
_SOCIAL_ICONS = frozenset({"in", "f", "t", "copy", "link", "share"})


def _any_rule(text: str) -> bool:
    return _RULE_AT_START.match(text) is not None or (
        _RULE_ELSEWHERE is not None and _RULE_ELSEWHERE.search(text) is not None
    )


def strip_tags(line: str) -> str:
    """The line without inline HTML tags or comments."""
    return _TAG.sub(" ", line)


def _tokens(line: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(line.lower()) if t]


def _is_nav(line: str) -> bool:
    if _SENTENCE_END.search(line) or '"' in line or "“" in line:
        return False
    words = [t.strip("()[]:;'\"") for t in _tokens(line)]
    words = [w for w in words if w]
    if len(words) < 3 or len(words) > 30:
        return False
    hits = sum(1 for w in words if w in _NAV_WORDS)
    if hits >= 0.6 * len(words) and words[0] in _NAV_WORDS:
        return True
    segments = [s for s in _SEPARATORS.split(line) if s.strip()]
    # Breadcrumbs and pipe-separated menus: many short segments.
    return len(segments) >= 3 and all(len(s.split()) <= 3 for s in segments) and hits >= 1


def _is_social(line: str) -> bool:
    """Every word a social brand, share filler or icon glyph, and several brands or a row of icons."""
    words: list[str] = []
    for token in _TOKEN.finditer(line.lower()):  # lazily: prose stops at its first word
        word = token.group().strip(_WORD_STRIP)
        if not word:
            continue
        if word not in _SOCIAL_KNOWN and any(c.isalpha() for c in word):
            return False  # prose: stop at the first ordinary word
        words.append(word)
        if len(words) > 12:
            return False
    if not words:
        return False
    brands = sum(1 for w in words if w in _SOCIAL_BRANDS and w not in _SOCIAL_ICONS)
    icons = len(words) >= 3 and all(len(w) <= 2 for w in words)
    controls = sum(1 for w in words if w in _UI_CONTROLS or w in _SOCIAL_BRANDS)
    return brands >= 2 or icons or (controls >= 3 and controls >= 0.6 * len(words))


def _is_symbols(line: str) -> bool:
    if _LETTER.search(line) is None:
        return bool(line.strip())
    if len(line) > 60:
        return False
    visible = [c for c in line if not c.isspace()]
    letters = sum(1 for c in visible if c.isalpha())
    return letters / len(visible) < 0.3 and len(visible) <= 40


def is_headline_like(line: str) -> bool:
    """A short line that does not end like a sentence (a teaser headline, a link text)."""
    words = line.split()
    return 0 < len(words) <= 16 and not _SENTENCE_END.search(line.rstrip())


def classify_line(line: str) -> str | None:
    """The rule that makes ``line`` boilerplate (``nav``, ``share``, ``teaser`` ...), or ``None`` for prose.

    ``line`` is one normalised line of text (HTML tags still in it, if any).
    """
    stripped = line.strip()
    if not stripped:
        return None
    markup = "<" in stripped or ">" in stripped
    if markup and _PIXEL.search(stripped):
        return "tracking-pixel" if _LETTER.search(strip_tags(stripped)) is None else None
    if markup and _ONLY_TAGS.match(stripped):
        return "html-tag"
    if _MD_IMAGE_LINE.match(stripped):
        return "image"
    if _URL_LINE.match(stripped):
        return "url"
    text = " ".join((strip_tags(stripped) if markup else stripped).split())
    if not text:
        return "html-tag"
    if len(text) > 400 or text.count(" ") >= 30:
        return None  # too long for any rule below: prose
    if _is_symbols(text):
        return "symbols"
    if text.count(" ") < 25 and _any_rule(text):  # at most 25 words (``text`` is single-spaced)
        for name, pattern in _RULES:
            if pattern.search(text):
                return name
    if _is_social(text):
        return "share"
    if _is_nav(text):
        return "nav"
    return None
