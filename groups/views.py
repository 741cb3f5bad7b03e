from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups import nearby, permissions, selectors, services
from groups.forms import BrowseForm, DecisionForm, GroupForm, JoinForm, RoleForm, TransferForm
from groups.models import Group, Membership
from momcircle.availability.slots import heatmap_rows
from momcircle.profiles.words import day_names
from momcircle.rules import perform, submit

JOINED = {
    Membership.Status.ACTIVE: _("Welcome to the group!"),
    Membership.Status.PENDING: _("Your request is on its way to the organizer."),
}


def _group(request, slug: str, invite_token: str | None = None) -> Group:
    """The group if she may see it, else a 404: an unlisted group's name stays secret."""
    group = get_object_or_404(Group.objects.with_member_count().select_related("week"), slug=slug)
    if not permissions.can_see_group(request.user, group, invite_token):
        raise Http404("No such group.")
    return group


def _group_she_manages(request, slug: str, predicate=permissions.can_manage) -> Group:
    group = _group(request, slug)
    if not predicate(request.user, group):
        raise PermissionDenied(gettext("Only the organizers of this group can open this page."))
    return group


def _membership(group: Group, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("member__profile"), pk=membership_id, group=group
    )


def _back(request, group: Group) -> str:
    """Organizers go back to their tools, everyone else to the group page."""
    if permissions.can_manage(request.user, group):
        return reverse("groups:manage", args=[group.slug])
    return group.get_absolute_url()


def _perform(request, action: Callable, *, success: str, then: str, otherwise: str = ""):
    """Runs one service call, tells her how it went, and goes on (elsewhere when refused)."""
    done = perform(request, action, success=success)
    return redirect(then if done else otherwise or then)


def _perform_with(request, form, service: Callable, *, success: str, then: str):
    """Like _perform, with the service's other arguments parsed by a form first (if any)."""
    if form is None:
        return _perform(request, service, success=success, then=then)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, " ".join(errors))
        return redirect(then)
    return _perform(request, partial(service, **form.cleaned_data), success=success, then=then)


def _saved_group(request, form, service: Callable) -> Group | None:
    """Calls the service with a valid form's fields; a refusal becomes the form's error."""
    if request.method != "POST" or not form.is_valid():
        return None
    return submit(form, partial(service, **form.group_fields()))


def _group_page(request, group: Group, *, join_form=None, invite_token: str | None = None):
    viewer = request.user
    if invite_token:
        join_action = reverse("groups:invite", args=[group.slug, invite_token])
    else:
        join_action = reverse("groups:join", args=[group.slug])
    context = {
        "group": group,
        "organizer": selectors.organizer_of(group),
        "members": selectors.member_rows(group=group, viewer=viewer)
        if permissions.can_see_members(viewer, group)
        else None,
        "join_form": join_form or JoinForm(group=group, action=join_action),
        "heatmap": heatmap_rows(group.week.slot_counts) if hasattr(group, "week") else [],
        "heatmap_days": day_names(),
        "can_report": permissions.can_see_group(viewer, group),  # moderation takes reports
    }
    return render(request, "groups/detail.html", context)


def _join(request, group: Group, invite_token: str | None = None):
    form = JoinForm(request.POST, group=group, action=request.path)
    if not form.is_valid():
        return _group_page(request, group, join_form=form, invite_token=invite_token)
    join = partial(
        services.membership_join,
        group=group,
        member=request.user,
        answer=form.cleaned_data.get("answer", ""),
        invite_token=invite_token,
    )
    if perform(request, join, success=lambda membership: JOINED[membership.status]):
        return redirect(group)
    return redirect(request.path if invite_token else group.get_absolute_url())


@login_required
@require_GET
def my_groups(request):
    memberships = selectors.my_memberships(request.user)
    return render(request, "groups/mine.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    form = GroupForm(request.POST or None, submit_label=gettext("Start the group"))
    group = _saved_group(request, form, partial(services.group_create, organizer=request.user))
    if group is None:
        return render(request, "groups/form.html", {"form": form})
    messages.success(request, gettext("Your group is ready. Share it with moms you know!"))
    return redirect(group)


@login_required
@require_GET
def group_detail(request, slug: str):
    return _group_page(request, _group(request, slug))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug: str):
    group = _group_she_manages(request, slug)
    form = GroupForm(request.POST or None, group=group, submit_label=gettext("Save changes"))
    update = partial(services.group_update, group=group, by=request.user)
    if _saved_group(request, form, update) is None:
        return render(request, "groups/form.html", {"form": form, "group": group})
    messages.success(request, gettext("The group is saved."))
    return redirect(group)


