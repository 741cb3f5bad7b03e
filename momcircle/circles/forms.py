from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from momcircle.circles.models import CircleWish, ProposalSeat
from momcircle.circles.seekers import Area
from momcircle.geo import UnknownZip, locate_zip


class WishForm(forms.ModelForm):
    """Her wish ("Find me a circle"): one screen, every field with a default."""

    class Meta:
        model = CircleWish
        fields = ["radius_miles", "size", "style", "match_kids"]
        labels = {
            "radius_miles": _("How far would you go?"),
            "size": _("What size of circle do you like?"),
            "style": _("When would your circle meet?"),
            "match_kids": _("Only moms whose kids are about the same age as mine"),
        }
        help_texts = {
            "radius_miles": _("Everyone in your circle lives within this distance of you."),
            "style": _("We look for a time everyone in the circle is free each week."),
            "match_kids": _("Each of them has a kid in one of your kids' age bands."),
        }
        widgets = {
            "radius_miles": forms.RadioSelect,
            "size": forms.RadioSelect,
            "style": forms.RadioSelect,
        }

    def __init__(self, *args, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label, css_class="btn-lg"))

    def wish_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            (ProposalSeat.Answer.IN, _("I'm in")),
            (ProposalSeat.Answer.OUT, _("Not this one")),
        ],
        error_messages={
            "required": _("Choose “I'm in” or “Not this one”."),
            "invalid_choice": _("Choose “I'm in” or “Not this one”."),
        },
    )

    def error_sentence(self) -> str:
        return " ".join(error for errors in self.errors.values() for error in errors)


class AreaForm(forms.Form):
    """The team proposes circles in one area now, instead of waiting for the night."""

    zip_code = forms.CharField(label=_("ZIP code"), max_length=5)
    radius_miles = forms.IntegerField(
        label=_("Miles around it"), min_value=1, max_value=50, initial=10
    )

    def clean_zip_code(self) -> str:
        try:
            return locate_zip(self.cleaned_data["zip_code"]).zip_code
        except UnknownZip as error:
            raise forms.ValidationError(str(error)) from error

    def area(self) -> Area:
        return Area.around_zip(self.cleaned_data["zip_code"], self.cleaned_data["radius_miles"])
