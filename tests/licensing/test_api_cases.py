"""The cases API: scoping, create and draft edits, actions, conflicts and bad input."""

import pytest

from audit.models import AuditEvent
from licensing.models import Case
from tests.licensing.factories import (
    PDF_BYTES,
    case_in_status,
    draft_case,
)
from tests.registry.factories import CountryFactory, VehicleModelFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


def _body(case: Case, **overrides):  # type: ignore[no-untyped-def]
    line = case.lines.first()
    body = {
        "kind": "licence",
        "brand": case.brand_id,
        "destination": case.destination_id,
        "customs_port": "Shanghai",
        "trade_mode": "general",
        "contract_number": "CT-2026-1",
        "transport_mode": "sea",
        "use_mode": "single",
        "valid_from": "2026-03-02",
        "valid_until": "2026-08-31",
        "lines": [
            {"vehicle_model": line.vehicle_model_id, "quantity": 5, "unit_price_usd": "21000.00"}
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def template(maker):  # type: ignore[no-untyped-def]
    return draft_case(maker)


def test_applicant_creates_a_draft_for_its_own_enterprise(api_as, maker, template):  # type: ignore[no-untyped-def]
    response = api_as(maker).post("/api/v1/cases/", _body(template), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["version"] == 1
    assert data["applicant"] == maker.membership.enterprise_id
    assert data["reference"].startswith("LC-2026-")
    assert data["lines"][0]["quantity"] == 5


def test_create_ignores_read_only_status_and_version(api_as, maker, template):  # type: ignore[no-untyped-def]
    body = _body(template, status="approved", version=99, decided_by=1)
    data = api_as(maker).post("/api/v1/cases/", body, format="json").json()
    assert (data["status"], data["version"], data["decided_by"]) == ("draft", 1, None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "EU"}, "destination"),
        ({"destination": "ZZ"}, "destination"),
        ({"lines": []}, "lines"),
        ({"valid_from": "2026-13-01"}, "valid_from"),
        ({"valid_until": "2027-01-15"}, "valid_until"),
        ({"valid_from": "2026-03-02", "valid_until": "2026-09-15"}, "valid_until"),
        ({"contract_number": "X" * 18}, "contract_number"),
        ({"customs_port": "P" * 101}, "customs_port"),
        ({"kind": "spaceship"}, "kind"),
    ],
)
def test_bad_case_input_is_a_field_error_and_saves_nothing(api_as, maker, template, change, field):  # type: ignore[no-untyped-def]
    before = Case.objects.count()
    response = api_as(maker).post("/api/v1/cases/", _body(template, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Case.objects.count() == before


def test_a_regional_destination_is_refused_with_a_message_naming_the_rule(api_as, maker, template):  # type: ignore[no-untyped-def]
    response = api_as(maker).post(
        "/api/v1/cases/", _body(template, destination="EU"), format="json"
    )
    assert response.status_code == 400
    assert "exactly one country" in response.json()["destination"][0]


def test_another_enterprise_cannot_be_named_as_applicant(api_as, maker, rival_enterprise, template):  # type: ignore[no-untyped-def]
    before = Case.objects.count()
    body = _body(template, applicant=rival_enterprise.pk)
    response = api_as(maker).post("/api/v1/cases/", body, format="json")
    assert response.status_code in (400, 403, 404)
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    "line",
    [
        {"quantity": 0},
        {"quantity": -3},
        {"unit_price_usd": "0"},
        {"unit_price_usd": "-1.00"},
        {"quantity": "many"},
    ],
)
def test_zero_or_negative_quantities_and_prices_are_refused(api_as, maker, template, line):  # type: ignore[no-untyped-def]
    body = _body(template)
    body["lines"][0].update(line)
    response = api_as(maker).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert "lines" in response.json()


def test_models_of_another_brand_or_not_bev_are_refused(api_as, maker, template):  # type: ignore[no-untyped-def]
    other = VehicleModelFactory()
    hybrid = VehicleModelFactory(brand=template.brand, powertrain="PHEV")
    for model in (other, hybrid):
        body = _body(template)
        body["lines"][0]["vehicle_model"] = model.pk
        response = api_as(maker).post("/api/v1/cases/", body, format="json")
        assert response.status_code == 400
        assert "lines" in response.json()


def test_portal_users_see_only_their_enterprise_and_staff_see_all(  # type: ignore[no-untyped-def]
    api_as, maker, rival, caseworker, template
):
    rivals = draft_case(rival)
    own = api_as(maker).get("/api/v1/cases/").json()["results"]
    assert {c["id"] for c in own} == {template.pk}
    staff = api_as(caseworker).get("/api/v1/cases/").json()["results"]
    assert {c["id"] for c in staff} == {template.pk, rivals.pk}


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"version": 1, "customs_port": "Ningbo"}),
        ("post", "submit/", {}),
        ("post", "withdraw/", {}),
        ("post", "respond/", {"answer": "x"}),
        ("get", "eligibility/", None),
        ("get", "documents/", None),
        ("post", "eligibility/override/", {"code": "outlets", "reason": "x"}),
    ],
)
def test_another_enterprises_case_is_not_found_for_every_verb(  # type: ignore[no-untyped-def]
    api_as, rival, template, method, suffix, body
):
    client = api_as(rival)
    response = getattr(client, method)(f"/api/v1/cases/{template.pk}/{suffix}", body, format="json")
    assert response.status_code == 404
    missing = getattr(client, method)(f"/api/v1/cases/999999/{suffix}", body, format="json")
    assert missing.json() == response.json()


