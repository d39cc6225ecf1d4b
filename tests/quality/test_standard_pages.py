"""Inspection standard pages: who reads and who changes them (the API's rule), the model's
rules as field errors, edited limits used by the next inspection, deactivation."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from gendan.ledger.models import Kind, LedgerEntry
from gendan.ledger.record import subject_of
from gendan.production.actions import report_progress
from gendan.quality.actions import inspect_progress
from gendan.quality.models import InspectionStandard, Measurement, Result, Stage
from gendan.quality.selectors import standards_for
from tests.factories import ProductFactory
from tests.purchasing.helpers import material, paper_product
from tests.quality.helpers import paper_standards, standard

pytestmark = pytest.mark.django_db
D = Decimal

#: Who may change standards: the quality head and management (`can_edit_standards`).
EDITORS = {"quality_head", "gm", "admin"}
#: Signed in, may read, may not change: a quality inspector, other departments, auditors.
READERS = {"quality_reviewer", "clerk", "sales_head", "production_head", "auditor", "outsider"}


@pytest.fixture
def product(staff):
    return paper_product()


@pytest.fixture
def standards(product) -> dict[str, InspectionStandard]:
    return paper_standards(product)


def form_data(standard_: InspectionStandard | None = None, **changes: Any) -> dict[str, str]:
    """The form's fields for `standard_` (or a new final moisture check), with `changes`."""
    data = {
        "product": "",
        "material": "",
        "stage": Stage.FINAL,
        "sequence": "20",
        "characteristic": "Ash content",
        "method": "GB/T 742",
        "unit": "%",
        "target": "12",
        "tolerance_minus": "",
        "tolerance_plus": "3",
        "frequency": "every lot",
    }
    if standard_ is not None:
        data.update(
            {
                "product": str(standard_.product_id or ""),
                "material": str(standard_.material_id or ""),
                "stage": standard_.stage,
                "sequence": str(standard_.sequence),
                "characteristic": standard_.characteristic,
                "method": standard_.method,
                "unit": standard_.unit,
                "target": str(standard_.target),
                "tolerance_minus": ""
                if standard_.tolerance_minus is None
                else str(standard_.tolerance_minus),
                "tolerance_plus": ""
                if standard_.tolerance_plus is None
                else str(standard_.tolerance_plus),
                "frequency": standard_.frequency,
            }
        )
    data.update({k: str(v) for k, v in changes.items()})
    return data


def rows() -> list[tuple[Any, ...]]:
    return list(
        InspectionStandard.objects.order_by("pk").values_list(
            "pk", "characteristic", "target", "tolerance_minus", "tolerance_plus", "is_active"
        )
    )


# --- reading ---------------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_list_and_a_standard(staff, standards, client_for) -> None:
    moisture = standards["moisture"]
    for name in EDITORS | READERS:
        client = client_for(name)
        listed = client.get("/quality/standards/")
        assert listed.status_code == 200, name
        assert f'data-standard="{moisture.pk}"' in listed.content.decode()
        page = client.get(f"/quality/standards/{moisture.pk}/")
        assert page.status_code == 200, name
        body = page.content.decode()
        assert 'id="lower-limit">6 %' in body and 'id="upper-limit">9 %' in body
        # the item's other characteristics at the final stage, not the in-process ones
        assert f'data-standard="{standards["burst"].pk}"' in body
        assert f'data-standard="{standards["ip_moisture"].pk}"' not in body
        shows_edit = f"/quality/standards/{moisture.pk}/edit/" in body
        assert shows_edit == (name in EDITORS), name


def test_anonymous_visitors_are_sent_to_sign_in(standards) -> None:
    client = Client()
    for url in ("/quality/standards/", f"/quality/standards/{standards['moisture'].pk}/"):
        answer = client.get(url)
        assert answer.status_code == 302 and "login" in answer["Location"]


def test_a_standard_that_does_not_exist_is_404(staff, standards, client_for) -> None:
    client = client_for("quality_head")
    missing = InspectionStandard.objects.order_by("pk").last().pk + 1
    assert client_for("clerk").get(f"/quality/standards/{missing}/").status_code == 404
    assert client.get(f"/quality/standards/{missing}/").status_code == 404
    assert client.get(f"/quality/standards/{missing}/edit/").status_code == 404
    assert client.post(f"/quality/standards/{missing}/deactivate/").status_code == 404
    assert client.post(f"/quality/standards/{missing}/reactivate/").status_code == 404


