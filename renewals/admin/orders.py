"""The order desk: book or reject orders, ship and install upgrades (SPEC §3)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from contracts.money import format_money
from contracts.rules import currency_for_region
from contracts.wording import po_text
from partnerxpress.core.admin import AuditedActionsMixin, HistoryAdmin, LockedRecordsMixin
from partnerxpress.core.admin_forms import (
    Confirmation,
    Recipient,
    confirm_action,
    is_confirmed,
    service_form_view,
)
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import day_text
from renewals import rules, services
from renewals.models import Order, OrderLine


def order_currency(order: Order) -> str:
    return currency_for_region(order.reseller.region.code)


def order_today(order: Order) -> date:
    """The order's reseller's today: the booking date the desk is offered."""
    return order.reseller.region.today(timezone.now())


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = [
        "system",
        "term_months",
        "covers_um_clients",
        "covers_tts",
        "target_release",
        "contract_link",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # lines come from the reseller's order; the rules checked them

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="contract")
    def contract_link(self, line: OrderLine) -> str:
        if line.contract_id is None:
            return "—"
        url = reverse("admin:contracts_contract_change", args=[line.contract_id])
        return format_html(
            '<a href="{}">{}</a> {} to {}',
            url,
            line.contract.number,
            line.contract.starts_on,
            line.contract.ends_on,
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("book", "Book it"), ("reject", "Reject it")],
        widget=forms.RadioSelect,
        initial="book",
    )
    booked_on = forms.DateField(help_text="Booking applies every rule as of this date.")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text="Needed to reject: the reseller sees it on the order and in the e-mail.",
    )


class ShipForm(forms.Form):
    shipping_charge = forms.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, help_text="Billed to the reseller."
    )


class InstallForm(forms.Form):
    installed_on = forms.DateField(initial=timezone.localdate)


LOCKED = {
    rules.State.SUBMITTED: "A submitted order changes only through “Book or reject”, which "
    "applies every rule as of the booking date.",
    rules.State.BOOKED: "Booked on {booked} by {order.booked_by}: the booking is final. Its "
    "contracts are on the lines below.",
    rules.State.REJECTED: "Rejected on {rejected} by {order.rejected_by}: final. The reseller "
    "was told why.",
    rules.State.SHIPPED: "Shipped on {shipped}: it changes only through “Mark installed”.",
    rules.State.INSTALLED: "Installed on {installed}: final.",
}


def order_day(order: Order, moment) -> str:
    """The reseller's day of an instant of the order (as the reseller dates it), written out."""
    return day_text(order.reseller.region.today(moment)) if moment else ""


def booking_confirmation(orders: list[Order]) -> Confirmation:
    """What booking the selected orders will send: one e-mail to each order's placer."""
    waiting = [order for order in orders if order.state == rules.State.SUBMITTED]
    recipients = [
        Recipient(
            f"{order.placed_by.get_full_name() or order.placed_by.username} "
            f"<{order.placed_by.email}>",
            f"{order} booked ({order.reseller.name}, {po_text(order.po_number)})",
        )
        for order in waiting
        if order.placed_by and order.placed_by.email
    ]
    notes = [
        f"{order} is {order.state}: left as it is." for order in orders if order not in waiting
    ]
    return Confirmation(
        recipients=recipients,
        question=f"Book {len(waiting)} order(s), each as of its reseller's today?",
        button="Yes, book them",
        notes=notes,
    )


