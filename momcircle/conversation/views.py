"""The conversation on a meetup's page. With htmx each answer replaces the section in place
(and the open page asks for new messages every few seconds); without JavaScript, each form
posts and comes back to the meetup page at the conversation, with the sentence she reads."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from groups import permissions as group_permissions
from momcircle.conversation import permissions, services
from momcircle.conversation.forms import MessageForm, MuteForm
from momcircle.conversation.models import Message
from momcircle.conversation.sections import section_context
from momcircle.rules import perform, submit
from scheduling import permissions as meetup_permissions
from scheduling.models import Meetup


def _readable(request, meetup: Meetup) -> Meetup:
    """A 404 where she may not see the meetup at all, a 403 where she is not a member."""
    if not meetup_permissions.can_see_meetup(request.user, meetup):
        raise Http404("No such meetup.")
    if not permissions.can_read(request.user, meetup):
        raise PermissionDenied(group_permissions.NOT_A_MEMBER)
    return meetup


def _meetup(request, pk: int) -> Meetup:
    return _readable(request, get_object_or_404(Meetup.objects.select_related("group"), pk=pk))


def _message(request, pk: int) -> Message:
    """A message she may see; one hidden, deleted or kept from her by a block is not found."""
    message = get_object_or_404(Message.objects.select_related("meetup__group"), pk=pk)
    _readable(request, message.meetup)
    if not permissions.can_see_message(request.user, message):
        raise Http404("No such message.")
    return message


def _at_conversation(meetup: Meetup):
    return redirect(f"{meetup.get_absolute_url()}#conversation")


def _answer(request, meetup: Meetup, *, form: MessageForm | None = None):
    """The section again, with what she would have read on the next page; or that page."""
    if not request.htmx:
        return _at_conversation(meetup)
    notices = list(messages.get_messages(request))
    context = section_context(request, meetup, form=form, notices=notices)
    return render(request, "conversation/_answer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meetup_messages(request, pk: int):
    """GET: the messages, for the open page that asks for them (nothing when nothing
    changed since it last asked). POST: her new message."""
    meetup = _meetup(request, pk)
    if request.method == "GET":
        if not request.htmx:
            return _at_conversation(meetup)
        context = section_context(request, meetup)
        if request.GET.get("seen") == context["conversation"].fingerprint:
            return HttpResponse(status=204)
        return render(request, "conversation/_messages.html", context)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_sentence())
        return _answer(request, meetup, form=form)
    post = partial(
        services.message_post, meetup=meetup, author=request.user, text=form.cleaned_data["text"]
    )
    posted = perform(request, post, success="Your message is posted.")
    return _answer(request, meetup, form=None if posted else form)


@login_required
@require_http_methods(["GET", "POST"])
def message_edit(request, pk: int):
    message = _message(request, pk)
    if message.author_id != request.user.pk:
        raise PermissionDenied(permissions.NOT_YOURS)
    form = MessageForm(
        request.POST if request.method == "POST" else None, initial={"text": message.text}
    )
    edit = partial(services.message_edit, message=message, by=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(form, partial(edit, text=form.cleaned_data["text"]))
    ):
        messages.success(request, "Your message is saved.")
        return redirect(f"{message.meetup.get_absolute_url()}#message-{message.pk}")
    context = {
        "form": form,
        "message": message,
        "meetup": message.meetup,
        "refusal": permissions.change_refusal(request.user, message),
    }
    return render(request, "conversation/message_edit.html", context)


def _on_message(request, pk: int, service, *, success: str):
    message = _message(request, pk)
    perform(request, partial(service, message=message, by=request.user), success=success)
    return _answer(request, message.meetup)


@login_required
@require_POST
def message_delete(request, pk: int):
    return _on_message(request, pk, services.message_delete, success="Your message is deleted.")


@login_required
@require_POST
def message_hide(request, pk: int):
    hidden = "The message is hidden from the conversation."
    return _on_message(request, pk, services.message_hide, success=hidden)


@login_required
@require_POST
def conversation_mute(request, pk: int):
    meetup = _meetup(request, pk)
    form = MuteForm(request.POST)
    if form.is_valid():
        mute = partial(
            services.conversation_mute,
            meetup=meetup,
            member=request.user,
            muted=form.cleaned_data["muted"],
        )
        perform(request, mute, success=_muted_sentence)
    else:
        messages.error(request, form.error_sentence())
    return _answer(request, meetup)


def _muted_sentence(muted: bool) -> str:
    if muted:
        return "Muted: no more emails about this conversation."
    return "Unmuted: new messages come by email again while you're going or maybe."
