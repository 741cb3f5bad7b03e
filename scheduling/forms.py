"""Forms of meetups: plan (suggested times), create, edit, answer, cancel."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms

from groups.models import MeetingStyle
from momcircle import text
from momcircle.availability.windows import EITHER
from momcircle.geo import zone_name
from momcircle.profiles.models import KidMode
from scheduling.models import Meetup, Rsvp
from scheduling.selectors import DEFAULT_HORIZON_DAYS
from scheduling.services import MAX_KIDS, MeetupDetails

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
DURATION_CHOICES = [
    ("60", "1 hour"),
    ("90", "1½ hours"),
    ("120", "2 hours"),
    ("180", "3 hours"),
]
SUGGESTION_MODE_CHOICES = [(EITHER, "Kid-free or kids along"), *KidMode.choices]
HORIZON_CHOICES = [("7", "Next week"), ("14", "Next 2 weeks"), ("21", "Next 3 weeks")]


def in_zone(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the zone as an aware datetime; an ambiguous time (clocks going
    back) is its first occurrence; a time that does not exist (clocks going forward) is an error."""
    aware = wall.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise forms.ValidationError(
            f"{wall:%H:%M} does not exist on {wall:%-d %B} in {zone_name(zone.key)}: the clocks go "
            "forward that night. Choose another time."
        )
    return aware


def _count(label: str, help_text: str, *, required: bool = False, **limits) -> forms.IntegerField:
    """A whole number typed on a phone's number pad; 1 to 500 unless `limits` say otherwise."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **{"min_value": 1, "max_value": 500, **limits},
    )


YEARS_OFFERED = (2000, 2100)


class LocalDateTimeField(forms.Field):
    """A date and time on the wall clock of the form's zone (`<input type=datetime-local>`);
    cleans to a naive datetime, which the form places in the zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    default_error_messages = {"invalid": "Enter a date and a time, like 2026-03-10 20:30."}

    def __init__(self, *args, **kwargs):
        self.zone: ZoneInfo = ZoneInfo("UTC")
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if parsed.tzinfo is not None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        # Far years cannot be placed in a zone (datetime overflows near 1 and 9999).
        if not YEARS_OFFERED[0] <= parsed.year <= YEARS_OFFERED[1]:
            raise forms.ValidationError(
                "Choose a date between %(first)s and %(last)s.",
                code="out_of_range",
                params={"first": YEARS_OFFERED[0], "last": YEARS_OFFERED[1]},
            )
        return parsed.replace(second=0, microsecond=0)


