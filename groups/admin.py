from django.contrib import admin

from groups.models import Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["member"]
    fields = ["member", "role", "status", "answer", "requested_at", "joined_at"]
    readonly_fields = ["requested_at", "joined_at"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "zip_code",
        "meeting_style",
        "join_policy",
        "size_cap",
        "is_listed",
        "is_archived",
        "created_at",
    ]
    list_filter = ["is_archived", "is_listed", "join_policy", "meeting_style"]
    search_fields = ["name", "slug", "description", "zip_code"]
    readonly_fields = ["slug", "invite_token", "latitude", "longitude", "time_zone", "created_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def has_add_permission(self, request) -> bool:
        # A group starts on the site (groups.services.group_create): organizer, slug, location.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "group", "role", "status", "requested_at", "joined_at"]
    list_filter = ["status", "role"]
    search_fields = ["member__email", "member__profile__first_name", "group__name", "group__slug"]
    raw_id_fields = ["member", "group"]
    list_select_related = ["member", "group"]
    readonly_fields = ["requested_at", "joined_at", "decided_at"]
