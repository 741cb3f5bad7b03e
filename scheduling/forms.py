"""Forms of meetups: plan (suggested times), create (once or repeating), edit (this one, or
this and following), answer, stand in a series, cancel."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import MeetingStyle
from momcircle import text
from momcircle.availability.recurrence import BIWEEKLY, MAX_COUNT, MONTHLY, WEEKLY
from momcircle.availability.windows import EITHER
from momcircle.geo import zone_name
from momcircle.profiles.models import KidMode
from scheduling.models import Meetup, MeetupSeries, Rsvp
from scheduling.selectors import DEFAULT_HORIZON_DAYS
from scheduling.services import MAX_KIDS, MeetupDetails, Repeat, SeriesEdit

KIDS_COUNT = lazy(lambda: gettext("Count from 0 to %(count)s kids.") % {"count": MAX_KIDS}, str)()

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
DURATION_CHOICES = [
    ("60", _("1 hour")),
    ("90", _("1½ hours")),
    ("120", _("2 hours")),
    ("180", _("3 hours")),
]
SUGGESTION_MODE_CHOICES = [(EITHER, _("Kid-free or kids along")), *KidMode.choices]
HORIZON_CHOICES = [("7", _("Next week")), ("14", _("Next 2 weeks")), ("21", _("Next 3 weeks"))]
MONTHLY_LAST = "monthly_last"
RHYTHMS = [
    (WEEKLY, _("Every week")),
    (BIWEEKLY, _("Every 2 weeks")),
    (MONTHLY, _("Monthly, on the same weekday (the 2nd Tuesday, say)")),
]
REPEAT_CHOICES = [
    ("", _("Doesn't repeat")),
    *RHYTHMS,
    (MONTHLY_LAST, _("Monthly, on the last of that weekday (the last Tuesday)")),
]
NEVER, ON_A_DATE, AFTER = "never", "on", "after"
REPEAT_END_CHOICES = [
    (NEVER, _("Never: it goes on until you end it")),
    (ON_A_DATE, _("On a date")),
    (AFTER, _("After a number of times")),
]


def in_zone(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the zone as an aware datetime; an ambiguous time (clocks going
    back) is its first occurrence; a time that does not exist (clocks going forward) is an error."""
    aware = wall.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise forms.ValidationError(
            gettext(
                "%(time)s does not exist on %(day)s in %(zone)s: the clocks go "
                "forward that night. Choose another time."
            )
            % {
                "time": f"{wall:%H:%M}",
                "day": date_format(wall, "j F"),
                "zone": zone_name(zone.key),
            }
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
    default_error_messages = {"invalid": _("Enter a date and a time, like 2026-03-10 20:30.")}

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
                gettext("Choose a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": YEARS_OFFERED[0], "last": YEARS_OFFERED[1]},
            )
        return parsed.replace(second=0, microsecond=0)


