"""The admin site, with list actions safe from a hand-made selection on every model,
the project's own and those of the apps it uses (accounts, email addresses)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig


class CheckedSelectionAdmin:
    """The list posts the ids it showed, so a value that is not a whole number was made by
    hand: say so instead of failing in the query."""

    def response_action(self, request, queryset):
        try:
            [int(value) for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)]
        except ValueError:
            self.message_user(request, "Choose the items from the list.", messages.WARNING)
            return None
        return super().response_action(request, queryset)


class MomCircleAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        checked = type(admin_class.__name__, (CheckedSelectionAdmin, admin_class), {})
        checked.__module__ = admin_class.__module__
        super().register(model_or_iterable, checked, **options)


class MomCircleAdminConfig(AdminConfig):
    default_site = "momcircle.admin_selection.MomCircleAdminSite"
