"""The legacy XpressCare import (SPEC §6.1), shared by `manage.py import_xpresscare` and admin.

The whole file is one transaction: rows are applied in order through the booking service, every
wrong row is collected as `line N: message`, and if there is any the transaction is rolled back.
A purchase already on record (same serial number, kind and booking date) is skipped, so
importing a file again changes nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import DatabaseError, transaction
from django.db.models.functions import Upper

from contracts import rules
from contracts.models import Contract, Customer, Product, Region, Release, Reseller, System
from contracts.services import BookingBatch, customer_create
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.filtering import OUT_OF_RANGE, is_in_range

COLUMNS = (
    "reseller_account,reseller_name,region,customer_name,serial_number,product,release,"
    "installed_on,um_clients,tts_channels,kind,booked_on,term_months,covers_um_clients,"
    "covers_tts,po_number"
).split(",")
MAX_LENGTHS = {
    "reseller_account": 32,
    "reseller_name": 200,
    "customer_name": 200,
    "serial_number": 64,
    "release": 32,
    "po_number": 64,
}
LOOKUP_CHUNK = 2000


class RowError(Exception):
    """One row is wrong; the message is shown after `line N: `."""


class ImportFailed(RuleViolation):
    """The file was refused and nothing was written; `errors` lists every wrong row."""

    def __init__(self, errors: list[str]) -> None:
        count = f"{len(errors)} wrong row" + ("s" if len(errors) != 1 else "")
        super().__init__("import_failed", f"Nothing was imported: {count}.", "file", errors)
        self.errors = errors


@dataclass(frozen=True)
class Row:
    """One parsed line of the file."""

    line: int
    reseller_account: str
    reseller_name: str
    region: str
    customer_name: str
    serial_number: str
    product: str
    release: str
    installed_on: date | None
    um_clients: int
    tts_channels: int
    kind: rules.PurchaseKind | None
    booked_on: date | None
    term_months: int | None
    covers_um_clients: bool
    covers_tts: bool
    po_number: str


@dataclass
class ImportReport:
    rows: int = 0
    resellers_created: int = 0
    customers_created: int = 0
    releases_created: int = 0
    systems_created: int = 0
    contracts_booked: int = 0
    contracts_already_on_record: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.contracts_booked} purchases booked, "
            f"{self.contracts_already_on_record} already on record; created "
            f"{self.resellers_created} resellers, {self.customers_created} customers, "
            f"{self.systems_created} systems, {self.releases_created} releases."
        )


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise RowError(f"{name} “{value}” is not a date like 2026-01-31.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{name} “{value}” is not a real date.") from None
    if not is_in_range(day):
        raise RowError(f"{name} “{value}”: {OUT_OF_RANGE[0].lower()}{OUT_OF_RANGE[1:]}")
    return day


def _count(value: str, name: str) -> int:
    if not value:
        return 0
    if not value.isdigit():
        raise RowError(f"{name} “{value}” is not a whole number of 0 or more.")
    return int(value)


def _bool(value: str, name: str) -> bool:
    if value.lower() not in {"", "true", "false"}:
        raise RowError(f"{name} “{value}” must be true or false.")
    return value.lower() == "true"


def _purchase(values: dict[str, str]) -> tuple[rules.PurchaseKind | None, date | None, int | None]:
    """The row's purchase (kind, booking date, term), or three Nones when it records a system."""
    if not values["kind"]:
        return None, None, None
    if values["kind"] not in set(rules.PurchaseKind):
        kinds = ", ".join(kind.value for kind in rules.PurchaseKind)
        raise RowError(f"kind “{values['kind']}” must be empty or one of {kinds}.")
    booked_on = _date(values["booked_on"], "booked_on")
    if booked_on is None:
        raise RowError("booked_on is required when kind is given.")
    if not values["term_months"].isdigit():
        raise RowError("term_months must be a whole number of months when kind is given.")
    return rules.PurchaseKind(values["kind"]), booked_on, int(values["term_months"])