def test_filters_by_status_kind_destination_and_submission_date(api_as, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    submitted = case_in_status(
        "submitted", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    draft = draft_case(maker, destination=CountryFactory(code="DE"))
    client = api_as(caseworker)

    def ids(query: str) -> set[int]:
        return {c["id"] for c in client.get(f"/api/v1/cases/?{query}").json()["results"]}

    assert ids("status=submitted") == {submitted.pk}
    assert ids("kind=licence") == {submitted.pk, draft.pk}
    assert ids("destination=DE") == {draft.pk}
    assert ids("submitted_after=2026-02-25") == {submitted.pk}
    assert ids("submitted_after=2026-02-26") == set()
    assert client.get("/api/v1/cases/?submitted_after=yesterday").status_code == 400


def test_patch_in_draft_needs_the_current_version(api_as, maker, template):  # type: ignore[no-untyped-def]
    client = api_as(maker)
    url = f"/api/v1/cases/{template.pk}/"
    assert client.patch(url, {"customs_port": "Ningbo"}, format="json").status_code == 400
    ok = client.patch(url, {"version": 1, "customs_port": "Ningbo"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "customs_port": "Tianjin"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert Case.objects.get(pk=template.pk).customs_port == "Ningbo"


def test_patch_after_submission_is_an_invalid_transition(api_as, maker, template):  # type: ignore[no-untyped-def]
    client = api_as(maker)
    assert client.post(f"/api/v1/cases/{template.pk}/submit/", {}, format="json").status_code == 200
    response = client.patch(
        f"/api/v1/cases/{template.pk}/", {"version": 2, "customs_port": "X"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_double_submission_is_a_conflict_with_one_event(api_as, maker, template):  # type: ignore[no-untyped-def]
    client = api_as(maker)
    url = f"/api/v1/cases/{template.pk}/submit/"
    assert client.post(url, {"version": 1}, format="json").status_code == 200
    again = client.post(url, {"version": 1}, format="json")
    assert again.status_code == 409
    assert AuditEvent.objects.filter(verb="licensing.case.submitted").count() == 1


def test_a_case_travels_the_whole_workflow_through_the_api(  # type: ignore[no-untyped-def]
    api_as, maker, caseworker, officer, template
):
    base = f"/api/v1/cases/{template.pk}/"
    assert api_as(maker).post(base + "submit/", {}, format="json").json()["status"] == "submitted"
    assert (
        api_as(caseworker).post(base + "assign/", {}, format="json").json()["status"]
        == "under_review"
    )
    due = "2026-03-06"
    asked = api_as(caseworker).post(
        base + "request-info/", {"question": "Q?", "due_on": due}, format="json"
    )
    assert asked.json()["status"] == "info_requested" and asked.json()["sla"]["paused"] is True
    assert (
        api_as(maker).post(base + "respond/", {"answer": "A."}, format="json").json()["status"]
        == "under_review"
    )
    checklist = api_as(caseworker).get(base + "eligibility/").json()
    assert checklist["passed"] is True and {c["code"] for c in checklist["checks"]} >= {
        "outlets",
        "validity",
    }
    rec = api_as(caseworker).post(
        base + "recommend/", {"outcome": "approve", "reasons": "OK"}, format="json"
    )
    assert rec.json()["status"] == "recommended"
    decided = api_as(officer).post(
        base + "decide/", {"outcome": "approve", "reasons": "OK"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"


def test_self_decision_is_refused_with_the_four_eyes_code(
    api_as, maker, officer, officer2, template
):  # type: ignore[no-untyped-def]
    case = case_in_status(
        "recommended", applicant_user=maker, caseworker=officer, officer=officer2, case=template
    )
    response = api_as(officer).post(
        f"/api/v1/cases/{case.pk}/decide/", {"outcome": "approve", "reasons": "Mine"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "four_eyes"
    assert Case.objects.get(pk=case.pk).status == "recommended"


@pytest.mark.parametrize(
    ("suffix", "body", "field"),
    [
        ("request-info/", {"question": "", "due_on": "2026-03-06"}, "question"),
        ("request-info/", {"question": "Q", "due_on": "06/03/2026"}, "due_on"),
        ("request-info/", {"question": "Q", "due_on": "2026-02-20"}, "due_on"),
        ("recommend/", {"outcome": "maybe", "reasons": "x"}, "outcome"),
        ("recommend/", {"outcome": "refuse", "reasons": ""}, "reasons"),
        ("assign/", {"assignee": 999999}, "assignee"),
    ],
)
def test_bad_action_bodies_are_field_errors(
    api_as, maker, caseworker, officer, suffix, body, field
):  # type: ignore[no-untyped-def]
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    if suffix == "assign/":
        case = case_in_status(
            "submitted", applicant_user=maker, caseworker=caseworker, officer=officer
        )
    response = api_as(caseworker).post(f"/api/v1/cases/{case.pk}/{suffix}", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()


def test_acting_on_a_withdrawn_case_is_a_conflict(api_as, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status("withdrawn", applicant_user=maker, caseworker=caseworker, officer=officer)
    response = api_as(caseworker).post(f"/api/v1/cases/{case.pk}/assign/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_list_query_count_does_not_grow_with_rows(
    api_as, caseworker, maker, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    for _ in range(3):
        draft_case(maker, eligible=False)
    client = api_as(caseworker)
    with django_assert_max_num_queries(12) as small:
        client.get("/api/v1/cases/")
    for _ in range(10):
        draft_case(maker, eligible=False)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/v1/cases/")


def test_schema_documents_the_action_bodies(api_as, caseworker):  # type: ignore[no-untyped-def]
    schema = api_as(caseworker).get("/api/schema/?format=json").json()
    body = schema["paths"]["/api/v1/cases/{id}/request-info/"]["post"]["requestBody"]
    assert "RequestInfo" in str(body)


def test_documents_upload_list_and_download(api_as, maker, template):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(maker)
    upload = SimpleUploadedFile("terms.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        f"/api/v1/cases/{template.pk}/documents/",
        {"doc_type": "warranty", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    doc_id = response.json()["id"]
    download = client.get(f"/api/v1/cases/{template.pk}/documents/{doc_id}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES
