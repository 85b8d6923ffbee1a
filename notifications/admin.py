"""The outbox in the admin: follow up delivery, resend what failed, read one's own notices."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.errors import DomainError
from notifications.kinds import kind_label
from notifications.models import Notification
from notifications.services import (
    RESEND_PERMISSION,
    notification_mark_read,
    notification_resend,
)

S = Notification.Status


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        """Offer the kinds present in the outbox, by their readable names."""
        codes = Notification.objects.order_by().values_list("kind", flat=True).distinct()
        return sorted(((code, kind_label(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """Keep the rows of the chosen kind."""
        return queryset.filter(kind=self.value()) if self.value() else queryset


class DeliveryProblemFilter(admin.SimpleListFilter):
    title = _("delivery problems")
    parameter_name = "problem"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        """Offer failed rows and rows still being retried."""
        return [("failed", _("Failed: gave up")), ("retrying", _("Failed once, retrying"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """Keep the rows with the chosen problem."""
        if self.value() == "failed":
            return queryset.filter(status=S.FAILED)
        if self.value() == "retrying":
            return queryset.filter(status=S.PENDING, attempts__gt=0)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind_name",
        "subject",
        "due_on",
        "status",
        "attempts",
        "delivered_by",
        "sent_at",
    ]
    list_filter = [KindFilter, "status", DeliveryProblemFilter, "delivered_by", "language"]
    search_fields = ["recipient__username", "recipient__email", "subject", "target_repr"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["resend"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, obj: Notification) -> str:
        """Show the kind by its readable name."""
        return kind_label(obj.kind)

    @admin.action(description=_("Resend the selected failed notifications"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Give each selected failed notification a fresh round of attempts."""
        done, refused = 0, []
        for notification in queryset:
            try:
                notification_resend(notification=notification, actor=request.user)
                done += 1
            except DomainError as exc:
                refused.append(f"{notification.subject}: {exc}")
        if done:
            message = ngettext(
                "%(count)d notification will be sent again.",
                "%(count)d notifications will be sent again.",
                done,
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        for problem in refused:
            self.message_user(request, problem, messages.ERROR)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        """Let officers and registrars resend."""
        return request.user.has_perm(RESEND_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Refuse: notifications come only from services."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: the outbox is history."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: the outbox is history."""
        return False

    def get_urls(self) -> list[URLPattern]:
        """Add the page where staff read their own notifications."""
        mine = [
            path("mine/", self.admin_site.admin_view(self.mine_view), name="notifications_mine"),
            path(
                "mine/<int:pk>/read/",
                self.admin_site.admin_view(self.mark_read_view),
                name="notifications_mark_read",
            ),
        ]
        return mine + super().get_urls()

    def mine_view(self, request: HttpRequest) -> HttpResponse:
        """List the notifications addressed to the signed-in staff user."""
        own = Notification.objects.visible_to(request.user).order_by("read_at", "-created_at")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Your notifications"),
            "notifications": [(n, kind_label(n.kind)) for n in own[:200]],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/notifications/mine.html", context)

    def mark_read_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Mark one of the user's own notifications read (POST only)."""
        if request.method == "POST":
            notification = Notification.objects.visible_to(request.user).filter(pk=pk).first()
            if notification is not None:
                notification_mark_read(actor=request.user, notification=notification)
        return redirect("admin:notifications_mine")
