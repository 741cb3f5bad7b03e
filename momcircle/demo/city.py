"""A deterministic demo metro area: Chicago and its inner suburbs, with working moms whose
weekly availability follows the patterns real members report (after-bedtime evenings,
weekend mornings with kids, lunch breaks, shift work). Pure data generation, no database."""

import itertools
import random
from dataclasses import dataclass, field
from functools import cache

import zipcodes
from django.utils.text import slugify

from momcircle.availability.windows import WeeklyWindow
from momcircle.distance import distance_miles

CENTER = (41.8781, -87.6298)  # the Loop
RADIUS_MILES = 22
TIME_ZONE = "America/Chicago"
EMAIL_DOMAIN = "momcircle.demo"
PASSWORD = "momcircle-demo"

NEIGHBORHOODS = {
    "60605": "South Loop", "60607": "West Loop", "60608": "Pilsen", "60609": "Bridgeport",
    "60610": "Old Town", "60611": "Streeterville", "60612": "Near West Side",
    "60613": "Lakeview East", "60614": "Lincoln Park", "60615": "Hyde Park",
    "60616": "Chinatown", "60618": "Avondale", "60622": "Wicker Park", "60623": "Little Village",
    "60625": "Lincoln Square", "60626": "Rogers Park", "60630": "Jefferson Park",
    "60631": "Edison Park", "60634": "Dunning", "60639": "Belmont Cragin", "60640": "Uptown",
    "60641": "Portage Park", "60643": "Beverly", "60645": "West Ridge", "60646": "Sauganash",
    "60647": "Logan Square", "60651": "Humboldt Park", "60653": "Bronzeville",
    "60654": "River North", "60655": "Mount Greenwood", "60656": "Norwood Park",
    "60657": "Lakeview", "60659": "North Park", "60660": "Edgewater",
}  # fmt: skip

FIRST_NAMES = (
    "Aisha Alejandra Amanda Amara Ana Angela Ashley Brianna Camila Carmen Chloe Claire Dana "
    "Danielle Deja Diana Elena Emily Erin Fatima Gabriela Grace Hannah Imani Isabel Jasmine "
    "Jennifer Jessica Julia Kate Keisha Laura Leah Lucia Maya Megan Mei Monica Nadia Natalie "
    "Nicole Olivia Priya Rachel Rebecca Rosa Samantha Sarah Sofia Tamara Tanya Valeria Whitney "
    "Yasmin Zoe"
).split()
LAST_NAMES = (
    "Adams Brown Chen Cohen Davis Diaz Evans Flores Garcia Green Harris Hernandez Hill Jackson "
    "Johnson Kim Kowalski Lee Lopez Martin Martinez Miller Moore Nguyen Novak O'Brien Patel "
    "Perez Robinson Rodriguez Sanchez Scott Shah Singh Smith Taylor Thomas Thompson Walker "
    "Washington White Williams Wilson Wright Young Zielinski"
).split()
INTERESTS = (
    "running",
    "book club",
    "yoga",
    "board games",
    "cooking",
    "gardening",
    "hiking",
    "crafts",
    "wine tasting",
    "podcasts",
    "baking",
    "live music",
    "photography",
    "biking",
)
GROUP_NOUNS = (
    "Working Moms",
    "Moms After Bedtime",
    "Saturday Stroller Crew",
    "Lunch Break Moms",
    "Night Owl Moms",
    "Weekend Playground Moms",
    "Moms Who Work",
    "Coffee & Chaos Moms",
)
# For a second group of the same kind in one place: "North Logan Square Working Moms".
NAME_QUALIFIERS = ("North", "South", "East", "West", "Parkside", "Uptown", "Downtown")
WORK_PATTERNS = (
    ("full_time_on_site", 35), ("hybrid", 30), ("remote", 15), ("part_time", 10), ("shifts", 10),
)  # fmt: skip
AGE_BANDS = (("baby", 2), ("toddler", 4), ("preschool", 4), ("school_age", 3), ("teen", 1))
LOOKING_FOR = ("moms_night_out", "weekend_family", "walks", "online_chats")
GROUP_STYLES = ("kid_free_evenings", "family_weekends", "both")