def test_list_filters_by_product_grade_stage_and_active(staff, standards, client_for) -> None:
    other = ProductFactory(code="WT140", grade="white top")
    white = standard(other, Stage.FINAL, "Whiteness", "85", "3", None, "%")
    standards["burst"].is_active = False
    standards["burst"].save()
    client = client_for("clerk")

    def listed(query: str) -> set[int]:
        body = client.get(f"/quality/standards/?{query}").content.decode()
        return {s.pk for s in InspectionStandard.objects.all() if f'data-standard="{s.pk}"' in body}

    active_paper = {s.pk for s in standards.values()} - {standards["burst"].pk}
    assert listed("") == active_paper | {white.pk}
    assert listed(f"product={other.pk}") == {white.pk}
    assert listed("grade=white+top") == {white.pk}
    assert listed("grade=corrugating+medium&stage=final") == {
        standards["grammage"].pk,
        standards["moisture"].pk,
    }
    assert listed("status=inactive") == {standards["burst"].pk}
    assert listed("status=all&stage=final&q=burst") == {standards["burst"].pk}


def test_list_answers_htmx_with_the_table_only(staff, standards, client_for) -> None:
    answer = client_for("clerk").get(
        "/quality/standards/?stage=final",
        headers={"HX-Request": "true", "HX-Target": "standard-table"},
    )
    body = answer.content.decode()
    assert answer.status_code == 200
    assert body.lstrip().startswith('<div class="card" id="standard-table">')
    assert f'data-standard="{standards["moisture"].pk}"' in body


def test_list_query_budget_does_not_grow_with_rows(
    staff, standards, client_for, django_assert_max_num_queries
) -> None:
    client = client_for("clerk")
    for n in range(30):
        standard(ProductFactory(), Stage.FINAL, f"Check {n}", "1", "0.1", "0.1")
    with django_assert_max_num_queries(6):
        assert client.get("/quality/standards/?status=all").status_code == 200


# --- who changes them --------------------------------------------------------------------------


def test_only_the_quality_head_and_management_change_standards(
    staff, standards, client_for
) -> None:
    moisture = standards["moisture"]
    pages = ["/quality/standards/new/", f"/quality/standards/{moisture.pk}/edit/"]
    for name in READERS:
        client = client_for(name)
        before = rows()
        for url in pages:
            assert client.get(url).status_code == 403, (name, url)
        assert (
            client.post(pages[0], form_data(product=standards["moisture"].product_id)).status_code
            == 403
        )
        assert client.post(pages[1], form_data(moisture, tolerance_plus="2")).status_code == 403
        assert client.post(f"/quality/standards/{moisture.pk}/deactivate/").status_code == 403
        assert rows() == before, name
    for name in EDITORS:
        client = client_for(name)
        for url in pages:
            assert client.get(url).status_code == 200, (name, url)
        answer = client.post(pages[1], form_data(moisture, method=f"set by {name}"))
        assert answer.status_code == 302, (name, answer.content[:400])
        moisture.refresh_from_db()
        assert moisture.method == f"set by {name}"


def test_the_pages_and_the_api_allow_the_same_people(staff, standards, client_for) -> None:
    moisture = standards["moisture"]
    for name in sorted(staff):
        client = client_for(name)
        page = client.get(f"/quality/standards/{moisture.pk}/edit/").status_code
        api = client.patch(
            f"/api/v1/inspection-standards/{moisture.pk}/",
            {"frequency": f"by {name}"},
            content_type="application/json",
        ).status_code
        assert (page, api) in ((200, 200), (403, 403)), (name, page, api)


