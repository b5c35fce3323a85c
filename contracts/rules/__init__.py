"""The rules of the contracts app: pure functions over plain values, no ORM, no clock.

Read as `contracts.rules.<name>`, whichever module holds a rule: `coverage` (kinds, dates,
status, entitlement), `booking` (what may be booked), `releases`, `records` (what staff record);
`prices` (SPEC §1.7), `decisions` (§1.8) and `letters` (§1.6) are read as modules of their own.
"""

from __future__ import annotations

from contracts.rules.booking import Booking as Booking
from contracts.rules.booking import RenewalOption as RenewalOption
from contracts.rules.booking import book as book
from contracts.rules.booking import check_add_ons as check_add_ons
from contracts.rules.booking import check_eligible as check_eligible
from contracts.rules.booking import check_no_overlap as check_no_overlap
from contracts.rules.booking import check_not_booked_twice as check_not_booked_twice
from contracts.rules.booking import check_term as check_term
from contracts.rules.booking import renewal_options as renewal_options
from contracts.rules.booking import renewal_start as renewal_start
from contracts.rules.booking import start_date as start_date
from contracts.rules.coverage import ALL_TERMS as ALL_TERMS
from contracts.rules.coverage import CHAIN_END_STATUSES as CHAIN_END_STATUSES
from contracts.rules.coverage import EXPIRING_DAYS as EXPIRING_DAYS
from contracts.rules.coverage import GRACE_DAYS as GRACE_DAYS
from contracts.rules.coverage import KIND_LABELS as KIND_LABELS
from contracts.rules.coverage import MESSAGES as MESSAGES
from contracts.rules.coverage import NEW_PURCHASE_DELAY_DAYS as NEW_PURCHASE_DELAY_DAYS
from contracts.rules.coverage import RENEWABLE_STATUSES as RENEWABLE_STATUSES
from contracts.rules.coverage import RENEWAL_TERMS as RENEWAL_TERMS
from contracts.rules.coverage import STATUS_LABELS as STATUS_LABELS
from contracts.rules.coverage import TERMS as TERMS
from contracts.rules.coverage import UM_CLIENTS_INCLUDED as UM_CLIENTS_INCLUDED
from contracts.rules.coverage import Coverage as Coverage
from contracts.rules.coverage import CoverageSummary as CoverageSummary
from contracts.rules.coverage import Entitlement as Entitlement
from contracts.rules.coverage import Period as Period
from contracts.rules.coverage import Purchase as Purchase
from contracts.rules.coverage import PurchaseKind as PurchaseKind
from contracts.rules.coverage import Status as Status
from contracts.rules.coverage import SystemFacts as SystemFacts
from contracts.rules.coverage import a_kind as a_kind
from contracts.rules.coverage import anchor_chain as anchor_chain
from contracts.rules.coverage import chain_end_bounds as chain_end_bounds
from contracts.rules.coverage import chains as chains
from contracts.rules.coverage import coverage_from_summary as coverage_from_summary
from contracts.rules.coverage import coverage_on as coverage_on
from contracts.rules.coverage import ends_on as ends_on
from contracts.rules.coverage import entitlement_for as entitlement_for
from contracts.rules.coverage import entitlement_from_summary as entitlement_from_summary
from contracts.rules.coverage import entitlement_on as entitlement_on
from contracts.rules.coverage import renew_by as renew_by
from contracts.rules.coverage import requires_tts_coverage as requires_tts_coverage
from contracts.rules.coverage import requires_um_coverage as requires_um_coverage
from contracts.rules.coverage import status_for_chain as status_for_chain
from contracts.rules.prices import CURRENCIES as CURRENCIES
from contracts.rules.prices import currency_for_region as currency_for_region
from contracts.rules.records import SystemRecord as SystemRecord
from contracts.rules.records import check_customer_move as check_customer_move
from contracts.rules.records import check_eligibility_change as check_eligibility_change
from contracts.rules.records import check_serial_number as check_serial_number
from contracts.rules.records import check_system_change as check_system_change
from contracts.rules.records import check_system_delete as check_system_delete
from contracts.rules.records import is_serial_number as is_serial_number
from contracts.rules.releases import VERSION as VERSION
from contracts.rules.releases import current_release as current_release
from contracts.rules.releases import supported_releases as supported_releases
from contracts.rules.releases import version_key as version_key
from contracts.rules.releases import version_sort_key as version_sort_key