@dataclass
class DemoMember:
    number: int
    first_name: str
    last_initial: str
    zip_code: str
    latitude: float
    longitude: float
    work_pattern: str
    kids: dict[str, int]
    looking_for: list[str]
    interests: list[str]
    windows: list[WeeklyWindow]

    @property
    def email(self) -> str:
        return f"demo{self.number}@{EMAIL_DOMAIN}"


@dataclass
class DemoGroup:
    number: int
    name: str
    place: str
    slug: str
    zip_code: str
    latitude: float
    longitude: float
    meeting_style: str
    kids_age_focus: list[str]
    size_cap: int
    join_policy: str
    organizer: int
    members: list[int] = field(default_factory=list)


@cache
def metro_zips() -> tuple[tuple[str, float, float, str], ...]:
    """(zip, latitude, longitude, place) of every standard ZIP within the metro radius."""
    found = []
    for row in zipcodes.filter_by(state="IL"):
        if row["zip_code_type"] != "STANDARD" or not row["active"]:
            continue
        lat, lng = float(row["lat"]), float(row["long"])
        if distance_miles(*CENTER, lat, lng) <= RADIUS_MILES:
            place = NEIGHBORHOODS.get(row["zip_code"], row["city"])
            found.append((row["zip_code"], lat, lng, place))
    return tuple(sorted(found))


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _hm(hours: float) -> int:
    return int(hours * 60)


def weekly_pattern(rng: random.Random, work_pattern: str) -> list[WeeklyWindow]:
    """A realistic week for a working mom with this work pattern."""
    windows: list[WeeklyWindow] = []
    if work_pattern != "shifts" or rng.random() < 0.4:
        start = rng.choice((20, 20.5, 21))
        for weekday in rng.sample(range(0, 5), rng.randint(1, 4)):
            windows.append(WeeklyWindow(weekday, _hm(start), _hm(start + 1.5), "kid_free"))
    if rng.random() < 0.75:
        start = rng.choice((8.5, 9, 9.5, 10))
        for weekday in rng.sample((5, 6), rng.randint(1, 2)):
            windows.append(WeeklyWindow(weekday, _hm(start), _hm(start + 3), "kids_along"))
    if work_pattern in ("remote", "hybrid") and rng.random() < 0.5:
        for weekday in rng.sample(range(0, 5), rng.randint(1, 3)):
            windows.append(WeeklyWindow(weekday, _hm(12), _hm(13), "kid_free"))
    if work_pattern == "shifts":
        start = rng.choice((9, 10, 13))
        for weekday in rng.sample(range(0, 7), 2):
            windows.append(WeeklyWindow(weekday, _hm(start), _hm(start + 3), "kids_along"))
    if rng.random() < 0.2:
        windows.append(WeeklyWindow(4, _hm(21), _hm(0.5), "kid_free"))  # Friday, past midnight
    return windows


def generate_members(count: int, seed: int) -> list[DemoMember]:
    rng = random.Random(f"members-{seed}")
    zips = metro_zips()
    members = []
    for number in range(1, count + 1):
        zip_code, lat, lng, _ = rng.choice(zips)
        work_pattern = _weighted(rng, WORK_PATTERNS)
        kids: dict[str, int] = {}
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            band = _weighted(rng, AGE_BANDS)
            kids[band] = kids.get(band, 0) + 1
        members.append(
            DemoMember(
                number=number,
                first_name=rng.choice(FIRST_NAMES),
                last_initial=rng.choice(LAST_NAMES)[0],
                zip_code=zip_code,
                latitude=lat,
                longitude=lng,
                work_pattern=work_pattern,
                kids=kids,
                looking_for=rng.sample(LOOKING_FOR, rng.randint(1, 3)),
                interests=rng.sample(INTERESTS, rng.randint(0, 4)),
                windows=weekly_pattern(rng, work_pattern),
            )
        )
    return members


