from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from momcircle.profiles import services
from momcircle.profiles.models import Report, User
from momcircle.rules import RuleBroken


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    list_display = ("email", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email",)
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


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
    list_select_related = ["reported_user__profile", "reported_group", "reported_meetup"]
    search_fields = [
        "reported_user__email",
        "reported_group__name",
        "reported_meetup__title",
        "details",
    ]
    date_hierarchy = "created_at"
    fields = [
        "reported_user",
        "reported_group",
        "reported_meetup",
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
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
