import datetime
import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from momcircle import text
from momcircle.geo import UnknownZip, known_time_zones, locate_zip, zone_name
from momcircle.profiles.models import (
    AgeBand,
    Announcements,
    LookingFor,
    Profile,
    ReminderTiming,
)

MAX_INTERESTS = 10
MAX_KIDS_PER_BAND = 9
AUTOMATIC_TIME_ZONE = ""
LAST_INITIAL_ERROR = _("Type one letter: the first of your last name, like K or Ñ.")


def normalize_interests(text: str) -> list[str]:
    """'Running, BOOK club ,running' -> ['running', 'book club']: lower case, no repeats."""
    tags: list[str] = []
    for raw in re.split(r"[,;\n]", text or ""):
        tag = re.sub(r"\s+", " ", raw).strip().lower().lstrip("#")
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class ProfileForm(forms.ModelForm):
    last_initial = forms.CharField(
        label=_("Last initial"),
        help_text=_("Just the first letter of your last name, like K."),
        widget=forms.TextInput(attrs={"class": "last-initial", "autocomplete": "off"}),
        error_messages={"required": LAST_INITIAL_ERROR},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("We set it from your ZIP code; change it only if that is wrong for you."),
    )
    looking_for = forms.MultipleChoiceField(
        label=_("What are you looking for?"),
        choices=LookingFor.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing you'd enjoy.")},
    )
    interests_text = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=400,
        help_text=_("A few words, separated by commas: running, book club, board games."),
        validators=[text.validate_single_line],
    )

    class Meta:
        model = Profile
        fields = [
            "first_name",
            "last_initial",
            "zip_code",
            "time_zone",
            "work_pattern",
            "bio",
            "language",
        ]
        labels = {
            "first_name": _("First name"),
            "work_pattern": _("How do you work?"),
            "bio": _("A few words about you"),
            "language": _("Language"),
        }
        help_texts = {
            "zip_code": _("We keep only the ZIP code, never your street address."),
            "bio": _("Optional, up to 500 characters. Plain text."),
        }
        widgets = {
            "work_pattern": forms.RadioSelect,
            "bio": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "zip_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
        }

    def __init__(self, *args, submit_label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        text.refuse_control_characters(self, single_line=("first_name",), multi_line=("bio",))
        self.location = None
        self.fields["work_pattern"].choices = self.fields["work_pattern"].choices[1:]
        self.fields["language"].required = False  # left out: the one she has, or reads now
        if not self.instance.pk:
            self.initial["language"] = translation.get_language()
        self.fields["time_zone"].choices = [(AUTOMATIC_TIME_ZONE, _("From my ZIP code"))] + [
            (zone, zone_name(zone)) for zone in known_time_zones()
        ]
        for band, label in AgeBand.choices:
            self.fields[f"kids_{band}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=MAX_KIDS_PER_BAND,
                initial=self.instance.kids.get(band, 0) if self.instance.pk else 0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "kids-count"}),
            )
        if self.instance.pk:
            self.initial["looking_for"] = self.instance.looking_for
            self.initial["interests_text"] = ", ".join(self.instance.interests)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("About you"), "first_name", "last_initial", "work_pattern", "language"),
            Fieldset(_("Where you live"), "zip_code", "time_zone"),
            Fieldset(
                _("Your kids"),
                HTML(
                    format_html(
                        '<p class="form-text">{}</p>',
                        gettext("Age bands only: no names, no birthdays."),
                    )
                ),
                *(f"kids_{band}" for band in AgeBand.values),
                css_class="kids-fieldset",
            ),
            Fieldset(_("What you'd like"), "looking_for", "interests_text", "bio"),
            Submit("save", submit_label or gettext("Save"), css_class="btn-lg"),
        )

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_initial(self) -> str:
        """One letter of any alphabet, upper case where it has one: "k." is K, "ñ" is Ñ."""
        typed = self.cleaned_data["last_initial"].strip().removesuffix(".")
        letter = unicodedata.normalize("NFC", typed)
        if len(letter) != 1 or not letter.isalpha():
            raise forms.ValidationError(LAST_INITIAL_ERROR)
        upper = letter.upper()
        return upper if len(upper) == 1 else letter

    def clean_zip_code(self) -> str:
        try:
            self.location = locate_zip(self.cleaned_data["zip_code"])
        except UnknownZip as error:
            raise forms.ValidationError(str(error)) from error
        return self.location.zip_code

    def clean_interests_text(self) -> list[str]:
        tags = normalize_interests(self.cleaned_data["interests_text"])
        if len(tags) > MAX_INTERESTS:
            raise forms.ValidationError(
                ngettext(
                    "Keep it to %(count)s interest or fewer.",
                    "Keep it to %(count)s interests or fewer.",
                    MAX_INTERESTS,
                )
                % {"count": MAX_INTERESTS}
            )
        if any(len(tag) > 30 for tag in tags):
            raise forms.ValidationError(gettext("Each interest can be at most 30 characters."))
        return tags

    def kids(self) -> dict[str, int]:
        counts = {band: self.cleaned_data.get(f"kids_{band}") or 0 for band in AgeBand.values}
        return {band: count for band, count in counts.items() if count}

    def profile_fields(self) -> dict:
        """Everything the service needs to save, with the ZIP resolved to its centroid."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_initial": data["last_initial"],
            "zip_code": self.location.zip_code,
            "latitude": self.location.latitude,
            "longitude": self.location.longitude,
            "time_zone": data["time_zone"] or self.location.time_zone,
            "work_pattern": data["work_pattern"],
            "kids": self.kids(),
            "looking_for": data["looking_for"],
            "interests": data["interests_text"],
            "bio": data["bio"].strip(),
            "language": data["language"]
            or (self.instance.language if self.instance.pk else translation.get_language()),
        }


class NotificationPreferencesForm(forms.ModelForm):
    reminder_evening_time = forms.TypedChoiceField(
        label=_("Evening reminder at"),
        choices=[(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(16, 23) for m in (0, 30)],
        coerce=datetime.time.fromisoformat,
    )
    reminder_hours_before = forms.IntegerField(
        label=_("Hours-before reminder, hours ahead"), min_value=1, max_value=48
    )

    class Meta:
        model = Profile
        fields = [
            "reminder_timing",
            "reminder_evening_time",
            "reminder_hours_before",
            "announcements",
            "meetup_updates",
            "conversation_emails",
            "circle_proposals",
        ]
        labels = {
            "reminder_timing": _("Remind me of meetups I'm going to"),
            "announcements": _("Tell me about new meetups in my groups"),
            "meetup_updates": _("Email me when a meetup I answered changes"),
            "conversation_emails": _("Email me new messages in the conversations of my meetups"),
            "circle_proposals": _("Email me when MomCircle finds me a circle"),
        }
        help_texts = {
            "announcements": _("The weekly digest comes on Sundays at 5 pm, your time."),
            "meetup_updates": _(
                "A new time or place, a cancellation, a seat opening up for you "
                "on the waitlist, or whether a tentative meetup has enough people going."
            ),
            "conversation_emails": _(
                "For meetups you're going or maybe going to, at most one "
                "email per meetup every 30 minutes. You can also mute one meetup on its page."
            ),
            "circle_proposals": _("Only while you ask us to find you a circle."),
        }
        widgets = {
            "reminder_timing": forms.RadioSelect,
            "announcements": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reminder_timing"].choices = ReminderTiming.choices
        self.fields["announcements"].choices = Announcements.choices
        if self.instance.pk:
            self.initial["reminder_evening_time"] = self.instance.reminder_evening_time.strftime(
                "%H:%M"
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save preferences")))
