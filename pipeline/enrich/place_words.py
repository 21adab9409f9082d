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

# Words after a name that news uses of a state or province, not of its namesake seat: "the New York border",
# "New York Gov. Mario Cuomo", "the Quebec government".
DIVISION_HEADS = frozenset(
    ["border", "line", "legislature", "lawmakers", "governor", "gov", "government", "premier", "statehouse", "state"]
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

# Words right before a street's name that say it is one ("lives on X Drive", "turned off X Road").
STREET_PREPOSITIONS = frozenset(["on", "off", "along", "at", "near", "between", "onto"])

# A town's own bodies, the word right after its name ("Athens Police Department", "Roselle police",
# "Beaconsfield Mayor", "Enfield Council"): the town is a place the article names, the body acts there.
LOCAL_BODY_WORDS = frozenset(
    ["police", "sheriff", "fire", "firefighters", "council", "mayor", "selectmen", "aldermen", "constabulary"]
)

# Nouns for people a town's name stands before to say where they live or come from ("a 24-year-old Elkhart
# man", "Chicopee residents"): the name is a place. Not "family" or "couple": "the Jackson family" is a surname.
RESIDENT_NOUNS = frozenset(
    ["man", "men", "woman", "women", "teen", "teens", "teenager", "boy", "girl", "resident", "residents", "native"]
)

# A US legislator's party letters, written before the seat's town, county or state ("Rep. Barbara Lee,
# D-Oakland"; DFL is Minnesota's Democratic party).
PARTY_LETTERS = frozenset(["D", "R", "I", "DFL"])

# Compass words before a place's name that make a part of it ("Northeast Georgia", "West Wichita", "N.W.
# Rochester"), lower case without periods: the part is no place of its own, the place after it is named.
DIRECTION_PREFIXES = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "n",
        "s",
        "e",
        "w",
        "ne",
        "nw",
        "se",
        "sw",
    ]
)

# Area words that name a place's surroundings, not a division of its name: "the Charlotte region", "the
# Manhattan area" are the city and what lies around it, whatever county of that name lies elsewhere.
SURROUNDING_WORDS = frozenset(["region", "area"])

# Plural area words after a list of names: each name is such a division ("Jackson and Barrow counties").
PLURAL_AREA_WORDS = frozenset(
    [
        "counties",
        "parishes",
        "townships",
        "boroughs",
        "provinces",
        "districts",
        "regions",
        "governorates",
        "prefectures",
        "municipalities",
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
