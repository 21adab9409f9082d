from __future__ import annotations

import pytest

from pipeline.net.urls import (
    BadUrlError,
    article_id,
    canonicalize_url,
    keyed_url,
    owner_domain,
    registrable_domain,
    resolve,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.voanews.com/a/iraq-syria/7891234.html",
        "https://voanews.com/a/iraq-syria/7891234.html?utm_source=rss&utm_medium=feed",
        "https://WWW.VoaNews.com/a/iraq-syria/7891234.html#comments",
        "https://m.voanews.com/a/iraq-syria/7891234.html/",
        "https://www.voanews.com:443/a/iraq-syria/7891234.html?fbclid=abc",
        "https://amp.voanews.com/a/iraq-syria/7891234.amp.html",
    ],
)
def test_variants_of_one_article_share_one_canonical_url_and_id(variant: str) -> None:
    expected = "https://voanews.com/a/iraq-syria/7891234.html"
    assert canonicalize_url(variant) == expected
    assert article_id(canonicalize_url(variant)) == article_id(expected)


def test_meaningful_query_parameters_are_kept_in_a_stable_order() -> None:
    assert canonicalize_url("http://ex.com/story?id=7&page=2") == "http://ex.com/story?id=7&page=2"
    assert canonicalize_url("http://ex.com/story?page=2&id=7") == "http://ex.com/story?id=7&page=2"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("ftp://ex.com/a", "scheme"),
        ("https://user:pw@ex.com/a", "credentials"),
        ("javascript:alert(1)", "scheme"),
        ("http:///nohost", "no host"),
    ],
)
def test_non_http_urls_and_credentials_are_refused(url: str, reason: str) -> None:
    with pytest.raises(BadUrlError, match=reason):
        canonicalize_url(url)


def test_article_id_is_32_hex_chars() -> None:
    value = article_id("https://voanews.com/a/x")
    assert len(value) == 32 and int(value, 16) >= 0


def test_registrable_domain_uses_the_public_suffix_list_offline() -> None:
    assert registrable_domain("https://www.voanews.com/a/x") == "voanews.com"
    assert registrable_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert registrable_domain("http://127.0.0.1:8000/x") == "127.0.0.1"


def test_relative_feed_links_resolve_against_the_feed() -> None:
    assert resolve("http://127.0.0.1:9/feeds/world.rss", "/voa/a/x.html") == "http://127.0.0.1:9/voa/a/x.html"


STORY = "https://www.news-a.example.com/world/story.html"
OWN = "https://news-a.example.com/world/story.html"


@pytest.mark.parametrize(
    ("claimed", "trusted", "key", "refused"),
    [
        (None, (), OWN, None),
        ("https://news-a.example.com/world/story", (), "https://news-a.example.com/world/story", None),
        ("https://edition.news-a.example.com/s/1", (), "https://edition.news-a.example.com/s/1", None),
        ("https://www.voanews.com/a/victim.html", (), OWN, "https://voanews.com/a/victim.html"),
        ("https://www.voanews.com/a/victim.html", ("voanews.com",), "https://voanews.com/a/victim.html", None),
        ("https://www.voanews.com/a/victim.html", ("aljazeera.com",), OWN, "https://voanews.com/a/victim.html"),
    ],
    ids=["no claim", "own host", "own domain", "other domain", "trusted domain", "other trusted domain"],
)
def test_a_page_is_keyed_on_its_claimed_canonical_only_within_its_domain_or_a_trusted_one(
    claimed: str | None, trusted: tuple[str, ...], key: str, refused: str | None
) -> None:
    assert keyed_url(claimed, STORY, trusted) == (key, refused)


def test_two_blogs_on_one_shared_host_are_two_owners() -> None:
    claim = "https://victim.blogspot.com/2026/11/story.html"
    assert keyed_url(claim, "https://attacker.blogspot.com/p/copy.html") == (
        "https://attacker.blogspot.com/p/copy.html",
        claim,
    )
    assert registrable_domain(claim) == "blogspot.com" and owner_domain(claim) == "victim.blogspot.com"


def test_a_loopback_page_claiming_a_real_url_is_honoured_only_when_trusted() -> None:
    loopback, real = "http://127.0.0.1:8000/voa/a/story.html", "https://www.voanews.com/a/story.html"
    assert keyed_url(real, loopback) == (loopback, "https://voanews.com/a/story.html")
    assert keyed_url(real, loopback, ("voanews.com",)) == ("https://voanews.com/a/story.html", None)
