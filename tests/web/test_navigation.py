"""The top bar links to each section (planning, emergencies, the execution steps, supervision)
only for those who may open them: each link shown answers 200, each page refused (403) has
no link."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = {
    "emergency": "emergency:list",
    "planning": "planning:gantt",
    "purchasing": "purchasing:list",
    "production": "production:list",
    "quality": "quality:home",
    "warehouse": "warehouse:home",
    "shipping": "shipping:list",
    "aftersales": "aftersales:cases",
    "supervision": "monitoring:supervision",
}
ROLES = [
    "clerk",
    "sales_head",
    "technical_reviewer",
    "production_head",
    "logistics_reviewer",
    "gm",
    "admin",
    "auditor",
    "outsider",
]


def nav(html: str) -> set[str]:
    return set(re.findall(r'data-nav="([a-z]+)"', html))


@pytest.mark.parametrize("name", ROLES)
def test_nav_shows_exactly_the_sections_the_user_may_open(client_for, name):
    client = client_for(name)
    shown = nav(client.get(reverse("home")).content.decode())
    for section, route in SECTIONS.items():
        status = client.get(reverse(route)).status_code
        assert status in (200, 403), (section, status)
        assert (section in shown) == (status == 200), (name, section, status)


def test_planning_is_for_planners_and_management(client_for):
    shown = {name: "planning" in nav(client_for(name).get("/").content.decode()) for name in ROLES}
    assert shown["production_head"] and shown["gm"] and shown["auditor"]
    assert not shown["clerk"] and not shown["sales_head"] and not shown["technical_reviewer"]


def test_the_current_section_is_marked(client_for):
    html = client_for("production_head").get(reverse("production:list")).content.decode()
    assert re.search(r'class="active" aria-current="page" data-nav="production"', html)