# --- the model's rules as field errors --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tolerance_minus": "-1"}, "tolerance_minus", "greater than or equal to 0"),
        ({"tolerance_plus": ""}, "tolerance_minus", "Give at least one tolerance"),
        ({"characteristic": "moisture"}, "characteristic", "already checked on this item"),
        ({"target": "abc"}, "target", "Enter a number"),
    ],
)
def test_bad_new_standard_shows_the_field_error_and_saves_nothing(
    staff, standards, client_for, changes, field, message
) -> None:
    before = rows()
    ledger = LedgerEntry.objects.count()
    data = form_data(product=standards["moisture"].product_id, **changes)
    answer = client_for("quality_head").post("/quality/standards/new/", data)
    assert answer.status_code == 400
    body = answer.content.decode()
    errors = body.split(f'id="id_{field}_errors"', 1)
    assert len(errors) == 2 and message in errors[1].split("</ul>", 1)[0], body[:2000]
    assert rows() == before
    assert LedgerEntry.objects.count() == ledger


def test_material_outside_incoming_and_two_items_are_refused(staff, standards, client_for) -> None:
    pulp = material("PULP-B")
    client = client_for("quality_head")
    before = rows()
    answer = client.post("/quality/standards/new/", form_data(material=pulp.pk))
    assert answer.status_code == 400
    assert "inspected on arrival" in answer.content.decode().split('id="id_stage_errors"')[1]
    both = form_data(material=pulp.pk, product=standards["moisture"].product_id, stage="incoming")
    answer = client.post("/quality/standards/new/", both)
    assert answer.status_code == 400
    assert "Choose either a product or a material." in answer.content.decode()
    assert rows() == before


def test_edit_into_a_duplicate_is_refused_but_keeping_its_own_name_is_not(
    staff, standards, client_for
) -> None:
    client = client_for("quality_head")
    grammage = standards["grammage"]
    url = f"/quality/standards/{grammage.pk}/edit/"
    answer = client.post(url, form_data(grammage, characteristic="Moisture"))
    assert answer.status_code == 400 and 'id="id_characteristic_errors"' in answer.content.decode()
    assert client.post(url, form_data(grammage, tolerance_plus="5")).status_code == 302
    # the in-process moisture is another stage: not a duplicate
    ip = standards["ip_grammage"]
    answer = client.post(
        f"/quality/standards/{ip.pk}/edit/", form_data(ip, characteristic="Moisture ")
    )
    assert answer.status_code == 400  # in-process moisture exists too
    assert InspectionStandard.objects.get(pk=ip.pk).characteristic == "Grammage"


