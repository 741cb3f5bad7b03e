import pytest

from momcircle.circles.packing import Option, relaxation

# Three circles of two over three members, each pair sharing one: a fractional packing.
TRIANGLE = [Option(("a", "b"), 6, 0), Option(("b", "c"), 6, 0), Option(("a", "c"), 6, 0)]


def test_the_relaxation_uses_every_option_of_a_fractional_packing():
    used, _ = relaxation(TRIANGLE)
    assert used == [0, 1, 2]


def test_the_relaxation_prices_each_contested_member_at_what_she_adds():
    _, prices = relaxation(TRIANGLE)
    assert prices == pytest.approx({"a": 1.0, "b": 1.0, "c": 1.0})
