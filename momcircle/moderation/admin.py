from django.contrib import admin, messages

from momcircle.moderation import services
from momcircle.moderation.models import Report
from momcircle.rules import RuleBroken


def _moderation(service, description: str, done: str):
    """An admin action that hands each selected report to one moderation service."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        handled = 0
        for report in queryset:
            try:
                service(report=report, by=request.user)
            except RuleBroken as broken:
                modeladmin.message_user(request, str(broken), messages.WARNING)
            else:
                handled += 1
        if handled:
            modeladmin.message_user(request, f"{handled} report(s) {done}.", messages.SUCCESS)

    action.__name__ = service.__name__
    return action


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The moderation queue. Reports change only through the actions."""

    list_display = ["__str__", "reason", "status", "created_at", "outcome"]
    list_filter = ["status", "reason"]
    list_select_related = [
        "reported_user__profile",
        "reported_group",
        "reported_meetup",
        "reported_message__meetup",
    ]
    search_fields = [
        "reported_user__email",
        "reported_group__name",
        "reported_meetup__title",
        "reported_message__text",
        "details",
    ]
    date_hierarchy = "created_at"
    fields = [
        "reported_user",
        "reported_group",
        "reported_meetup",
        "reported_message",
        "message_text",
        "message_author",
        "reason",
        "details",
        "reporter",
        "created_at",
        "status",
        "outcome",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = fields
    actions = [
        _moderation(services.report_dismiss, "Dismiss", "dismissed"),
        _moderation(services.report_warn, "Warn the reported member by email", "warned"),
        _moderation(
            services.report_suspend, "Suspend the reported member (she can't log in)", "suspended"
        ),
        _moderation(services.report_archive_group, "Archive the reported group", "archived"),
        _moderation(
            services.report_cancel_meetup,
            "Cancel the reported meetup (its members are told)",
            "closed and the meetup(s) cancelled",
        ),
        _moderation(
            services.report_hide_message,
            "Hide the reported message",
            "closed and the message(s) hidden",
        ),
    ]

    @admin.display(description="What the message says")
    def message_text(self, report: Report) -> str:
        return report.reported_message.text if report.reported_message_id else "—"

    @admin.display(description="Who wrote it")
    def message_author(self, report: Report) -> str:
        author = report.reported_message.author if report.reported_message_id else None
        return str(author) if author else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