class MeetupForm(forms.Form):
    """Create or edit a meetup; times are read in the group's zone. The service checks the
    rules (a future start, a place, a sensible quorum), so this form only reads."""

    title = forms.CharField(
        max_length=Meetup._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"placeholder": "Moms' night out"}),
        validators=[text.validate_single_line],
    )
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")
    kid_mode = forms.ChoiceField(
        label="Kids",
        choices=[
            (KidMode.KID_FREE, "Kid-free: moms only"),
            (KidMode.KIDS_ALONG, "Kid-friendly: bring the kids"),
        ],
        widget=forms.RadioSelect,
    )
    venue_name = forms.CharField(
        label="Venue",
        required=False,
        max_length=Meetup._meta.get_field("venue_name").max_length,
        help_text="A café, a park, someone's home. Only members see it.",
        validators=[text.validate_single_line],
    )
    venue_address = forms.CharField(
        label="Address",
        required=False,
        max_length=Meetup._meta.get_field("venue_address").max_length,
        validators=[text.validate_single_line],
    )
    at_home = forms.BooleanField(
        label="This is someone's home",
        help_text="Then the address is shown only to those going, from 24 hours before, and "
        "erased a week after the meetup.",
        required=False,
    )
    online_link = forms.URLField(
        label="Or an online link",
        required=False,
        max_length=Meetup._meta.get_field("online_link").max_length,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full link, like https://meet.example.com/moms."},
        validators=[text.validate_single_line],
    )
    description = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=Meetup._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text.validate_multi_line],
    )
    capacity = _count(
        "Seats (optional)",
        "Leave empty for no limit. When it is full, members join a waitlist.",
    )
    kids_take_seats = forms.BooleanField(
        label="Kids take seats too (kid-friendly meetups)", required=False
    )
    waitlist_cutoff_hours = _count(
        "Stop moving the waitlist this many hours before the start",
        "Later than that, a freed seat goes to whoever takes it first.",
        required=True,
        min_value=0,
        max_value=168,
        initial=3,
    )
    quorum = _count(
        "Members needed (optional)",
        "The meetup stays tentative until this many say they're going.",
    )
    quorum_deadline = LocalDateTimeField(
        label="Decide by",
        required=False,
        help_text="If not enough are going by then, the meetup is cancelled.",
    )

    def __init__(self, *args, zone: str, submit_label: str, meetup: Meetup | None = None, **kw):
        if meetup is not None:
            kw["initial"] = {name: getattr(meetup, name) for name in self.base_fields}
        super().__init__(*args, **kw)
        self.zone = ZoneInfo(zone)
        for name in ("starts_at", "ends_at", "quorum_deadline"):
            self.fields[name].zone = self.zone
            self.fields[name].help_text = self.fields[name].help_text or f"In {zone_name(zone)}."
        self.helper = FormHelper()
        self.helper.form_id = "meetup-form"
        self.helper.layout = Layout(
            Fieldset("What", "title", "kid_mode", "description"),
            Fieldset("When", "starts_at", "ends_at"),
            Fieldset("Where", "venue_name", "venue_address", "at_home", "online_link"),
            Fieldset("Seats", "capacity", "kids_take_seats", "waitlist_cutoff_hours"),
            Fieldset("Only if enough can come", "quorum", "quorum_deadline"),
            Submit("save", submit_label, css_class="btn-lg"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("starts_at", "ends_at", "quorum_deadline"):
            if cleaned.get(name) is not None:
                try:
                    cleaned[name] = in_zone(cleaned[name], self.zone)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def details(self) -> MeetupDetails:
        data = self.cleaned_data
        return MeetupDetails(**{name: data[name] for name in self.fields})

    @staticmethod
    def prefill(params) -> dict:
        """Start, end and kid mode from a suggestion link, when they read well."""
        prefill = {}
        for name in ("starts_at", "ends_at"):
            try:
                prefill[name] = datetime.strptime(params.get(name, ""), LOCAL_FORMAT)
            except ValueError:
                continue
        if params.get("kid_mode") in KidMode.values:
            prefill["kid_mode"] = params["kid_mode"]
        return prefill


def _outline_button(name: str, label: str) -> Submit:
    button = Submit(name, label)
    button.field_classes = "btn btn-outline-primary"
    return button


class SuggestForm(forms.Form):
    """How long, with or without kids, and how far ahead to look for times."""

    duration = forms.TypedChoiceField(
        label="How long", choices=DURATION_CHOICES, coerce=int, initial="90"
    )
    mode = forms.ChoiceField(label="Who comes along", choices=SUGGESTION_MODE_CHOICES)
    horizon = forms.TypedChoiceField(
        label="When",
        choices=HORIZON_CHOICES,
        coerce=int,
        initial=str(DEFAULT_HORIZON_DAYS),
    )

    def __init__(self, params, *, meeting_style: str):
        default_mode = MeetingStyle(meeting_style).kid_wish
        super().__init__(params if "duration" in params else None, initial={"mode": default_mode})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.layout = Layout(
            Div("duration", css_class="col-12 col-sm-4"),
            Div("mode", css_class="col-12 col-sm-4"),
            Div("horizon", css_class="col-12 col-sm-4"),
            Div(_outline_button("show", "Show times"), css_class="col-12"),
        )

    def choices(self) -> dict:
        """The chosen (or default) duration, mode and horizon."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return {
                "duration": timedelta(minutes=data["duration"]),
                "mode": data["mode"],
                "horizon_days": data["horizon"],
            }
        return {
            "duration": timedelta(minutes=int(self["duration"].initial)),
            "mode": self["mode"].initial,
            "horizon_days": DEFAULT_HORIZON_DAYS,
        }

    def kid_mode(self) -> str:
        """What the chosen times make the meetup: their kid mode, or nothing for either."""
        mode = self.choices()["mode"]
        return "" if mode == EITHER else mode

    def link_to_use(self, suggestion) -> str:
        """The query string that shows these choices again, with the form set to the time."""
        choices = self.choices()
        params = {
            "duration": int(choices["duration"].total_seconds() // 60),
            "mode": choices["mode"],
            "horizon": choices["horizon_days"],
            "starts_at": suggestion.start.strftime(LOCAL_FORMAT),
            "ends_at": suggestion.end.strftime(LOCAL_FORMAT),
        }
        if self.kid_mode():
            params["kid_mode"] = self.kid_mode()
        return "?" + urlencode(params)


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        choices=[(value, label) for value, label in Rsvp.Response.choices if value != "waitlisted"],
        error_messages={"required": "Choose going, maybe or can't go."},
    )
    kids = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_KIDS,
        error_messages={
            "min_value": f"Count from 0 to {MAX_KIDS} kids.",
            "max_value": f"Count from 0 to {MAX_KIDS} kids.",
            "invalid": f"Count from 0 to {MAX_KIDS} kids.",
        },
    )

    def answer(self) -> dict:
        return {"response": self.cleaned_data["response"], "kids": self.cleaned_data["kids"] or 0}

    def error_sentence(self) -> str:
        return " ".join(error for errors in self.errors.values() for error in errors)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="A word for the members (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text.validate_multi_line],
    )
