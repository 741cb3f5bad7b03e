from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import decorator_from_middleware
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from groups import permissions as group_permissions
from groups.models import Group
from momcircle.profiles.selectors import language_of
from momcircle.rules import perform, submit
from scheduling import ics, permissions, selectors, services
from scheduling.forms import (
    CancelForm,
    MeetupForm,
    NewMeetupForm,
    RsvpForm,
    SeriesEditForm,
    StandingForm,
    SuggestForm,
)
from scheduling.models import CalendarFeed, Meetup, MeetupSeries

User = get_user_model()
# An ETag on the feed, and a 304 when the calendar app's copy is still the current one.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)

SERIES_PLANNED = _("Your series is planned. Members can answer, or say they're in every week.")
STANDING_ON = _("You're in {}: you're going to each of its meetups. Skip one whenever you need to.")
STANDING_OFF = _("You're no longer in {}. The answers you gave stay as they are.")


def _meetup(request, pk: int) -> Meetup:
    """The meetup if she may see its group, else a 404 (an unlisted group stays secret)."""
    meetup = get_object_or_404(Meetup.objects.select_related("group", "series"), pk=pk)
    if not permissions.can_see_meetup(request.user, meetup):
        raise Http404("No such meetup.")
    if meetup.series is not None:
        meetup.series.group = meetup.group
    return meetup


def _meetup_she_organizes(request, pk: int) -> Meetup:
    meetup = _meetup(request, pk)
    if not permissions.can_organize(request.user, meetup):
        raise PermissionDenied(gettext("Only the organizers of this group can change its meetups."))
    return meetup


def _meetup_for_members(request, pk: int, refusal: str) -> Meetup:
    meetup = _meetup(request, pk)
    if not permissions.can_see_details(request.user, meetup):
        raise PermissionDenied(refusal)
    return meetup


