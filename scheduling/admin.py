from django.contrib import admin
from django.db import models

from scheduling.models import Meetup


@admin.register(Meetup)
class MeetupAdmin(admin.ModelAdmin):
    """To look a reported meetup up. Meetups change on the site, where members are told; the
    team cancels one from its report (Moderation › Reports)."""

    list_display = ["title", "group", "starts_at", "status", "kid_mode", "capacity", "created_by"]
    list_filter = ["status", "kid_mode"]
    search_fields = ["title", "group__name", "group__slug", "venue_name", "created_by__email"]
    list_select_related = ["group", "created_by"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
