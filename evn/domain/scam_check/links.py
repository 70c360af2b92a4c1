"""Links in what a customer forwards, and whose they are: a power company's domain, this deployment's own
pay-link host (its token is checked by the service), a look-alike (named by how it imitates), a shortener that
hides where it leads, or another site.

A look-alike is told by its host, never by its page (nothing is fetched): the official domain with another
ending (evnhcmc.com), inside another domain (evnhcmc.vn.thanhtoan.xyz, evnhcmc-vn.com), with other characters
(evnhcrnc.vn, 3vnhcmc.vn, Cyrillic letters), or a brand word with other words (evn-cskh.com, tiendien-online.vn).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from evn.domain import linear_regex
from evn.domain.scam_check.official import OfficialChannels

# Candidates: an optional scheme, dotted labels, an optional port and path. The last label must be a known
# top-level domain (below) unless a scheme was typed, so "tp.hcm", "10.2026" and "Q.1" are no links.
_CANDIDATE = linear_regex.compile(
    r"(?i)(?<![\w@/.-])((?:https?|hxxps?)://)?((?:[\w-]+\.)*[\w-]+)(:\d{1,5})?(/[^\s<>\"']*)?")
TOP_LEVEL = frozenset({
    "vn", "com", "net", "org", "info", "biz", "xyz", "top", "online", "site", "app", "io", "me", "co", "cc", "ly",
    "gl", "at", "id", "link", "shop", "store", "club", "vip", "pro", "asia", "tk", "ml", "ga", "cf", "gq", "live",
    "click", "icu", "buzz", "fun", "space", "website", "tech", "cloud", "gg", "ru", "cn", "us", "uk", "in", "ws",
    "tv", "life", "today", "support", "services", "help", "gov", "edu", "mobi", "name", "to", "su", "pw", "work",
    "page", "dev", "cyou", "sbs", "lol", "win", "bond",
})
# Endings under which the label before them is the name (evnhcmc.com.vn, evn.com.vn).
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "info", "biz", "co", "name", "pro", "health"})
_TRAILING = ".,;:!?)]}'\"…"
# Characters that pass for others in a host: digits for letters, Cyrillic and Greek letters that look Latin.
_LOOKS_LIKE = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                             "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
                             "ԁ": "d", "ѵ": "v", "ո": "n", "м": "m", "н": "h", "т": "t", "к": "k", "в": "b",
                             "ν": "v", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ρ": "p", "τ": "t"})


class LinkKind(str, Enum):
    OFFICIAL = "official_domain"
    OWN_HOST = "own_link"  # this deployment's pay-link host: the token decides
    OTHER_ENDING = "lookalike_other_ending"
    OFFICIAL_INSIDE = "lookalike_official_inside"
    USERINFO = "lookalike_userinfo"  # "https://evnhcmc.vn@evil.com": the host is what follows the "@"
    OTHER_CHARACTERS = "lookalike_other_characters"
    EXTRA_WORDS = "lookalike_extra_words"
    SHORTENER = "shortened_link"
    OTHER = "other_site"

    @property
    def is_look_alike(self) -> bool:
        return self.value.startswith("lookalike_")


@dataclass(frozen=True)
class Link:
    text: str  # as typed
    host: str  # lower case, Unicode
    path: str
    kind: LinkKind
    company: str | None = None  # the company whose domain it is, or imitates

    @property
    def is_app_package(self) -> bool:
        """A link to an Android package (.apk): EVN's apps are only in the stores."""
        return self.path.lower().split("?")[0].endswith(".apk")


def visible(text: str) -> str:
    """The text as a browser reads an address: compatibility forms folded (a full-width dot is a dot) and
    invisible characters dropped (a soft hyphen or a zero-width space inside a host)."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def _behind_userinfo(text: str, end: int) -> str | None:
    """The host a browser goes to when the match is followed by "@…" or ":…@" (userinfo): what follows the last
    "@" of the address's authority part, else None."""
    token = text[end:].split(None, 1)[0] if text[end:].strip() else ""
    authority = linear_regex.split(r"[/?#\\]", token, maxsplit=1)[0] or ""
    if "@" not in authority:
        return None
    return _host(authority.rsplit("@", 1)[1].split(":", 1)[0]) or "?"