class MeetupForm(forms.Form):
    """Create or edit a meetup; times are read in the group's zone. The service checks the
    rules (a future start, a place, a sensible quorum), so this form only reads."""

    title = forms.CharField(
        max_length=Meetup._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("Moms' night out")}),
        validators=[text.validate_single_line],
    )
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    kid_mode = forms.ChoiceField(
        label=_("Kids"),
        choices=[
            (KidMode.KID_FREE, _("Kid-free: moms only")),
            (KidMode.KIDS_ALONG, _("Kid-friendly: bring the kids")),
        ],
        widget=forms.RadioSelect,
    )
    venue_name = forms.CharField(
        label=_("Venue"),
        required=False,
        max_length=Meetup._meta.get_field("venue_name").max_length,
        help_text=_("A café, a park, someone's home. Only members see it."),
        validators=[text.validate_single_line],
    )
    venue_address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=Meetup._meta.get_field("venue_address").max_length,
        validators=[text.validate_single_line],
    )
    at_home = forms.BooleanField(
        label=_("This is someone's home"),
        help_text=_(
            "Then the address is shown only to those going, from 24 hours before, and "
            "erased a week after the meetup."
        ),
        required=False,
    )
    online_link = forms.URLField(
        label=_("Or an online link"),
        required=False,
        max_length=Meetup._meta.get_field("online_link").max_length,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full link, like https://meet.example.com/moms.")},
        validators=[text.validate_single_line],
    )
    description = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=Meetup._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text.validate_multi_line],
    )
    capacity = _count(
        _("Seats (optional)"),
        _("Leave empty for no limit. When it is full, members join a waitlist."),
    )
    kids_take_seats = forms.BooleanField(
        label=_("Kids take seats too (kid-friendly meetups)"), required=False
    )
    waitlist_cutoff_hours = _count(
        _("Stop moving the waitlist this many hours before the start"),
        _("Later than that, a freed seat goes to whoever takes it first."),
        required=True,
        min_value=0,
        max_value=168,
        initial=3,
    )
    quorum = _count(
        _("Members needed (optional)"),
        _("The meetup stays tentative until this many say they're going."),
    )
    quorum_deadline = LocalDateTimeField(
        label=_("Decide by"),
        required=False,
        help_text=_("If not enough are going by then, the meetup is cancelled."),
    )

    def __init__(self, *args, zone: str, submit_label: str, meetup: Meetup | None = None, **kw):
        if meetup is not None:
            kw["initial"] = {name: getattr(meetup, name) for name in self.base_fields}
        super().__init__(*args, **kw)
        self.zone = ZoneInfo(zone)
        for name in ("starts_at", "ends_at", "quorum_deadline"):
            self.fields[name].zone = self.zone
            self.fields[name].help_text = self.fields[name].help_text or gettext("In %(zone)s.") % {
                "zone": zone_name(zone)
            }
        self.helper = FormHelper()
        self.helper.form_id = "meetup-form"
        self.helper.layout = Layout(
            Fieldset(_("What"), "title", "kid_mode", "description"),
            Fieldset(_("When"), "starts_at", "ends_at"),
            Fieldset(_("Where"), "venue_name", "venue_address", "at_home", "online_link"),
            Fieldset(_("Seats"), "capacity", "kids_take_seats", "waitlist_cutoff_hours"),
            Fieldset(_("Only if enough can come"), "quorum", "quorum_deadline"),
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
        if params.get("repeat") in dict(RHYTHMS):
            prefill["repeat"] = params["repeat"]
        return prefill


REPEAT_UNTIL = forms.DateField(
    error_messages={
        "required": _("Choose the last date, or another way it ends."),
        "invalid": _("Enter a date, like 2026-06-30."),
    }
)
HOW_MANY_TIMES = lazy(
    lambda: gettext("Say how many times, from 1 to %(most)s.") % {"most": MAX_COUNT}, str
)()
REPEAT_COUNT = forms.IntegerField(
    min_value=1,
    max_value=MAX_COUNT,
    error_messages={
        "required": _("Say how many times, or another way it ends."),
        "invalid": HOW_MANY_TIMES,
        "min_value": HOW_MANY_TIMES,
        "max_value": HOW_MANY_TIMES,
    },
)


class NewMeetupForm(MeetupForm):
    """A new meetup, once or repeating: every week, every 2 weeks or monthly on the same
    weekday, until a date, for a number of times, or until she ends it."""

    repeat = forms.ChoiceField(label=_("How often"), choices=REPEAT_CHOICES, required=False)
    repeat_end = forms.ChoiceField(
        label=_("Ends"), choices=REPEAT_END_CHOICES, initial=NEVER, widget=forms.RadioSelect
    )
    # Read only for the way it ends (a count typed before choosing "never" is no error).
    repeat_until = forms.CharField(
        label=_("Last date (when it ends on a date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    repeat_count = forms.CharField(
        label=_("How many times (when it ends after a number)"),
        required=False,
        help_text=_("The first meetup counts as one."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_COUNT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repeat_end"].required = False
        layout = self.helper.layout
        layout.insert(
            2,
            Fieldset(_("Repeat"), "repeat", "repeat_end", "repeat_until", "repeat_count"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["until"] = cleaned["count"] = None
        if not cleaned.get("repeat"):
            return cleaned
        end = cleaned.get("repeat_end") or NEVER
        if end == ON_A_DATE:
            cleaned["until"] = self._read("repeat_until", REPEAT_UNTIL)
        if end == AFTER:
            cleaned["count"] = self._read("repeat_count", REPEAT_COUNT)
        return cleaned

    def _read(self, name: str, field: forms.Field):
        try:
            return field.clean(self.cleaned_data.get(name, "").strip())
        except forms.ValidationError as error:
            self.add_error(name, error)
            return None

    def details(self) -> MeetupDetails:
        data = self.cleaned_data
        return MeetupDetails(**{name: data[name] for name in MeetupForm.base_fields})

    def repeat_rule(self) -> Repeat | None:
        """How it repeats, or None for a single meetup."""
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        return Repeat(
            frequency=MONTHLY if data["repeat"] == MONTHLY_LAST else data["repeat"],
            last=data["repeat"] == MONTHLY_LAST,
            until=data["until"],
            count=data["count"],
        )


def _outline_button(name: str, label: str) -> Submit:
    button = Submit(name, label)
    button.field_classes = "btn btn-outline-primary"
    return button


class SuggestForm(forms.Form):
    """How long, with or without kids, and how far ahead to look for times."""

    duration = forms.TypedChoiceField(
        label=_("How long"), choices=DURATION_CHOICES, coerce=int, initial="90"
    )
    mode = forms.ChoiceField(label=_("Who comes along"), choices=SUGGESTION_MODE_CHOICES)
    horizon = forms.TypedChoiceField(
        label=_("When"),
        choices=HORIZON_CHOICES,
        coerce=int,
        initial=str(DEFAULT_HORIZON_DAYS),
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[("", _("No: one meetup")), *RHYTHMS],
        required=False,
        help_text=_("A repeating time is weighed on its next 8 dates."),
    )

    def __init__(self, params, *, meeting_style: str):
        default_mode = MeetingStyle(meeting_style).kid_wish
        super().__init__(params if "duration" in params else None, initial={"mode": default_mode})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.layout = Layout(
            Div("duration", css_class="col-12 col-sm-6 col-lg-3"),
            Div("mode", css_class="col-12 col-sm-6 col-lg-3"),
            Div("horizon", css_class="col-12 col-sm-6 col-lg-3"),
            Div("repeat", css_class="col-12 col-sm-6 col-lg-3"),
            Div(_outline_button("show", _("Show times")), css_class="col-12"),
        )

    def rhythm(self) -> str:
        """The chosen repeat ("weekly", "biweekly", "monthly"), or "" for one meetup."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["repeat"]
        return ""

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
        if self.rhythm():
            params["repeat"] = self.rhythm()
        return "?" + urlencode(params)


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        choices=[(value, label) for value, label in Rsvp.Response.choices if value != "waitlisted"],
        error_messages={"required": _("Choose going, maybe or can't go.")},
    )
    kids = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_KIDS,
        error_messages={
            "min_value": KIDS_COUNT,
            "max_value": KIDS_COUNT,
            "invalid": KIDS_COUNT,
        },
    )

    def answer(self) -> dict:
        return {"response": self.cleaned_data["response"], "kids": self.cleaned_data["kids"] or 0}

    def error_sentence(self) -> str:
        return " ".join(error for errors in self.errors.values() for error in errors)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("A word for the members (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text.validate_multi_line],
    )


class SeriesEditForm(forms.Form):
    """This meetup and the following ones: the time of day, the place, the seats, the title
    and notes (the weekday and the rhythm stay). Times are on the group's wall clock; an end
    at or before the start is on the next day."""

    title = MeetupForm.base_fields["title"]
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue_name = MeetupForm.base_fields["venue_name"]
    venue_address = MeetupForm.base_fields["venue_address"]
    at_home = MeetupForm.base_fields["at_home"]
    online_link = MeetupForm.base_fields["online_link"]
    capacity = MeetupForm.base_fields["capacity"]
    description = MeetupForm.base_fields["description"]

    def __init__(self, *args, series: MeetupSeries, **kwargs):
        end = (datetime.combine(date.min, series.start_time) + series.length).time()
        initial = {name: getattr(series, name) for name in self.base_fields if name != "end_time"}
        super().__init__(*args, initial={**initial, "end_time": end}, **kwargs)
        zone = zone_name(series.group.time_zone)
        self.fields["start_time"].help_text = gettext("In %(zone)s.") % {"zone": zone}
        self.fields["end_time"].help_text = gettext("Earlier than the start means the next day.")
        self.helper = FormHelper()
        self.helper.form_id = "series-form"
        self.helper.layout = Layout(
            Fieldset(_("What"), "title", "description"),
            Fieldset(_("When"), "start_time", "end_time"),
            Fieldset(_("Where"), "venue_name", "venue_address", "at_home", "online_link"),
            Fieldset(_("Seats"), "capacity"),
            Submit("save", gettext("Save this and the following"), css_class="btn-lg"),
        )

    def edit(self) -> SeriesEdit:
        data = self.cleaned_data
        start = datetime.combine(date.min, data["start_time"])
        end = datetime.combine(date.min, data["end_time"])
        if end <= start:
            end += timedelta(days=1)
        fields = {name: data[name] for name in self.fields if name != "end_time"}
        return SeriesEdit(length_minutes=(end - start) // timedelta(minutes=1), **fields)


class StandingForm(forms.Form):
    """ "I'm in every week" on or off, with how many kids come along (kid-friendly series)."""

    standing = forms.ChoiceField(
        choices=[("on", _("I'm in every week")), ("off", _("Not every week"))],
        error_messages={"required": _("Choose whether you're in every week.")},
    )
    kids = RsvpForm.base_fields["kids"]
    error_sentence = RsvpForm.error_sentence

    def is_on(self) -> bool:
        return self.cleaned_data["standing"] == "on"
