"""Word lists the place rules read (pipeline/enrich/places.py): data apart from the logic."""

AREA_WORDS = frozenset(
    [
        "region",
        "regions",
        "province",
        "provinces",
        "governorate",
        "oblast",
        "district",
        "districts",
        "county",
        "area",
        "prefecture",
        "municipality",
        "department",
        "valley",
        "river",
        "mountains",
        "strip",
    ]
)

# Words after a name that only a state or province has, never its namesake city: "the New York border".
DIVISION_HEADS = frozenset(["border", "line", "legislature", "lawmakers", "governor", "statehouse", "state"])

# The plural that makes every name of the list before it a division: "Becker, Clay and Wilkin counties".
AREA_PLURALS = frozenset(
    ["counties", "provinces", "regions", "districts", "parishes", "governorates", "prefectures", "municipalities"]
)

AGREEMENT_WORDS = frozenset(
    ["agreement", "agreements", "accord", "accords", "treaty", "protocol", "declaration", "convention", "pact"]
)

ATTRIBUTIVE_HEADS = frozenset(
    [
        "troops",
        "forces",
        "force",
        "military",
        "army",
        "navy",
        "soldiers",
        "warships",
        "bases",
        "base",
        "officials",
        "official",
        "sanctions",
        "support",
        "aid",
        "proposal",
        "mission",
        "embassy",
        "ambassador",
        "envoy",
        "delegation",
        "diplomats",
        "government",
        "administration",
        "authorities",
        "intelligence",
        "president",
        "secretary",
        "defense",
        "defence",
        "state",
        "tariffs",
        "dollar",
        "citizens",
        "nationals",
        "lawmakers",
        "policy",
        "pressure",
        "strikes",
        "drones",
        "weapons",
        "allies",
        "partners",
        "companies",
        "firms",
        "media",
    ]
)

CALENDAR_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
