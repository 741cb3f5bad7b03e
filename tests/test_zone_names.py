import pytest

from momcircle.geo import known_time_zones, zone_name


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        ("America/Chicago", "Chicago time"),
        ("America/New_York", "New York time"),
        ("Pacific/Honolulu", "Honolulu time"),
        ("America/Indiana/Knox", "Knox, Indiana time"),
        ("America/St_Johns", "St. John’s time"),
    ],
)
def test_a_zone_is_named_after_its_city(zone, name):
    assert zone_name(zone) == name


def test_every_zone_in_the_picker_has_a_name_of_its_own():
    zones = known_time_zones()
    names = {zone_name(zone) for zone in zones}
    assert len(names) == len(zones)
    assert not any("/" in name or "_" in name for name in names)
