"""The one rule that colours every milestone (no database)."""

import datetime as dt

import pytest

from gendan.milestones.chain import Light, Milestone, Step, worst_light

TODAY = dt.date(2026, 11, 20)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.mark.parametrize(
    ("step", "light", "late"),
    [
        (Step("s", "done on time", planned=day(-1), actual=day(-2), done=True), Light.GREEN, 0),
        (Step("s", "done on the day", planned=day(-1), actual=day(-1), done=True), Light.GREEN, 0),
        (Step("s", "done late", planned=day(-5), actual=day(-2), done=True), Light.AMBER, 3),
        (Step("s", "open, overdue", planned=day(-1)), Light.RED, 1),
        (Step("s", "open, forecast late", planned=day(9), forecast=day(12)), Light.RED, 3),
        (Step("s", "open, due in two days", planned=day(2)), Light.AMBER, 0),
        (Step("s", "open, due in three days", planned=day(3)), Light.GREEN, 0),
        (Step("s", "open, forecast on time", planned=day(9), forecast=day(8)), Light.GREEN, 0),
        (Step("s", "nothing planned", planned=None), Light.GREY, 0),
        (Step("s", "done, unplanned", planned=None, actual=day(0), done=True), Light.GREEN, 0),
    ],
    ids=lambda v: getattr(v, "label", None),
)
def test_light_and_days_late(step: Step, light: Light, late: int) -> None:
    assert step.light(TODAY) is light
    assert step.days_late(TODAY) == late


def test_the_chain_takes_the_colour_of_its_worst_step() -> None:
    def m(light: Light) -> Milestone:
        return Milestone(Step("s", "x", planned=None), light, 0)

    assert worst_light([m(Light.GREEN), m(Light.RED), m(Light.AMBER)]) is Light.RED
    assert worst_light([m(Light.GREEN), m(Light.AMBER)]) is Light.AMBER
    assert worst_light([m(Light.GREY)]) is Light.GREY
    assert worst_light([]) is None