def parse_row(line: int, raw: dict[str, str]) -> Row:
    """Check one row's fields on their own (no database)."""
    values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    for name in ("reseller_account", "customer_name", "serial_number", "product", "release"):
        if not values[name]:
            raise RowError(f"{name} is required.")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            raise RowError(f"{name} is longer than {limit} characters.")
    if values["region"] not in {"NA", "EMEA"}:
        raise RowError(f"region “{values['region']}” must be NA or EMEA.")
    rules.check_serial_number(values["serial_number"])
    rules.version_key(values["release"])  # a RuleViolation names a bad release number
    kind, booked_on, term = _purchase(values)
    return Row(
        line=line,
        reseller_account=values["reseller_account"],
        reseller_name=values["reseller_name"] or values["reseller_account"],
        region=values["region"],
        customer_name=values["customer_name"],
        serial_number=values["serial_number"],
        product=values["product"],
        release=values["release"],
        installed_on=_date(values["installed_on"], "installed_on"),
        um_clients=_count(values["um_clients"], "um_clients"),
        tts_channels=_count(values["tts_channels"], "tts_channels"),
        kind=kind,
        booked_on=booked_on,
        term_months=term,
        covers_um_clients=_bool(values["covers_um_clients"], "covers_um_clients"),
        covers_tts=_bool(values["covers_tts"], "covers_tts"),
        po_number=values["po_number"],
    )