@dataclass
class DemoSeries:
    """A recurring meetup of a demo group, and the members in it every time."""

    group: int
    title: str
    frequency: str
    weekday: int
    hour: int
    minute: int
    minutes: int
    kid_mode: str
    venue: str
    standing: list[int]


# (title, frequency, weekday, hour, minute, minutes, kid mode, venue) by meeting style.
SERIES_BY_STYLE = {
    "kid_free_evenings": ("Moms' night out", "biweekly", 1, 20, 30, 90, "kid_free", "{} Tap Room"),
    "family_weekends": ("Playground morning", "monthly", 5, 9, 30, 120, "kids_along", "{} Park"),
    "both": ("Walk and talk", "weekly", 3, 20, 0, 60, "kid_free", "{} Library steps"),
}  # fmt: skip
SERIES_EVERY = 6  # one group in six has a recurring meetup


def generate_series(groups: list[DemoGroup], seed: int) -> list[DemoSeries]:
    """A recurring meetup for one group in six, with a few of its members in every time."""
    rng = random.Random(f"series-{seed}")
    found = []
    for group in groups:
        if group.number % SERIES_EVERY != 1:
            continue
        title, frequency, weekday, hour, minute, minutes, kid_mode, venue = SERIES_BY_STYLE[
            group.meeting_style
        ]
        standing = rng.sample(group.members, min(len(group.members), rng.randint(1, 3)))
        found.append(
            DemoSeries(
                group=group.number,
                title=title,
                frequency=frequency,
                weekday=weekday,
                hour=hour,
                minute=minute,
                minutes=minutes,
                kid_mode=kid_mode,
                venue=venue.format(group.place),
                standing=[group.organizer, *standing],
            )
        )
    return found


def _unused_name(place: str, nouns: list[str], qualifiers: list[str], taken: set[str]) -> str:
    """Members tell groups apart by name, so no two share one: another kind of group in the
    same place first, then a part of the place, then a number."""
    plain = [f"{place} {noun}" for noun in nouns]
    qualified = [f"{qualifier} {name}" for qualifier in qualifiers for name in plain]
    numbered = (f"{plain[0]} {n}" for n in itertools.count(2))
    return next(name for name in itertools.chain(plain, qualified, numbered) if name not in taken)


def generate_groups(count: int, seed: int, members: list[DemoMember]) -> list[DemoGroup]:
    """Groups near their organizer, filled with members from the same and nearby ZIPs."""
    rng = random.Random(f"groups-{seed}")
    naming = random.Random(f"group-names-{seed}")  # its own stream: the groups stay the same
    by_zip: dict[str, list[int]] = {}
    for person in members:
        by_zip.setdefault(person.zip_code, []).append(person.number)
    place_of = {zip_code: place for zip_code, _, _, place in metro_zips()}
    groups = []
    taken: set[str] = set()
    for number in range(1, min(count, len(members)) + 1):
        organizer = members[rng.randrange(len(members))]
        style = rng.choice(GROUP_STYLES)
        cap = rng.choice((8, 10, 12, 12, 12, 15))
        place = place_of[organizer.zip_code]
        first_noun = rng.choice(GROUP_NOUNS)
        nouns = [first_noun, *naming.sample(GROUP_NOUNS, len(GROUP_NOUNS))]
        qualifiers = naming.sample(NAME_QUALIFIERS, len(NAME_QUALIFIERS))
        name = _unused_name(place, nouns, qualifiers, taken)
        taken.add(name)
        neighbors = [n for n in by_zip[organizer.zip_code] if n != organizer.number]
        size = min(len(neighbors), rng.randint(2, cap - 1))
        groups.append(
            DemoGroup(
                number=number,
                name=name,
                place=place,
                slug=f"{slugify(name)}-demo-{number}",
                zip_code=organizer.zip_code,
                latitude=organizer.latitude,
                longitude=organizer.longitude,
                meeting_style=style,
                kids_age_focus=sorted(organizer.kids),
                size_cap=cap,
                join_policy=rng.choice(("open", "open", "request")),
                organizer=organizer.number,
                members=rng.sample(neighbors, size),
            )
        )
    return groups
