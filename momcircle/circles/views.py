from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from momcircle.circles import selectors, services
from momcircle.circles.forms import AnswerForm, WishForm
from momcircle.circles.models import CircleWish, ProposalSeat
from momcircle.rules import perform, submit

ANSWERED = {
    ProposalSeat.Answer.IN: _("You're in. We'll tell you when the circle is a group."),
    ProposalSeat.Answer.OUT: _("Thanks for telling us. We'll look for another circle for you."),
}


def answered(seat: ProposalSeat) -> str:
    """What she reads after answering (the email link page says the same)."""
    if seat.answer == ProposalSeat.Answer.IN and seat.proposal.group_id:
        return _("You're in! Your circle is a group now, with its first meetup planned.")
    return ANSWERED[seat.answer]


@login_required
@require_http_methods(["GET", "POST"])
def wish(request):
    """Her wish (_("Find me a circle")) on one screen; saving resumes a paused one."""
    current = CircleWish.objects.filter(member=request.user).first()
    label = _("Save") if current and current.is_looking else _("Find me a circle")
    form = WishForm(request.POST or None, instance=current, submit_label=label)
    if request.method == "POST" and form.is_valid():
        save = partial(services.wish_save, member=request.user, **form.wish_fields())
        if submit(form, save) is not None:
            messages.success(
                request, _("We're looking for your circle. We'll email you when we find one.")
            )
            return redirect("home")
    return render(request, "circles/wish.html", {"form": form, "wish": current})


def _switch(service, success: str):
    """A button that turns her search off or on again."""

    @login_required
    @require_POST
    def view(request):
        perform(request, partial(service, member=request.user), success=success)
        return redirect("circles:wish")

    return view


wish_off = _switch(services.wish_turn_off, _("We've stopped looking for a circle for you."))
wish_resume = _switch(services.wish_resume, _("We're looking for your circle again."))


def _her_seat(request, pk: int) -> ProposalSeat:
    """Her seat in the proposal, else a 404: who was proposed to whom stays private."""
    seat = selectors.her_seat(proposal_id=pk, member=request.user)
    if seat is None:
        raise Http404("No such circle.")
    return seat


@login_required
@require_GET
def proposal(request, pk: int):
    """The circle proposed to her ("Meet your circle")."""
    seat = _her_seat(request, pk)
    circle = selectors.meet_your_circle(seat=seat, viewer=request.user)
    return render(request, "circles/proposal.html", {"circle": circle})


def answer_from_form(form: AnswerForm, *, seat: ProposalSeat) -> tuple[int, str]:
    """Her posted answer given: (message level, the sentence she reads) either way."""
    given = form.is_valid() and submit(
        form, partial(services.proposal_answer, seat=seat, answer=form.cleaned_data["answer"])
    )
    if given:
        return messages.SUCCESS, answered(given)
    return messages.ERROR, form.error_sentence()


@login_required
@require_POST
def answer(request, pk: int):
    seat = _her_seat(request, pk)
    messages.add_message(request, *answer_from_form(AnswerForm(request.POST), seat=seat))
    return redirect("circles:proposal", pk=pk)
