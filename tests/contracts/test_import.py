"""The legacy CSV import of SPEC §6.1, through the management command."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from contracts.models import Contract, Customer, Release, Reseller, System

HEADER = (
    "reseller_account,reseller_name,region,customer_name,serial_number,product,release,"
    "installed_on,um_clients,tts_channels,kind,booked_on,term_months,covers_um_clients,"
    "covers_tts,po_number"
)
GOOD = [
    "R-1001,Acme Voice,NA,Globex,CX-1,CallXpress,8.0,2022-01-15,20,2,plan,2025-01-01,12,false,true,PO-1",
    "R-1001,Acme Voice,NA,Globex,CX-1,CallXpress,8.0,2022-01-15,20,2,renewal,2025-12-15,13,false,true,PO-2",
    "R-1001,Acme Voice,NA,Globex,CX-2,Seneca,5.1,2024-03-01,60,0,new_purchase,2024-03-01,24,true,false,",
    "R-1001,Acme Voice,NA,Hooli,CX-3,CallXpress,7.5,2019-05-01,0,0,plan,2020-01-01,12,false,false,",
    "R-1001,Acme Voice,NA,Hooli,CX-3,CallXpress,7.5,2019-05-01,0,0,upgrade,2023-02-01,12,false,false,",
    "R-2001,Brightline,EMEA,Initech,RF-1,RightFax,10.0,2020-01-01,0,0,,,,,,",
]


@pytest.fixture
def write_csv(tmp_path):
    def write(*rows: str, header: str = HEADER):
        path = tmp_path / "import.csv"
        path.write_text("\n".join([header, *rows]) + "\n")
        return str(path)

    return write


def run_import(path, capsys):
    call_command("import_xpresscare", path)
    return capsys.readouterr()


def state():
    """Everything the import can write, to compare before and after."""
    return (
        list(Reseller.objects.values_list("account_number", "name", "region__code")),
        list(Customer.objects.values_list("reseller__account_number", "name")),
        list(Release.objects.values_list("product__name", "version")),
        list(System.objects.values().order_by("serial_number")),
        list(Contract.objects.values().order_by("id")),
    )


@pytest.mark.django_db
def test_a_good_file_is_imported_with_every_rule_applied(write_csv, capsys):
    out = run_import(write_csv(*GOOD), capsys).out
    assert "5 purchases booked" in out
    renewal = Contract.objects.get(system__serial_number="CX-1", kind="renewal")
    assert (renewal.starts_on, renewal.ends_on) == (date(2026, 1, 1), date(2027, 1, 31))
    new = Contract.objects.get(system__serial_number="CX-2")
    assert new.starts_on == date(2024, 3, 31)  # booked + 30 days
    cx3 = System.objects.get(serial_number="CX-3")
    assert cx3.release.version == "8.0"  # the paid upgrade moved it to the current release
    assert cx3.prior_chain_ends_on == date(2020, 12, 31)
    assert System.objects.get(serial_number="RF-1").contracts.count() == 0
    assert Reseller.objects.get(account_number="R-2001").region.code == "EMEA"


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(write_csv, capsys):
    path = write_csv(*GOOD)
    run_import(path, capsys)
    before = state()
    out = run_import(path, capsys).out
    assert "0 purchases booked, 5 already on record" in out
    assert state() == before


@pytest.mark.django_db
def test_a_serial_number_in_another_case_names_the_system_on_record(write_csv, capsys):
    run_import(write_csv(GOOD[0]), capsys)
    out = run_import(write_csv(GOOD[0], GOOD[1].replace(",CX-1,", ",cx-1,")), capsys).out
    assert "1 purchases booked, 1 already on record" in out
    assert list(System.objects.values_list("serial_number", flat=True)) == ["CX-1"]
    assert Contract.objects.filter(system__serial_number="CX-1").count() == 2


@pytest.mark.django_db
def test_every_wrong_row_is_reported_by_line_and_nothing_is_imported(write_csv):
    path = write_csv(
        GOOD[0],
        "R-1001,Acme Voice,XX,Globex,CX-9,CallXpress,8.0,,0,0,,,,,,",  # line 3: region
        "R-1001,Acme Voice,NA,Globex,CX-4,CallXpress,8.0,,75,0,plan,2025-01-01,12,false,false,",
        "R-1001,Acme Voice,NA,Globex,CX-5,RightFax,10.0,,0,0,plan,2025-01-01,12,false,false,",
        "R-1001,Acme Voice,NA,Globex,CX-1,CallXpress,8.0,,20,2,renewal,2026-02-01,12,false,true,",
        "R-1001,Acme Voice,NA,Globex,CX-6,CallXpress,8.0,2025-02-30,0,0,,,,,,",
        "R-1001,Acme Voice,NA,Globex,CX-7,Unknown,1.0,,0,0,,,,,,",
        "R-1001,Acme Voice,NA,Globex,CX-8,CallXpress,8.0,,0,0,plan,2025-01-01,18,false,false,",
        GOOD[2],
    )
    with pytest.raises(CommandError, match="nothing imported: 7 wrong row"):
        call_command("import_xpresscare", path)
    assert not Reseller.objects.exists() and not Contract.objects.exists()


@pytest.mark.django_db
def test_the_errors_name_their_lines_and_rules(write_csv, capsys):
    path = write_csv(
        GOOD[0],
        "R-1001,Acme Voice,XX,Globex,CX-9,CallXpress,8.0,,0,0,,,,,,",
        "R-1001,Acme Voice,NA,Globex,CX-4,CallXpress,8.0,,75,0,plan,2025-01-01,12,false,false,",
        "R-1001,Acme Voice,NA,Globex,CX-1,CallXpress,8.0,,20,2,renewal,2026-02-01,12,false,true,",
    )
    with pytest.raises(CommandError):
        call_command("import_xpresscare", path)
    assert capsys.readouterr().err.splitlines() == [
        "line 3: region “XX” must be NA or EMEA.",
        "line 4: XpressCare for UM clients is required: this system has 75 unified-messaging "
        "clients (more than 50).",
        "line 5: Coverage ended more than 30 days ago: purchase a software upgrade to return to "
        "XpressCare.",
    ]


@pytest.mark.django_db
def test_a_file_without_the_header_is_refused(write_csv, capsys):
    with pytest.raises(CommandError):
        call_command("import_xpresscare", write_csv(GOOD[0], header="serial_number,kind"))
    assert "line 1: the header lacks reseller_account" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match=r"cannot read /nonexistent\.csv"):
        call_command("import_xpresscare", "/nonexistent.csv")


def test_a_serial_number_that_cannot_be_an_address_is_refused_with_its_line():
    from contracts.importer import parse_row
    from partnerxpress.core.errors import RuleViolation

    row = {
        "reseller_account": "R-1",
        "region": "NA",
        "customer_name": "Globex",
        "serial_number": "CX/1",
        "product": "CallXpress",
        "release": "8.0",
    }
    with pytest.raises(RuleViolation, match="use only letters, digits"):
        parse_row(2, row)
    parse_row(2, {**row, "serial_number": "CX-1.a_B"})
