from django.contrib import admin
from django.utils import timezone

from momcircle.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient", "subject", "due_at", "status", "attempts", "error")
    list_filter = ("status", "kind")
    search_fields = ("recipient__email", "kind", "subject")
    raw_id_fields = ("recipient",)
    readonly_fields = ("claimed_at", "sent_at", "created_at", "last_error")
    date_hierarchy = "due_at"
    actions = ["send_again"]

    @admin.display(description="Last error")
    def error(self, message: OutboxMessage) -> str:
        return message.last_error[:80]

    @admin.action(description="Send again")
    def send_again(self, request, queryset) -> None:
        count = queryset.exclude(status=OutboxMessage.Status.SENT).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} message(s) will be sent with the next batch.")
