from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.dev.sample_site import SAMPLE_SITE
from pipeline.extract.language import detect_language
from pipeline.extract.text import (
    ExtractionError,
    count_words,
    extract_document,
    extract_page,
    looks_like_boilerplate,
    prose_words,
    split_authors,
)

pytestmark = pytest.mark.unit
SEED_PAGE = SAMPLE_SITE / "voa" / "a" / "iraq-syria-border-7891234.html"
PARAGRAPH = "<p>" + "Officials in Baghdad said the border would stay closed for the coming week. " * 4 + "</p>"


def page(head: str = "", body: str = PARAGRAPH) -> str:
    return (
        f"<html lang='en'><head><title>Border closed | Outlet</title>{head}</head><body>"
        "<nav><a href='/'>Home</a><a href='/world'>World</a></nav>"
        f"<article><h1>Border closed</h1>{body}</article>"
        "<div class='related'><h3>Related</h3><ul><li><a href='/x'>Other story</a></li></ul></div>"
        "<footer>Copyright 2026 Outlet</footer></body></html>"
    )


def test_the_seed_page_yields_its_paragraphs_without_boilerplate() -> None:
    seed_text = (SAMPLE_SITE.parent / "seed" / "seed_article.txt").read_text()
    extracted = extract_page(SEED_PAGE.read_bytes(), "http://127.0.0.1:1/voa/a/x.html", min_words=30)
    assert extracted.canonical_url is not None and "voanews.com" in extracted.canonical_url
    assert extracted.published_at is None
    for paragraph in seed_text.splitlines()[1:-1]:
        assert paragraph in extracted.text
    assert "Original Source" not in extracted.text and "Newsletter" not in extracted.text