def find_links(text: str, official: OfficialChannels) -> list[Link]:
    """Every link in `text`, each classified; the same host and path once."""
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()
    text = visible(text)
    for found in _CANDIDATE.finditer(text):
        scheme, host, path = found.group(1), _host(found.group(2)), (found.group(4) or "").rstrip(_TRAILING)
        real_host = _behind_userinfo(text, found.end(2))
        if real_host is not None:  # the official name is only the bait before "@"
            typed = text[found.start():found.end()].rstrip(_TRAILING)
            links.append(Link(typed, real_host, path, LinkKind.USERINFO, official.company_of_host(host)))
            continue
        # This deployment's host may be a bare name ("localhost" in a demo); any other is a dotted name.
        own = host in official.own_hosts and bool(scheme or path)
        if not (own or _is_a_host(host, bool(scheme))) or (host, path) in seen:
            continue
        seen.add((host, path))
        typed = text[found.start():found.end()].rstrip(_TRAILING)
        kind, company = classify_host(host, official)
        links.append(Link(typed, host, path, kind, company))
    return links


def has_link(text: str) -> bool:
    """Whether `text` carries a link at all (whose it is needs the official channels: find_links)."""
    return any(_is_a_host(_host(found.group(2)), bool(found.group(1)))
               for found in _CANDIDATE.finditer(visible(text)))


def _is_a_host(host: str, scheme_typed: bool) -> bool:
    """Dotted labels ending in a top-level domain ("evn.com.vn"), or any dotted name after "https://"."""
    labels = host.split(".")
    return len(labels) >= 2 and all(labels) and (scheme_typed or labels[-1] in TOP_LEVEL)


def _host(raw: str) -> str:
    host = unicodedata.normalize("NFC", raw).lower().strip(".")
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            pass  # an invalid label stays as typed: it is still no official domain
    return host


def registered_name(host: str) -> tuple[str, str]:
    """(name, ending) of a host: ("evnhcmc", "vn") for cskh.evnhcmc.vn, ("evn", "com.vn") for www.evn.com.vn."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3], ".".join(labels[-2:])
    if len(labels) >= 2:
        return labels[-2], labels[-1]
    return host, ""


def skeleton(text: str) -> str:
    """What a host looks like to a reader: digits and look-alike letters as the Latin letters they imitate,
    "rn" as "m", "vv" as "w", marks and separators dropped."""
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    plain = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn").translate(_LOOKS_LIKE)
    plain = plain.replace("rn", "m").replace("vv", "w")
    return "".join(ch for ch in plain if ch.isalnum())


def classify_host(host: str, official: OfficialChannels) -> tuple[LinkKind, str | None]:
    company = official.company_of_host(host)
    if company is not None:
        return LinkKind.OFFICIAL, company
    if host in official.own_hosts:
        return LinkKind.OWN_HOST, None
    name, ending = registered_name(host)
    if f"{name}.{ending}" in official.shorteners:
        return LinkKind.SHORTENER, None
    for domain, owner in official.domains:
        official_name, official_ending = registered_name(domain)
        dashed = domain.replace(".", "-")
        if f".{domain}." in f".{host}." or dashed in host:
            return LinkKind.OFFICIAL_INSIDE, owner
        if name == official_name and ending != official_ending:
            return LinkKind.OTHER_ENDING, owner
    for domain, owner in official.domains:
        official_name = registered_name(domain)[0]
        if len(official_name) >= 5 and _imitates(name, official_name):
            return LinkKind.OTHER_CHARACTERS, owner
    whole = skeleton(host.rsplit(".", 1)[0])
    for domain, owner in official.domains:
        official_name = registered_name(domain)[0]
        if len(official_name) >= 5 and official_name in whole:
            return LinkKind.EXTRA_WORDS, owner
    if any(word in whole for word in official.brand_words):
        return LinkKind.EXTRA_WORDS, None
    return LinkKind.OTHER, None


def _imitates(name: str, official_name: str) -> bool:
    """Another spelling that reads the same, or one or two characters away (two for longer names)."""
    if name == official_name:
        return False  # the same name with the same ending is the domain itself
    if skeleton(name) == official_name:
        return True
    allowed = 1 if len(official_name) < 7 else 2
    return edit_distance(skeleton(name), official_name, allowed) <= allowed


def edit_distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it is known to exceed `limit` (names are short)."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def url_path(url: str) -> str:
    """The path of a URL as typed (scheme optional)."""
    return urlsplit(url if "://" in url else f"http://{url}").path