def test_the_api_applies_the_same_duplicate_rule(staff, standards, client_for) -> None:
    client = client_for("quality_head")
    moisture = standards["moisture"]
    created = client.post(
        "/api/v1/inspection-standards/",
        {
            "product": moisture.product_id,
            "stage": "final",
            "characteristic": "MOISTURE",
            "target": "7",
            "tolerance_plus": "1",
        },
        content_type="application/json",
    )
    assert created.status_code == 400 and "characteristic" in created.json()
    # a partial change of the standard itself is no duplicate of itself
    changed = client.patch(
        f"/api/v1/inspection-standards/{moisture.pk}/",
        {"tolerance_plus": "2"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    renamed = client.patch(
        f"/api/v1/inspection-standards/{moisture.pk}/",
        {"characteristic": "Grammage"},
        content_type="application/json",
    )
    assert renamed.status_code == 400 and "characteristic" in renamed.json()


def test_new_standard_is_saved_with_a_ledger_entry(staff, standards, client_for) -> None:
    product = standards["moisture"].product
    client = client_for("quality_head")
    form = client.get(f"/quality/standards/new/?product={product.pk}&stage=final")
    assert f'<option value="{product.pk}" selected>' in form.content.decode()
    answer = client.post("/quality/standards/new/", form_data(product=product.pk))
    created = InspectionStandard.objects.get(characteristic="Ash content")
    assert answer.status_code == 302 and answer["Location"] == f"/quality/standards/{created.pk}/"
    assert (created.lower_limit, created.upper_limit) == (None, D("15"))
    entry = LedgerEntry.objects.get(subject=subject_of(created))
    assert entry.kind == Kind.CREATED and entry.actor == staff["quality_head"]
    assert created in standards_for(stage=Stage.FINAL, product=product)


# --- edits and deactivation reach the next inspection -----------------------------------------


def _report(released):
    return report_progress(
        work_order=released["paper"],
        user=released["leader"],
        good_quantity="10",
        hours="2",
    )


def _inspect(released, staff, moisture: str):
    """An in-process inspection of a new progress report: grammage on target."""
    s = released["standards"]
    return inspect_progress(
        progress_report=_report(released),
        user=staff["quality_reviewer"],
        values={s["ip_grammage"].pk: "120", s["ip_moisture"].pk: moisture},
    )


def test_edited_limits_apply_to_the_next_inspection_only(staff, released, client_for) -> None:
    moisture = released["standards"]["ip_moisture"]
    first = _inspect(released, staff, "8.8")
    assert first.result == Result.PASSED  # 6 – 9 %

    answer = client_for("quality_head").post(
        f"/quality/standards/{moisture.pk}/edit/", form_data(moisture, tolerance_plus="1.0")
    )
    assert answer.status_code == 302
    page = client_for("quality_reviewer").get(answer["Location"]).content.decode()
    assert 'id="upper-limit">8.5 %' in page

    second = _inspect(released, staff, "8.8")
    assert second.result == Result.FAILED  # 6 – 8.5 % now
    assert Measurement.objects.get(inspection=first, standard=moisture).upper_limit == D("9")
    assert Measurement.objects.get(inspection=second, standard=moisture).upper_limit == D("8.5")
    entry = LedgerEntry.objects.get(subject=subject_of(moisture), kind=Kind.CHANGED)
    assert entry.changes["tolerance_plus"] == ["1.5000", "1.0000"]
    assert entry.actor == staff["quality_head"]


def test_deactivated_standard_is_no_longer_asked_for_but_stays(staff, released, client_for) -> None:
    moisture = released["standards"]["ip_moisture"]
    used = _inspect(released, staff, "7.5")
    client = client_for("quality_head")

    answer = client.post(f"/quality/standards/{moisture.pk}/deactivate/")
    assert answer.status_code == 302
    moisture.refresh_from_db()
    assert not moisture.is_active
    assert moisture not in standards_for(stage=Stage.IN_PROCESS, product=released["product"])
    report = _report(released)
    form = client_for("quality_reviewer").get(f"/quality/inspect/progress/{report.pk}/")
    assert f"value_{moisture.pk}" not in form.content.decode()
    # the recorded inspection keeps its value and the standard it was checked against
    assert Measurement.objects.get(inspection=used, standard=moisture).value == D("7.5")
    page = client.get(f"/quality/standards/{moisture.pk}/").content.decode()
    assert 'id="standard-inactive"' in page and 'id="measured">1<' in page
    assert "/reactivate/" in page and "/deactivate/" not in page
    listed = client.get("/quality/standards/").content.decode()
    assert f'data-standard="{moisture.pk}"' not in listed
    entry = LedgerEntry.objects.get(subject=subject_of(moisture), kind=Kind.CHANGED)
    assert entry.changes == {"is_active": [True, False]}


def test_reactivation_is_refused_while_another_checks_the_same(
    staff, standards, client_for
) -> None:
    client = client_for("quality_head")
    moisture = standards["moisture"]
    client.post(f"/quality/standards/{moisture.pk}/deactivate/")
    replacement = standard(moisture.product, Stage.FINAL, "Moisture", "7", "1", "1", "%")

    answer = client.post(f"/quality/standards/{moisture.pk}/reactivate/", follow=True)
    assert "already checked on this item" in answer.content.decode()
    assert not InspectionStandard.objects.get(pk=moisture.pk).is_active

    client.post(f"/quality/standards/{replacement.pk}/deactivate/")
    client.post(f"/quality/standards/{moisture.pk}/reactivate/")
    assert InspectionStandard.objects.get(pk=moisture.pk).is_active


def test_readers_cannot_deactivate_or_reactivate(staff, standards, client_for) -> None:
    burst = standards["burst"]
    for name in READERS:
        assert (
            client_for(name).post(f"/quality/standards/{burst.pk}/deactivate/").status_code == 403
        )
    assert InspectionStandard.objects.get(pk=burst.pk).is_active
    burst.is_active = False
    burst.save()
    for name in READERS:
        assert (
            client_for(name).post(f"/quality/standards/{burst.pk}/reactivate/").status_code == 403
        )
    assert not InspectionStandard.objects.get(pk=burst.pk).is_active
