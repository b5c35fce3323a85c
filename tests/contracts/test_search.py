"""Searching the contracts list (SPEC §2): serial numbers by their beginning on an index,
customers by any part of their name."""

import pytest
from django.db import connection

from contracts.filters import serial_number_starts
from contracts.models import System

pytestmark = pytest.mark.django_db

SYSTEMS = "/api/v1/systems/"


@pytest.fixture
def serials(acme, make_system):
    make_system(acme, customer="Globex", serial_number="CX-1042-A")
    make_system(acme, customer="Globex", serial_number="CX-1042-B")
    make_system(acme, customer="Initech", serial_number="SN-77.1_2")
    make_system(acme, customer="CX Partners", serial_number="ZZ-9")


def found(api, alice, q: str) -> set[str]:
    return {row["serial_number"] for row in api(alice).get(SYSTEMS, {"q": q}).json()["results"]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("CX-1042-A", {"CX-1042-A"}),  # a whole serial number
        ("cx-1042-b", {"CX-1042-B"}),  # in any case
        ("CX-1042", {"CX-1042-A", "CX-1042-B"}),  # its beginning
        ("SN-77.1_", {"SN-77.1_2"}),  # "." and "_" are plain characters, not patterns
        ("SN-77%", set()),
        ("1042", set()),  # the middle of a serial number is not its beginning
        ("cx", {"CX-1042-A", "CX-1042-B", "ZZ-9"}),  # CX Partners' system, by its name
        ("glob", {"CX-1042-A", "CX-1042-B"}),  # any part of a customer's name
        ("x partn", {"ZZ-9"}),  # a space: never a serial number, still a name
    ],
)
def test_search_finds_serials_by_their_beginning_and_customers_by_any_part(
    api, alice, serials, q, expected
):
    assert found(api, alice, q) == expected


def test_a_serial_search_is_a_range_of_the_serial_index(serials):
    systems = System.objects.filter(serial_number_starts("CX-1042-A"))
    sql, params = systems.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a four-row table is read whole
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "system_serial_upper_prefix" in plan
    assert "~>=~ 'CX-1042-A'" in plan  # a range that starts at the text, not a scan