@login_required
@require_http_methods(["GET", "POST"])
def group_archive(request, slug: str):
    group = _group_she_manages(request, slug, predicate=permissions.can_lead)
    if request.method == "GET":
        return render(request, "groups/archive.html", {"group": group})
    archive = partial(services.group_archive, group=group, by=request.user)
    return _perform(
        request, archive, success=gettext("The group is archived."), then=group.get_absolute_url()
    )


@login_required
@require_POST
def join(request, slug: str):
    return _join(request, _group(request, slug))


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug: str, token: str):
    group = _group(request, slug, invite_token=token)
    if request.method == "POST":
        return _join(request, group, invite_token=token)
    return _group_page(request, group, invite_token=token)


@login_required
@require_POST
def leave(request, slug: str):
    group = _group(request, slug)
    return _perform(
        request,
        partial(services.membership_leave, group=group, member=request.user),
        success=gettext("You are no longer in %(group)s.") % {"group": group.name},
        then=reverse("groups:mine"),
        otherwise=group.get_absolute_url(),
    )


def _with_note_fields(requests: list[selectors.MemberRow]) -> list[tuple]:
    """Each request with its own note field, its ids kept apart so every label finds it."""
    return [
        (row, DecisionForm(applicant=row.display_name, auto_id=f"request-{row.membership.pk}-%s"))
        for row in requests
    ]


@login_required
@require_GET
def manage(request, slug: str):
    group = _group_she_manages(request, slug)
    viewer = request.user
    context = {
        "group": group,
        "requests": _with_note_fields(selectors.request_rows(group=group, viewer=viewer)),
        "members": selectors.member_rows(group=group, viewer=viewer),
        "transfer_form": TransferForm(
            group=group, viewer=viewer, action=reverse("groups:transfer", args=[slug])
        ),
        "invite_url": request.build_absolute_uri(
            reverse("groups:invite", args=[group.slug, group.invite_token])
        ),
    }
    return render(request, "groups/manage.html", context)


def _membership_action(service: Callable, success: str, form_class=None):
    """A view for one organizer-tools button about one woman's membership; `success` is the
    message after it worked, naming her as {name}."""

    @login_required
    @require_POST
    def view(request, slug: str, membership_id: int):
        group = _group(request, slug)
        membership = _membership(group, membership_id)
        return _perform_with(
            request,
            form_class(request.POST) if form_class else None,
            partial(service, membership=membership, by=request.user),
            success=success.format(name=membership.member.profile.display_name),
            then=_back(request, group),
        )

    return view


approve = _membership_action(
    services.membership_approve, _("{name} is now a member."), form_class=DecisionForm
)
decline = _membership_action(
    services.membership_decline, _("You declined {name}'s request."), form_class=DecisionForm
)
remove = _membership_action(services.membership_remove, _("{name} is no longer in the group."))
ban = _membership_action(
    services.membership_ban, _("{name} is no longer in the group and can't join it again.")
)
set_role = _membership_action(
    services.membership_set_role, _("{name}'s role is updated."), form_class=RoleForm
)


@login_required
@require_POST
def transfer(request, slug: str):
    group = _group(request, slug)
    return _perform_with(
        request,
        TransferForm(request.POST, group=group, viewer=request.user, action=request.path),
        partial(services.group_transfer, group=group, by=request.user),
        success=gettext("The group has a new organizer; you are now a co-organizer."),
        then=_back(request, group),
    )


@login_required
@require_POST
def regenerate_invite(request, slug: str):
    group = _group(request, slug)
    return _perform(
        request,
        partial(services.group_regenerate_invite, group=group, by=request.user),
        success=gettext("Here is a new invite link; the old one no longer works."),
        then=_back(request, group),
    )


@login_required
@require_GET
def browse(request):
    form = BrowseForm(request.GET or None)
    filters = form.filters()
    page, cards = nearby.browse_page(request.user.profile, filters, request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "cards": cards,
        "memberships": selectors.my_memberships(request.user),
        "query_string": _without_page(request.GET),
    }
    return render(request, "groups/browse.html", context)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()
