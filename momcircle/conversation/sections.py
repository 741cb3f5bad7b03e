"""What the conversation section of a meetup's page shows her: one place, for the meetup page
(through the `conversation_section` tag) and for the answers that replace the section in
place."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from groups import permissions as group_permissions
from momcircle.conversation import permissions, selectors
from momcircle.conversation.forms import MessageForm
from scheduling.models import Meetup

# On the meetup page (or the list's own address), this query lists every message.
EVERYTHING = {"messages": "all"}


def section_context(request, meetup: Meetup, *, form: MessageForm | None = None, notices=()):
    viewer = request.user
    everything = request.GET.get("messages") == EVERYTHING["messages"]
    conversation = selectors.conversation_of(meetup, viewer, everything=everything)
    can_post = permissions.can_post(viewer, meetup)
    profile = getattr(viewer, "profile", None)
    poll = {**(EVERYTHING if everything else {}), "seen": conversation.fingerprint}
    list_url = reverse("conversation:messages", args=[meetup.pk])
    return {
        "request": request,
        "user": viewer,
        "meetup": meetup,
        "group": meetup.group,
        "conversation": conversation,
        "can_post": can_post,
        "can_hide": group_permissions.can_manage(viewer, meetup.group),
        "form": form or MessageForm(),
        "notices": notices,
        "zone": profile.time_zone if profile else meetup.group.time_zone,
        "emails_on": bool(profile and profile.conversation_emails),
        "poll_seconds": settings.CONVERSATION_POLL_SECONDS if can_post else None,
        "poll_url": f"{list_url}?{urlencode(poll)}",
        "everything_url": f"{list_url}?{urlencode(EVERYTHING)}",
        "everything_on_page": f"{meetup.get_absolute_url()}?{urlencode(EVERYTHING)}",
    }