def test_metadata_title_summary_authors_and_date_are_read() -> None:
    head = (
        '<meta property="og:title" content="Border closed"><meta name="description" content="The border shut.">'
        '<meta name="author" content="By Jane Doe and John Roe">'
        '<meta property="article:published_time" content="2026-11-22T14:05:00+03:00">'
        '<link rel="canonical" href="https://www.outlet.com/a/border">'
    )
    extracted = extract_page(page(head).encode(), "http://127.0.0.1:1/a", min_words=30)
    assert extracted.title == "Border closed"
    assert extracted.summary == "The border shut."
    assert extracted.authors == ["Jane Doe", "John Roe"]
    assert extracted.published_at == datetime(2026, 11, 22, 11, 5, tzinfo=UTC)
    assert extracted.canonical_url == "https://www.outlet.com/a/border"
    assert not extracted.text.startswith("Border closed")
    assert extracted.word_count == count_words(extracted.text)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (page(body="<p>Watch the video.</p>"), "empty_text"),
        ("<html><body></body></html>", "empty_text"),
        ("", "empty_text"),
    ],
)
def test_pages_without_an_article_raise_with_a_reason(html: str, reason: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_page(html.encode(), "http://127.0.0.1:1/a", min_words=30)
    assert caught.value.reason_code == reason
    assert "http://127.0.0.1:1/a" in str(caught.value)


def test_bylines_split_into_names() -> None:
    assert split_authors("By Jane Doe; John Roe | Jane Doe") == ["Jane Doe", "John Roe"]
    assert split_authors(None) == []


def test_language_is_an_iso_639_1_code() -> None:
    assert detect_language("The prime minister said the border would remain closed for a week.") == "en"
    assert detect_language("Le Premier ministre a déclaré que la frontière resterait fermée.") == "fr"
    assert detect_language("") == "und"


SENTENCE = "Officials in Baghdad said the border would stay closed for the coming week."


def test_prose_words_count_sentence_lines_not_link_lists_or_table_rows() -> None:
    links = "\n".join(["Home", "World news", "Sports results today", "Subscribe"])
    assert prose_words(links) == 0
    assert prose_words(f"{SENTENCE}\n{links}") == count_words(SENTENCE)
    assert prose_words("| 1 | Kyle Busch | 2,000 |") == 0


@pytest.mark.parametrize(
    ("text", "suspect"),
    [
        ("\n".join([SENTENCE] * 6), False),
        ("", True),
        (SENTENCE, True),  # fewer than min_words
        ("\n".join(["Home", "World", "Politics", "Business", "Sports"] * 10), True),  # a link list
        ("To order presentation-ready copies for distribution, use the Reprints tool. " * 3, True),  # a notice
        ("\n".join([SENTENCE] * 3 + ["We use cookies to improve the site."]), True),
        ("This copy is for your personal, non-commercial use only, from the outlet's syndication desk. " * 2, True),
    ],
)
def test_what_looks_like_boilerplate_is_retried_recall_first(text: str, suspect: bool) -> None:
    assert looks_like_boilerplate(text, min_words=30) is suspect


TABLE_LAYOUT = (
    "<html lang='en'><head><title>Border closed</title></head><body><table width='100%'><tr>"
    "<td width='20%'><a href='/'>Home</a><br><a href='/world'>World</a><br><a href='/sport'>Sport</a></td>"
    "<td><font size='4'><b>Border closed</b></font><br>"
    + "".join(f"{SENTENCE} Traders waited at the crossing on day {n}.<br><br>" for n in range(8))
    + "</td></tr></table></body></html>"
)


def test_an_article_laid_out_in_a_table_is_not_rejected() -> None:
    extracted = extract_page(TABLE_LAYOUT.encode(), "http://127.0.0.1:1/a", min_words=30)
    assert "Traders waited at the crossing on day 7" in extracted.text
    assert extracted.word_count >= 100


def test_a_results_table_in_the_article_is_kept() -> None:
    rows = "".join(f"<tr><td>{n}</td><td>Driver {n}</td><td>{2000 - 10 * n}</td></tr>" for n in range(1, 11))
    body = f"<p>{SENTENCE} The standings after the race are below.</p><table>{rows}</table>"
    extracted = extract_page(page(body=body).encode(), "http://127.0.0.1:1/a", min_words=30)
    assert "Driver 10" in extracted.text and "1910" in extracted.text


def test_a_dated_brief_is_kept_and_an_undated_one_is_not() -> None:
    brief = "<p>Officials in Baghdad said the border would stay closed for the coming week, pending talks.</p>"
    dated = page('<meta property="article:published_time" content="2026-11-22T14:05:00+03:00">', body=brief)
    extracted = extract_page(dated.encode(), "http://127.0.0.1:1/a", min_words=30)
    assert 10 <= extracted.word_count < 30
    with pytest.raises(ExtractionError) as caught:
        extract_page(page(body=brief).encode(), "http://127.0.0.1:1/a", min_words=30)
    assert caught.value.reason_code == "empty_text"


def test_a_page_comes_out_cleaned_with_its_words_counted_once_and_its_declared_language() -> None:
    dirty = PARAGRAPH.replace("Officials", "Officials\x1b[31m", 1)
    extracted = extract_page(page(body=dirty).encode(), "http://127.0.0.1:1/a", min_words=30)
    assert "\x1b" not in extracted.text and extracted.word_count == count_words(extracted.text)
    assert extracted.declared_language == "en"


def test_a_text_document_is_cleaned_and_checked_as_a_page_is() -> None:
    doc = {
        "title": " Border\x00 closed ",
        "text": "Officials said the border would stay closed. " * 10,
        "authors": ["Ann Lee", "\x07"],
        "language": "en",
        "published_at": "2026-11-20T08:00:00+01:00",
        "url": "https://x.com/a",
    }
    extracted = extract_document(doc, "https://x.com/a", min_words=30)
    assert (extracted.title, extracted.authors, extracted.word_count) == ("Border closed", ["Ann Lee"], 70)
    assert extracted.published_at is not None and extracted.published_at.utcoffset() is not None
    with pytest.raises(ExtractionError) as caught:
        extract_document({**doc, "text": "Too short, even dated."}, "https://x.com/a", min_words=30)
    assert caught.value.reason_code == "empty_text"  # a document has no brief allowance


def test_a_page_precision_finds_nothing_in_keeps_what_recall_finds() -> None:
    links = "".join(f"<li><a href='/s{n}'>View the Herald edition {n}</a></li>" for n in range(5))
    html = (
        "<html><head><title>Veteran cheered | Outlet</title>"
        "<meta property='article:published_time' content='2020-04-24T21:25:06+00:00'></head>"
        f"<body><div class='video'><ul>{links}</ul></div></body></html>"
    )
    extracted = extract_page(html.encode(), "http://127.0.0.1:1/a", min_words=30)
    assert extracted.text.startswith("View the Herald edition 0") and extracted.word_count == 25


JAPANESE = "子どもへの虐待をなくすための法律ができて、親が体罰をすることを禁止することになりました。"


def test_chinese_and_japanese_characters_count_as_words() -> None:
    assert count_words(JAPANESE) == sum(ch.isalpha() for ch in JAPANESE)
    assert count_words("NHK ニュース well-known") == 6
    assert prose_words(JAPANESE) == count_words(JAPANESE)


def test_a_short_japanese_article_is_not_rejected_for_its_lack_of_spaces() -> None:
    html = f"<html lang='ja'><head><title>法律</title></head><body><article><p>{JAPANESE}</p></article></body></html>"
    extracted = extract_page(html.encode(), "http://127.0.0.1:1/a", min_words=30)
    assert extracted.word_count >= 30
