from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from momcircle.circles import services
from momcircle.circles.forms import AreaForm
from momcircle.circles.models import CircleWish, Proposal, ProposalSeat
from momcircle.rules import RuleBroken


class ReadOnly:
    """Wishes, proposals and answers change only on the site, through the services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CircleWish)
class CircleWishAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["member", "radius_miles", "size", "style", "match_kids", "active", "paused_at"]
    list_filter = ["active", "size", "style", "radius_miles"]
    search_fields = ["member__email"]
    list_select_related = ["member"]


class SeatInline(ReadOnly, admin.TabularInline):
    model = ProposalSeat
    fields = ["member", "answer", "answered_at", "live"]
    readonly_fields = fields
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "zone", "weekday", "mode", "deadline", "status", "group"]
    list_filter = ["status", "mode"]
    list_select_related = ["group"]
    date_hierarchy = "created_at"
    inlines = [SeatInline]
    change_list_template = "admin/circles/proposal_change_list.html"

    def get_urls(self):
        make = path(
            "make/",
            self.admin_site.admin_view(self.make_view),
            name="circles_proposal_make",
        )
        return [make, *super().get_urls()]

    def make_view(self, request):
        """Propose circles in one area now (the engine runs every night for all of them)."""
        form = AreaForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                made = services.proposals_make(area=form.area())
            except RuleBroken as broken:
                form.add_error(None, str(broken))
            else:
                self.message_user(request, f"{len(made)} circle(s) proposed.", messages.SUCCESS)
                return redirect(reverse("admin:circles_proposal_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Propose circles in an area",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/circles/make_proposals.html", context)
