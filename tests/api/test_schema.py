"""The OpenAPI 3 schema at /api/schema/ and the interactive docs at /api/docs/ (local assets)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from contracts.serializers import EntitlementSerializer

pytestmark = pytest.mark.django_db

ENTITLEMENT_FIELDS = [
    "serial_number",
    "product",
    "release",
    "on",
    "status",
    "covered",
    "coverage_starts_on",
    "coverage_ends_on",
    "renewable",
    "renew_by",
    "upgrade_eligible",
    "upgrade_to",
    "support_eligible",
    "requires_um_coverage",
    "requires_tts_coverage",
]
RENEWAL_OPTIONS_FIELDS = [
    "serial_number",
    "on",
    "renewable",
    "reason",
    "requires_um_coverage",
    "requires_tts_coverage",
    "currency",
    "options",
]


@pytest.fixture
def schema(api):
    response = api().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_the_schema_generates_without_a_warning_and_validates(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.0")


def test_the_schema_is_public_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_operation_documents_its_error_answers(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        parameters = operation.get("parameters", [])
        assert {"401", "403", "429"} <= codes, (method, path)
        if any(p["in"] == "path" for p in parameters):
            assert "404" in codes, (method, path)
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            assert "400" in codes, (method, path)
        for code in codes - {"200", "201", "204"}:
            ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/FieldErrors" if code == "400" else "/Detail")


def test_every_list_is_keyset_paginated_in_the_schema(schema):
    lists = [
        (path, operation)
        for path, method, operation in operations(schema)
        if method == "get" and operation["operationId"].endswith("_list")
    ]
    assert {path for path, _ in lists} >= {
        "/api/v1/customers/",
        "/api/v1/systems/",
        "/api/v1/contracts/",
    }
    for path, operation in lists:
        names = {p["name"] for p in operation["parameters"]}
        assert {"cursor", "page_size"} <= names, path
        body = component(
            schema, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        )
        assert set(body["properties"]) == {"next", "previous", "results"}, path


def test_the_systems_list_documents_the_portal_filters(schema):
    operation = schema["paths"]["/api/v1/systems/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert {"status", "product", "customer", "expiring_within", "q", "sort"} <= set(parameters)
    assert parameters["sort"]["schema"]["enum"] == ["-expiry", "customer", "expiry", "serial"]


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/api/v1/systems/{serial_number}/entitlement/", ENTITLEMENT_FIELDS),
        ("/api/v1/systems/{serial_number}/renewal-options/", RENEWAL_OPTIONS_FIELDS),
    ],
)
def test_entitlement_and_renewal_options_document_exactly_the_spec_fields(schema, path, fields):
    operation = schema["paths"][path]["get"]
    body = component(
        schema, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )

    assert list(body["properties"]) == fields
    assert set(body["required"]) == set(fields)
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["on"]


def test_the_entitlement_serializer_keeps_the_documented_order():
    assert EntitlementSerializer.Meta.fields == ENTITLEMENT_FIELDS


def test_the_docs_page_uses_only_local_assets(api):
    response = api().get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    assert "<script>" not in html  # the start-up script is its own file (CSP: no inline script)
    script = api().get("/api/docs/?script=").content.decode()
    assert "/api/schema/" in script
