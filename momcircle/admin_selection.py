"""The admin's list actions, safe from a hand-made selection."""

from django.contrib import messages
from django.contrib.admin import helpers


class CheckedSelectionAdmin:
    """Mixed into every ModelAdmin before it. The list posts the ids it showed, so a value that
    is not a whole number was made by hand: say so instead of failing in the query."""

    def response_action(self, request, queryset):
        try:
            [int(value) for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)]
        except ValueError:
            self.message_user(request, "Choose the items from the list.", messages.WARNING)
            return None
        return super().response_action(request, queryset)