class _Importer:
    """Applies rows in order through one booking batch, remembering what it looked up."""

    def __init__(self, serials: set[str]) -> None:
        self.report = ImportReport()
        self.batch = BookingBatch()
        self.regions = {region.code: region for region in Region.objects.all()}
        self.products = {product.name.lower(): product for product in Product.objects.all()}
        self.resellers: dict[str, Reseller] = {}
        self.customers: dict[tuple[int, str], Customer] = {}
        self.releases: dict[tuple[int, str], Release] = {}
        for product in self.products.values():
            self.batch.releases[product.pk] = []
        for release in Release.objects.all():
            self.releases[(release.product_id, release.version)] = release
            self.batch.add_release(release)
        self.systems: dict[str, System] = {}  # by serial number in upper case: any case names it
        self.booked: dict[tuple[str, str, date], Contract] = {}
        self._preload(sorted(serials))

    def _preload(self, serials: list[str]) -> None:
        for start in range(0, len(serials), LOOKUP_CHUNK):
            chunk = serials[start : start + LOOKUP_CHUNK]
            systems = (
                System.objects.annotate(serial_upper=Upper("serial_number"))
                .filter(serial_upper__in={serial.upper() for serial in chunk})
                .select_related("reseller", "customer", "product", "release")
            )
            for system in systems:
                self.systems[system.serial_upper] = system
            self.batch.lock(systems)
            for system in systems:
                for contract in self.batch.purchases(system):
                    self.booked[(system.serial_number, contract.kind, contract.booked_on)] = (
                        contract
                    )

    def reseller(self, row: Row) -> Reseller:
        reseller = self.resellers.get(row.reseller_account)
        if reseller is None:
            reseller = Reseller.objects.filter(account_number=row.reseller_account).first()
            if reseller is None:
                reseller = Reseller.objects.create(
                    account_number=row.reseller_account,
                    name=row.reseller_name,
                    region=self.regions[row.region],
                )
                self.report.resellers_created += 1
            self.resellers[row.reseller_account] = reseller
        if reseller.region_id != self.regions[row.region].pk:
            raise RowError(
                f"reseller {reseller.account_number} is in region {reseller.region}, "
                f"not {row.region}."
            )
        return reseller

    def customer(self, reseller: Reseller, name: str) -> Customer:
        key = (reseller.pk, name)
        if key not in self.customers:
            customer = Customer.objects.filter(reseller=reseller, name=name).first()
            if customer is None:
                customer = customer_create(reseller=reseller, name=name)
                self.report.customers_created += 1
            self.customers[key] = customer
        return self.customers[key]

    def release(self, product: Product, version: str) -> Release:
        key = (product.pk, version)
        if key not in self.releases:
            release = Release.objects.create(product=product, version=version)
            self.releases[key] = release
            self.batch.add_release(release)
            self.report.releases_created += 1
        return self.releases[key]

    def system(self, row: Row) -> System:
        product = self.products.get(row.product.lower())
        if product is None:
            names = ", ".join(sorted(p.name for p in self.products.values()))
            raise RowError(f"product “{row.product}” is not one of {names}.")
        reseller = self.reseller(row)
        customer = self.customer(reseller, row.customer_name)
        release = self.release(product, row.release)
        system = self.systems.get(row.serial_number.upper())
        if system is None:
            system = System(
                serial_number=row.serial_number,
                customer=customer,
                product=product,
                release=release,
                installed_on=row.installed_on,
                um_clients=row.um_clients,
                tts_channels=row.tts_channels,
            )
            self.systems[row.serial_number.upper()] = system
            self.batch.add(system)
            self.report.systems_created += 1
            return system
        if system.product_id != product.pk:
            raise RowError(
                f"serial number {system.serial_number} is a {system.product.name} system, "
                f"not {product.name}."
            )
        if system.customer_id != customer.pk:
            raise RowError(
                f"serial number {system.serial_number} belongs to {system.customer.name} of "
                f"reseller {system.reseller.account_number}."
            )
        self._update_system(system, row, release)
        return system

    def _update_system(self, system: System, row: Row, release: Release) -> None:
        """A later row records the system as it is now; a release never goes backwards."""
        changed = False
        if rules.version_key(release.version) > rules.version_key(system.release.version):
            system.release = release
            changed = True
        for name in ("um_clients", "tts_channels", "installed_on"):
            value = getattr(row, name)
            if value is not None and getattr(system, name) != value:
                setattr(system, name, value)
                changed = True
        if changed:
            self.batch.add(system)

    def purchase(self, row: Row, system: System) -> None:
        key = (system.serial_number, row.kind.value, row.booked_on)
        existing = self.booked.get(key)
        if existing is not None:
            same = (existing.term_months, existing.covers_um_clients, existing.covers_tts) == (
                row.term_months,
                row.covers_um_clients,
                row.covers_tts,
            )
            if not same:
                raise RowError(
                    f"a {row.kind.value} of {system.serial_number} booked on {row.booked_on} is "
                    "already on record with another term or other add-ons."
                )
            self.report.contracts_already_on_record += 1
            return
        booking = rules.Booking(
            kind=row.kind,
            booked_on=row.booked_on,
            term_months=row.term_months,
            covers_um_clients=row.covers_um_clients,
            covers_tts=row.covers_tts,
        )
        self.booked[key] = self.batch.book(system, booking, po_number=row.po_number)
        self.report.contracts_booked += 1

    def apply(self, row: Row) -> None:
        system = self.system(row)
        if row.kind is not None:
            self.purchase(row, system)


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    reader = csv.DictReader(lines)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportFailed([f"line 1: the header lacks {', '.join(missing)}."])
    reader.fieldnames = header
    for raw in reader:
        if None in raw:
            count = len(header) + len(raw[None])
            yield reader.line_num, None, f"{count} values for {len(header)} columns."
        elif any("\x00" in value for value in raw.values() if value):
            yield reader.line_num, None, "a NUL character: this is no CSV text."
        else:
            yield reader.line_num, raw, None


def xpresscare_import(
    lines: Iterable[str], *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Apply a whole CSV file, or nothing: raises ImportFailed with every wrong row."""
    parsed: list[Row] = []
    errors: list[str] = []
    for line, raw, problem in _rows(lines):
        try:
            if problem:
                raise RowError(problem)
            parsed.append(parse_row(line, raw))
        except (RowError, RuleViolation) as wrong:
            errors.append(f"line {line}: {wrong}")
    with transaction.atomic():
        importer = _Importer({row.serial_number for row in parsed})
        for done, row in enumerate(parsed, start=1):
            try:
                importer.apply(row)
            except (RowError, RuleViolation) as wrong:
                errors.append(f"line {row.line}: {wrong}")
            except DatabaseError as failure:
                # The transaction is unusable after a database error: report it and stop.
                errors.append(f"line {row.line}: the database refused the row ({failure}).")
                break
            if progress:
                progress(done)
        if errors:
            errors.sort(key=lambda message: int(message.split(":")[0].split()[1]))
            raise ImportFailed(errors)
        importer.batch.save()
    importer.report.rows = len(parsed)
    return importer.report