@admin.register(Order)
class OrderAdmin(AuditedActionsMixin, LockedRecordsMixin, HistoryAdmin):
    change_form_template = "admin/renewals/order/change_form.html"
    list_display = [
        "__str__",
        "po_number",
        "reseller",
        "kind",
        "state",
        "next_step",
        "customer",
        "systems",
        "submitted_at",
    ]
    list_filter = ["state", "kind", "reseller__region", "submitted_at"]
    search_fields = [
        "po_number",
        "reseller__name",
        "reseller__account_number",
        "customer__name",
        "lines__system__serial_number",
    ]
    list_select_related = ["reseller__region", "customer"]
    date_hierarchy = "submitted_at"
    inlines = [OrderLineInline]
    actions = ["book_selected"]
    readonly_fields = [
        "reseller",
        "customer",
        "kind",
        "po_number",
        "placed_by",
        "submitted_at",
        "state",
        "booked_on",
        "booked_by",
        "rejected_at",
        "rejected_by",
        "rejection_reason",
        "shipped_at",
        "shipped_by",
        "shipping",
        "installed_on",
        "installed_by",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False  # resellers place orders in the portal or the API

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of what a reseller asked for: reject it instead

    def locked_reason(self, order: Order) -> str:
        return LOCKED[rules.State(order.state)].format(
            order=order,
            booked=day_text(order.booked_on) if order.booked_on else "",
            rejected=order_day(order, order.rejected_at),
            shipped=order_day(order, order.shipped_at),
            installed=day_text(order.installed_on) if order.installed_on else "",
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines__system")

    @admin.display(description="shipping charge", ordering="shipping_charge")
    def shipping(self, order: Order) -> str:
        return (
            format_money(order.shipping_charge, order_currency(order))
            or self.get_empty_value_display()
        )

    @admin.display(description="systems")
    def systems(self, order: Order) -> str:
        return ", ".join(line.system.serial_number for line in order.lines.all())

    @admin.display(description="order desk")
    def next_step(self, order: Order) -> str:
        links = [
            (reverse(f"admin:renewals_order_{action}", args=[order.pk]), label)
            for action, label in self.actions_for(order)
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links) or "—"

    @staticmethod
    def actions_for(order: Order) -> list[tuple[str, str]]:
        """The desk's next steps for an order in its state (the rules decide, not this list)."""
        steps = {
            rules.State.SUBMITTED: [("decide", "Book or reject")],
            rules.State.BOOKED: [("ship", "Mark shipped")] if order.is_upgrade else [],
            rules.State.SHIPPED: [("install", "Mark installed")],
        }
        return steps.get(rules.State(order.state), [])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "order_steps": [
                (reverse(f"admin:renewals_order_{action}", args=[order.pk]), label)
                for action, label in (self.actions_for(order) if order else [])
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="renewals_order_decide"),
            path("<int:pk>/ship/", view(self.ship_view), name="renewals_order_ship"),
            path("<int:pk>/install/", view(self.install_view), name="renewals_order_install"),
            *super().get_urls(),
        ]

    def _order(self, request, pk: int) -> Order:
        orders = Order.objects.select_related("reseller__region", "placed_by")
        order = get_object_or_404(orders, pk=pk)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        return order

    def _done(self, order: Order) -> str:
        return reverse("admin:renewals_order_change", args=[order.pk])

    def decide_view(self, request, pk: int):
        """Book or reject in one step; each line's dates are shown before booking, and a refused
        booking shows the rule's message here."""
        order = self._order(request, pk)
        form = DecisionForm(request.POST or None, initial={"booked_on": order_today(order)})
        booked_on = form.cleaned_data["booked_on"] if form.is_valid() else order_today(order)

        def decide(data: dict) -> str:
            if data["decision"] == "reject":
                services.order_reject(order=order, reason=data["reason"], by=request.user)
                return f"{order} rejected; {order.placed_by or 'the reseller'} is told why."
            services.order_book(order=order, booked_on=data["booked_on"], by=request.user)
            return f"{order} booked as of {day_text(data['booked_on'])}."

        return service_form_view(
            self,
            request,
            form=form,
            title=f"Book or reject {order}",
            perform=decide,
            done_url=self._done(order),
            intro=self._summary(order),
            template="admin/renewals/order/decide.html",
            context={"previews": [self._preview(order, booked_on)]},
        )

    @staticmethod
    def _preview(order: Order, booked_on: date) -> dict:
        return {
            "order": order,
            "booked_on": booked_on,
            "lines": services.order_book_preview(order=order, booked_on=booked_on),
        }

    @admin.action(description="Book selected orders (each as of its reseller's today)")
    def book_selected(self, request, queryset):
        orders = list(queryset.select_related("reseller__region", "placed_by").order_by("pk"))
        if not is_confirmed(request):
            return confirm_action(
                self,
                request,
                queryset,
                action="book_selected",
                title="Book selected orders",
                confirmation=booking_confirmation(orders),
                template="admin/renewals/order/book_selected.html",
                context={
                    "previews": [
                        self._preview(order, order_today(order))
                        for order in orders
                        if order.state == rules.State.SUBMITTED
                    ]
                },
            )
        booked = 0
        for order in orders:
            if order.state != rules.State.SUBMITTED:
                continue
            try:
                services.order_book(order=order, booked_on=order_today(order), by=request.user)
            except RuleViolation as refused:
                self.message_user(request, f"{order} not booked: {refused.message}", messages.ERROR)
            else:
                booked += 1
        self.message_user(request, f"{booked} order(s) booked; whoever placed each is e-mailed.")
        return None

    def ship_view(self, request, pk: int):
        order = self._order(request, pk)
        form = ShipForm(request.POST or None)
        charge = form.fields["shipping_charge"]
        charge.help_text = f"In {order_currency(order)}, billed to {order.reseller.name}."

        def ship(data: dict) -> str:
            services.order_ship(
                order=order, shipping_charge=data["shipping_charge"], by=request.user
            )
            charge = format_money(data["shipping_charge"], order_currency(order))
            return f"{order} shipped; {charge} shipping billed to the reseller."

        return service_form_view(
            self,
            request,
            form=form,
            title=f"Mark {order} shipped",
            perform=ship,
            done_url=self._done(order),
            intro=self._summary(order),
        )

    def install_view(self, request, pk: int):
        order = self._order(request, pk)
        form = InstallForm(request.POST or None)

        def install(data: dict) -> str:
            services.order_install(order=order, installed_on=data["installed_on"], by=request.user)
            return f"{order} installed: its systems are on the target release."

        return service_form_view(
            self,
            request,
            form=form,
            title=f"Mark {order} installed",
            perform=install,
            done_url=self._done(order),
            intro=self._summary(order),
        )

    @staticmethod
    def _summary(order: Order) -> str:
        lines = order.lines.select_related("system", "target_release")
        systems = "; ".join(
            f"{line.system.serial_number}"
            + (f" {line.term_months} months" if line.term_months else "")
            + (f" → {line.target_release.version}" if line.target_release else "")
            for line in lines
        )
        return (
            f"{po_text(order.po_number)}: {order.kind_noun} for {order.customer} of "
            f"{order.reseller}, submitted {order_day(order, order.submitted_at)}: {systems}."
        )
