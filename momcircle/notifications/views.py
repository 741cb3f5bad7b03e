"""The pages links in emails open. They need no login (the signed token says who she is), and
only a button pressed on the page changes anything: mail scanners follow links."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from momcircle.notifications import links, services
from momcircle.notifications.kinds import TOPICS
from momcircle.rules import RuleBroken
from scheduling.forms import RsvpForm
from scheduling.models import Rsvp
from scheduling.views import rsvp_from_form

User = get_user_model()


def _broken_link(request, broken: RuleBroken):
    context = {"error": str(broken)}
    return render(request, "notifications/email_link_broken.html", context, status=400)


def _email_answer(request, token: str, *, template: str, posted):
    """The meetup her link is for; a POST answers with `posted(request)`."""
    try:
        meetup, member = links.rsvp_target(links.rsvp_link_from(token), viewer=request.user)
    except RuleBroken as broken:
        return _broken_link(request, broken)
    notice = None
    if request.method == "POST":
        _, notice = rsvp_from_form(RsvpForm(posted(request)), meetup=meetup, member=member)
    answer = meetup.rsvps.filter(member=member).first()
    context = {"meetup": meetup, "member": member, "answer": answer, "notice": notice}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def email_rsvp(request, token: str):
    """Her answer from a reminder's link: the page shows the meetup, only the POST answers."""
    return _email_answer(
        request, token, template="notifications/email_rsvp.html", posted=lambda r: r.POST
    )


@require_http_methods(["GET", "POST"])
def email_skip(request, token: str):
    """ "Can't go this week" from the reminder of a series' meetup: the page asks, its one
    button answers; her standing answer stays."""
    return _email_answer(
        request,
        token,
        template="notifications/email_skip.html",
        posted=lambda r: {"response": Rsvp.Response.CANT_GO},
    )


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" without a form
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request, token: str):
    try:
        member_id, topic = links.unsubscribe_from(token)
    except RuleBroken as broken:
        return _broken_link(request, broken)
    member = get_object_or_404(User, pk=member_id)
    done = request.method == "POST"
    if done:
        services.email_topic_turn_off(member=member, topic=topic)
    context = {"topic_name": TOPICS[topic].name, "done": done, "member": member}
    return render(request, "notifications/email_unsubscribe.html", context)