def _posted(request):
    """The posted data, or None for a GET (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def _saved_meetup(request, form: MeetupForm, service: Callable) -> Meetup | None:
    """Calls the service with a valid form's details; a refusal becomes the form's error."""
    if request.method != "POST" or not form.is_valid():
        return None
    return submit(form, partial(service, details=form.details()))


def _plan(form: NewMeetupForm, *, group: Group, by) -> Callable:
    """A single meetup, or a series when the form says it repeats."""
    repeat = form.repeat_rule()
    if repeat is None:
        return partial(services.meetup_create, group=group, by=by)
    return partial(services.series_create, group=group, by=by, repeat=repeat)


def _suggestions(request, group: Group, plan: SuggestForm) -> list:
    """(suggestion, link) of the times to suggest: for a series when she chose a repeat."""
    if plan.rhythm():
        choices = {k: v for k, v in plan.choices().items() if k != "horizon_days"}
        found = selectors.suggested_series_times(
            group=group, viewer=request.user, frequency=plan.rhythm(), **choices
        )
    else:
        found = selectors.suggested_times(group=group, viewer=request.user, **plan.choices())
    return [(suggestion, plan.link_to_use(suggestion)) for suggestion in found]


@login_required
@require_http_methods(["GET", "POST"])
def meetup_create(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    if not group_permissions.can_see_group(request.user, group):
        raise Http404("No such group.")
    if not permissions.can_plan(request.user, group):
        raise PermissionDenied(gettext("Only the organizers of this group can plan its meetups."))
    plan = SuggestForm(request.GET, meeting_style=group.meeting_style)
    form = NewMeetupForm(
        _posted(request),
        zone=group.time_zone,
        submit_label=gettext("Create the meetup"),
        initial={"kid_mode": plan.kid_mode(), **MeetupForm.prefill(request.GET)},
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        plan_it = _plan(form, group=group, by=request.user)
        saved = submit(form, partial(plan_it, details=form.details()))
    if isinstance(saved, MeetupSeries):
        messages.success(request, SERIES_PLANNED)
        return redirect(saved)
    if saved is not None:
        messages.success(request, gettext("Your meetup is planned. Members can answer now."))
        return redirect(saved)
    context = {
        "group": group,
        "form": form,
        "plan": plan,
        "suggestions": _suggestions(request, group, plan),
    }
    return render(request, "scheduling/meetup_new.html", context)


def _meetup_context(request, meetup: Meetup, **extra):
    viewer = request.user
    members_only = permissions.can_see_details(viewer, meetup)
    in_series = members_only and meetup.series_id is not None
    return {
        "meetup": meetup,
        "group": meetup.group,
        "members_only": members_only,
        "address_shown": permissions.can_see_address(viewer, meetup),
        "address_later": permissions.ADDRESS_LATER,
        "answers": selectors.answers_to(meetup, viewer) if members_only else None,
        "standing": selectors.standing_answer_of(meetup.series, viewer) if in_series else None,
        "cancellation": selectors.cancellation_of(meetup)
        if members_only and meetup.is_cancelled
        else None,
        "answers_poll_seconds": settings.ANSWERS_POLL_SECONDS
        if permissions.can_follow_answers(viewer, meetup)
        else None,
        **extra,
    }


@login_required
@require_GET
def meetup_detail(request, pk: int):
    meetup = _meetup(request, pk)
    context = _meetup_context(request, meetup)
    return render(request, "scheduling/meetup_detail.html", context)


@login_required
@require_GET
def meetup_answers(request, pk: int):
    """The answers and the status, for the page that polls them (out-of-band swaps)."""
    meetup = _meetup_for_members(
        request, pk, gettext("Only members of this group see who's coming.")
    )
    return render(request, "scheduling/_answers_live.html", _meetup_context(request, meetup))


@login_required
@require_http_methods(["GET", "POST"])
def meetup_edit(request, pk: int):
    meetup = _meetup_she_organizes(request, pk)
    form = MeetupForm(
        _posted(request), zone=meetup.group.time_zone, submit_label=gettext("Save"), meetup=meetup
    )
    update = partial(services.meetup_update, meetup=meetup, by=request.user)
    if _saved_meetup(request, form, update):
        messages.success(request, gettext("The meetup is saved."))
        return redirect(meetup)
    return render(request, "scheduling/meetup_edit.html", {"meetup": meetup, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meetup_edit_following(request, pk: int):
    """This meetup of a series and the following ones."""
    meetup = _meetup_she_organizes(request, pk)
    if meetup.series is None:
        raise Http404("This meetup is not part of a series.")
    form = SeriesEditForm(_posted(request), series=meetup.series)
    update = partial(services.series_update_following, meetup=meetup, by=request.user)
    series = form.is_valid() and submit(form, partial(update, edit=form.edit()))
    if series:
        messages.success(request, gettext("Saved for this meetup and the following ones."))
        return redirect(series)
    context = {"meetup": meetup, "series": meetup.series, "form": form}
    return render(request, "scheduling/meetup_edit_following.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meetup_cancel(request, pk: int):
    meetup = _meetup_she_organizes(request, pk)
    form = CancelForm(_posted(request))
    if request.method == "GET" or not form.is_valid():
        return render(request, "scheduling/meetup_cancel.html", {"meetup": meetup, "form": form})
    cancel = partial(services.meetup_cancel, meetup=meetup, by=request.user, **form.cleaned_data)
    perform(request, cancel, success=gettext("The meetup is cancelled."))
    return redirect(meetup)


def rsvp_from_form(form: RsvpForm, *, meetup: Meetup, member) -> tuple[int, str]:
    """Her posted answer saved: (message level, the sentence she reads) either way."""
    answer = form.is_valid() and submit(
        form, partial(services.rsvp_set, meetup=meetup, member=member, **form.answer())
    )
    if answer:
        return messages.SUCCESS, answer.in_words
    return messages.ERROR, form.error_sentence()


@login_required
@require_POST
def rsvp(request, pk: int):
    """Her answer. With htmx the answers section comes back in place; without, the page."""
    meetup = _meetup(request, pk)
    notice = rsvp_from_form(RsvpForm(request.POST), meetup=meetup, member=request.user)
    if request.htmx and permissions.can_see_details(request.user, meetup):
        meetup.refresh_from_db(fields=["status", "sequence"])
        context = _meetup_context(request, meetup, notice=notice)
        return render(request, "scheduling/_answers.html", context)
    messages.add_message(request, *notice)
    if request.htmx:
        return HttpResponseClientRedirect(meetup.get_absolute_url())
    return redirect(meetup)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def meetup_ics(request, pk: int):
    meetup = _meetup_for_members(request, pk, group_permissions.NOT_A_MEMBER)
    content = ics.calendar_bytes(
        [meetup],
        url_of=lambda thing: request.build_absolute_uri(thing.get_absolute_url()),
        address_shown=partial(permissions.can_see_address, request.user),
    )
    return _ics_response(content, f"{slugify(meetup.title) or 'meetup'}.ics")


@login_required
@require_GET
def calendar_page(request):
    feed = CalendarFeed.objects.filter(member=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("scheduling:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "scheduling/calendar.html", {"feed_url": feed_url})


@login_required
@require_POST
def calendar_new_link(request):
    services.calendar_feed_regenerate(member=request.user)
    messages.success(
        request, gettext("Here is your new calendar link; the old one no longer works.")
    )
    return redirect("scheduling:calendar")


@require_GET
@cache_control(private=True, no_cache=True)
@conditional_get
def calendar_feed(request, token: str):
    """Her meetups for a calendar app, which has no login: the secret token is the key. The
    app keeps its copy and asks again at each refresh (no-cache, answered 304 while nothing
    changed); no shared cache keeps it (private), so a new link or a change shows at once."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("member__profile"), token=token)
    with translation.override(language_of(feed.member)):  # the app asks in no language of hers
        content = ics.calendar_bytes(
            selectors.feed_meetups(feed.member),
            url_of=lambda thing: request.build_absolute_uri(thing.get_absolute_url()),
            address_shown=partial(permissions.can_see_address, feed.member),
            name=gettext("MomCircle meetups"),
            series=selectors.feed_series(feed.member),
        )
    response = _ics_response(content, "momcircle.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


# --- series -----------------------------------------------------------------------------------


def _series(request, pk: int) -> MeetupSeries:
    """The series if she may see its group, else a 404 (an unlisted group stays secret)."""
    series = get_object_or_404(MeetupSeries.objects.select_related("group"), pk=pk)
    if not permissions.can_see_series(request.user, series):
        raise Http404("No such series.")
    return series


def _series_for_members(request, pk: int) -> MeetupSeries:
    series = _series(request, pk)
    if not permissions.can_see_series_details(request.user, series):
        raise PermissionDenied(group_permissions.NOT_A_MEMBER)
    return series


@login_required
@require_GET
def series_detail(request, pk: int):
    series = _series(request, pk)
    members_only = permissions.can_see_series_details(request.user, series)
    context = {
        "series": series,
        "group": series.group,
        "members_only": members_only,
        "address_shown": permissions.can_see_address(request.user, series),
        "address_later": permissions.ADDRESS_LATER,
        "page": selectors.series_page(series, request.user) if members_only else None,
    }
    return render(request, "scheduling/series_detail.html", context)


def _back_to(request, fallback) -> str:
    """Where the form came from (a path on this site), else the fallback's page."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback.get_absolute_url()


@login_required
@require_POST
def series_standing(request, pk: int):
    """ "I'm in every week" on or off; with htmx the box comes back in place."""
    series = _series(request, pk)
    form = StandingForm(request.POST)
    notice = _standing_from_form(form, series=series, member=request.user)
    if request.htmx and permissions.can_see_series_details(request.user, series):
        standing = selectors.standing_answer_of(series, request.user)
        back = _back_to(request, series)
        context = {"series": series, "standing": standing, "notice": notice, "back": back}
        return render(request, "scheduling/_standing.html", context)
    messages.add_message(request, *notice)
    if request.htmx:
        return HttpResponseClientRedirect(series.get_absolute_url())
    return redirect(_back_to(request, series))


def _standing_from_form(form: StandingForm, *, series: MeetupSeries, member) -> tuple[int, str]:
    if not form.is_valid():
        return messages.ERROR, form.error_sentence()
    if form.is_on():
        kids = form.cleaned_data["kids"] or 0
        call = partial(services.standing_answer_set, series=series, member=member, kids=kids)
    else:
        call = partial(services.standing_answer_clear, series=series, member=member)
    if submit(form, call):
        done = STANDING_ON if form.is_on() else STANDING_OFF
        return messages.SUCCESS, done.format(series.standing_words)
    return messages.ERROR, form.error_sentence()


@login_required
@require_http_methods(["GET", "POST"])
def series_end(request, pk: int):
    series = _series(request, pk)
    if not permissions.can_organize_series(request.user, series):
        raise PermissionDenied("Only the organizers of this group can end its series.")
    form = CancelForm(_posted(request))
    if request.method == "GET" or not form.is_valid():
        return render(request, "scheduling/series_end.html", {"series": series, "form": form})
    end = partial(services.series_end, series=series, by=request.user, **form.cleaned_data)
    perform(
        request,
        end,
        success=gettext("The series has ended; its meetups still to come are cancelled."),
    )
    return redirect(series)


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def series_ics(request, pk: int):
    """The whole series for her calendar, the dates she can't go to left out."""
    series = _series_for_members(request, pk)
    content = ics.calendar_bytes(
        [],
        url_of=lambda thing: request.build_absolute_uri(thing.get_absolute_url()),
        address_shown=partial(permissions.can_see_address, request.user),
        series=[selectors.series_calendar(series, request.user)],
    )
    return _ics_response(content, f"{slugify(series.title) or 'series'}.ics")
