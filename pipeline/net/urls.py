"""URL canonicalization and the identifiers derived from it.

Two links to one article (tracking parameters, fragments, AMP or mobile variants, a trailing slash, host
case) must give one ``article_id``, or the MERGE key would let a story in twice. And a page may name only
its own domain's URLs as its key (:func:`keyed_url`), or it could take another outlet's row.

Tried on courlan 1.4 (trafilatura's URL library, already installed): ``normalize_url`` / ``clean_url``
(non-strict and strict) were compared with :func:`canonicalize_url` and not taken, because the canonical URL
is the article key and courlan would give other keys than the ones already published:

- it lower-cases the host and drops a default port, as we do, but keeps ``www.``, ``m.``, ``amp.``, AMP paths
  and trailing slashes, and keeps the fragment unless strict (our rules for those would stay anyway);
- its tracker pattern (``TRACKERS_RE``) is unanchored, so it also drops meaningful parameters such as
  ``refresh``, ``source`` or ``campaign_id``; strict mode keeps only its ``ALLOWED_PARAMS`` (drops ``q``);
- ``parse_qs`` drops blank values (``?q=``) and keeps repeated keys in document order, not sorted;
- it percent-quotes the path (``(`` becomes ``%28``), collapses ``//`` and decodes punycode hosts.

Reproducing today's keys on top of it would mean undoing each of those: more code than this module, so
the rules below stay hand-written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

if TYPE_CHECKING:
    import tldextract

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "cmpid",
        "ocid",
        "ref",
        "ref_src",
        "outputtype",
        "amp",
        "taid",
        "at_medium",
        "at_campaign",
        "ito",
        "xtor",
        "ns_mchannel",
        "ns_campaign",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "mbid")
AMP_PATH = re.compile(r"(/amp(?=/|$)|\.amp(?=\.html?$|$))")
MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.")


class BadUrlError(ValueError):
    """A URL the pipeline will not handle (scheme, credentials, no host)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url!r}: {reason}")
        self.url = url
        self.reason = reason


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    """The Public Suffix List matcher, imported on first use (tldextract loads requests, ~0.15 s, and most
    callers only canonicalize)."""
    import tldextract

    # The bundled Public Suffix List snapshot: no download at run time (the pipeline runs offline).
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def resolve(base: str, link: str) -> str:
    """Absolute URL of ``link`` as found in a document served from ``base``; BadUrlError when unparseable."""
    try:
        return urljoin(base, link.strip())
    except ValueError as exc:  # a bad IPv6 literal
        raise BadUrlError(link, f"unparseable URL: {exc}") from exc


def check_url(url: str) -> None:
    """Refuse anything but plain http(s) URLs with a host, a valid port and without credentials."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number in 0..65535
    except ValueError as exc:  # a bad IPv6 literal, a bad port
        raise BadUrlError(url, f"unparseable URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise BadUrlError(url, f"scheme {parts.scheme or 'none'!r} is not http or https")
    if not parts.hostname:
        raise BadUrlError(url, "no host")
    if parts.username or parts.password:
        raise BadUrlError(url, "credentials in the URL")


def canonicalize_url(url: str) -> str:
    """One spelling per article: lower-case host without www/m./amp., no tracking query or fragment."""
    url = url.strip()
    check_url(url)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = MOBILE_HOST.sub("", host)
    if not host:  # "http://./": a host of dots alone names nothing
        raise BadUrlError(url, "no host")
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[parts.scheme]
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    path = AMP_PATH.sub("", parts.path) or "/"
    path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme, netloc, path, urlencode(sorted(query)), ""))


def article_id(canonical_url: str) -> str:
    """Stable key of an article: 32 hex chars of sha256 over its canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]


def registrable_domain(url: str) -> str:
    """Registrable domain (eTLD+1) of a URL, e.g. ``voanews.com``; the bare host when there is none."""
    host = (urlsplit(url).hostname or "").lower()
    found = _extractor()(host).top_domain_under_public_suffix
    return found or host


def owner_domain(url: str) -> str:
    """The domain one owner controls: the registrable domain with the Public Suffix List's private suffixes
    counted too (``alice.blogspot.com``, not ``blogspot.com``: two blogs on one host are two owners)."""
    host = (urlsplit(url).hostname or "").lower()
    found = _extractor()(host, include_psl_private_domains=True).top_domain_under_public_suffix
    return found or host


def keyed_url(claimed: str | None, fetched: str, trusted: Collection[str] = ()) -> tuple[str, str | None]:
    """The canonical URL a page is keyed on, and the canonical URL it claimed when that claim was refused.

    A page's rel=canonical / og:url is followed within the owner domain of the URL it was fetched from. A
    claim on another domain would give the page that domain's ``article_id`` and let the MERGE overwrite
    its row, so it is followed only for the ``trusted`` domains its source's configuration names
    (``canonical_domains``); otherwise the page keeps its own URL and the claim is returned as metadata.
    Raises BadUrlError when either URL cannot be canonicalized.
    """
    own = canonicalize_url(fetched)
    if claimed is None:
        return own, None
    claim = canonicalize_url(claimed)
    domain = owner_domain(claim)
    if domain == owner_domain(own) or domain in trusted:
        return claim, None
    return own, claim
