from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.forms.models import model_to_dict
from django.template.defaultfilters import pluralize

from groups.models import Group, JoinPolicy, MeetingStyle, Membership
from groups.nearby import DEFAULT_DISTANCE, DISTANCE_CHOICES, BrowseFilters
from groups.selectors import transfer_candidates
from momcircle import text
from momcircle.geo import UnknownZip, locate_zip
from momcircle.profiles.forms import normalize_interests
from momcircle.profiles.models import AgeBand
from momcircle.widgets import QUICK_WIDGETS

MEETING_STYLES = [
    (MeetingStyle.KID_FREE_EVENINGS, "Kid-free evenings, after the kids' bedtime"),
    (MeetingStyle.FAMILY_WEEKENDS, "Family weekends, kids along"),
    (MeetingStyle.BOTH, "Both"),
]
AGE_WORDS = {band: label.split(" (")[0].lower() for band, label in AgeBand.choices}
MAX_FOCUS_TAGS = 8
MAX_TAG_LENGTH = 30


class GroupForm(forms.ModelForm):
    """Create or edit a group. Pass `group` to edit: the form never touches the group itself,
    the service does."""

    focus_text = forms.CharField(
        label="Focus",
        required=False,
        max_length=300,
        help_text="A few words, separated by commas: moms' night out, walks, book club.",
        validators=[text.validate_single_line],
    )
    kids_age_focus = forms.MultipleChoiceField(
        label="Kids' ages the group is for",
        required=False,
        choices=AgeBand.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if any age is welcome.",
    )
    size_cap = forms.IntegerField(
        label="How many members at most?",
        min_value=2,
        max_value=50,
        initial=12,
        help_text="Small groups make friends: 8 to 12 works well.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "description",
            "zip_code",
            "meeting_style",
            "size_cap",
            "join_policy",
            "join_question",
            "is_listed",
        ]
        labels = {
            "name": "Group name",
            "description": "What is the group about?",
            "meeting_style": "When do you meet?",
            "join_policy": "Who can join?",
            "join_question": "Question for moms asking to join (optional)",
            "is_listed": "List the group so moms nearby can find it",
        }
        help_texts = {
            "zip_code": "The group's neighborhood. Members see distances, never addresses.",
            "join_question": "Only for groups by request, e.g. “How old are your kids?”",
            "is_listed": "Unlisted groups are reached only through your invite link.",
        }
        error_messages = {
            "name": {"max_length": "Keep the name to %(limit_value)d characters or fewer."},
            "description": {
                "max_length": "Keep the description to %(limit_value)d characters or fewer."
            },
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "zip_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "meeting_style": forms.RadioSelect,
            "join_policy": forms.RadioSelect,
        }

    def __init__(self, *args, group: Group | None = None, submit_label: str = "Save", **kwargs):
        if group is not None:
            kwargs["initial"] = {
                **model_to_dict(group, fields=self._meta.fields),
                "kids_age_focus": group.kids_age_focus,
                "focus_text": ", ".join(group.focus),
            }
        super().__init__(*args, **kwargs)
        text.refuse_control_characters(
            self, single_line=("name", "join_question"), multi_line=("description",)
        )
        self.fields["meeting_style"].choices = MEETING_STYLES
        self.fields["join_policy"].choices = JoinPolicy.choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("About the group", "name", "description", "focus_text", "kids_age_focus"),
            Fieldset("Where and when", "zip_code", "meeting_style"),
            Fieldset("Who can join", "size_cap", "join_policy", "join_question", "is_listed"),
            Submit("save", submit_label, css_class="btn-lg"),
        )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_zip_code(self) -> str:
        try:
            return locate_zip(self.cleaned_data["zip_code"]).zip_code
        except UnknownZip as error:
            raise forms.ValidationError(str(error)) from error

    def clean_focus_text(self) -> list[str]:
        tags = normalize_interests(self.cleaned_data["focus_text"])
        if len(tags) > MAX_FOCUS_TAGS:
            raise forms.ValidationError(f"Keep it to {MAX_FOCUS_TAGS} words or fewer.")
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise forms.ValidationError(f"Each one can be at most {MAX_TAG_LENGTH} characters.")
        return tags

    def group_fields(self) -> dict:
        """What the service takes, by its argument names."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"].strip(),
            "zip_code": data["zip_code"],
            "focus": data["focus_text"],
            "kids_age_focus": data["kids_age_focus"],
            "meeting_style": data["meeting_style"],
            "size_cap": data["size_cap"],
            "join_policy": data["join_policy"],
            "join_question": data["join_question"].strip(),
            "is_listed": data["is_listed"],
        }


class JoinForm(forms.Form):
    """Join an open group, or ask to join one by request (answering its question)."""

    answer = forms.CharField(
        max_length=Membership._meta.get_field("answer").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text.validate_multi_line],
    )

    def __init__(self, *args, group: Group, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        if group.join_policy == JoinPolicy.OPEN:
            del self.fields["answer"]
            self.helper.add_input(Submit("join", "Join this group"))
            return
        answer = self.fields["answer"]
        answer.label = group.join_question or "Anything the organizer should know? (optional)"
        answer.required = bool(group.join_question)
        answer.error_messages["required"] = "Please answer the organizer's question."
        self.helper.add_input(Submit("join", "Request to join"))


class DecisionForm(forms.Form):
    """The organizers' optional note with an approval or a decline."""

    message = forms.CharField(
        required=False,
        max_length=Membership._meta.get_field("decision_message").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[text.validate_multi_line],
    )

    def __init__(self, *args, applicant: str = "her", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].label = f"Message to {applicant} (optional)"


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(Membership.Role.CO_ORGANIZER, "Co-organizer"), (Membership.Role.MEMBER, "Member")]
    )


class TransferForm(forms.Form):
    """Hand the group to another member; cleans to the user the service takes."""

    to = forms.ModelChoiceField(
        label="New organizer",
        queryset=Membership.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose who will organize the group."},
    )

    def __init__(self, *args, group: Group, viewer, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        to.queryset = transfer_candidates(group=group, viewer=viewer)
        to.label_from_instance = lambda membership: membership.member.profile.display_name
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("transfer", "Hand over the group"))

    def clean_to(self):
        return self.cleaned_data["to"].member


class BrowseForm(forms.Form):
    """The filters of "groups near me" (a GET form: bad values fall back to the defaults)."""

    default_renderer = QUICK_WIDGETS

    miles = forms.TypedChoiceField(
        label="Within",
        choices=[(m, f"{m} mile{'s' if m > 1 else ''}") for m in DISTANCE_CHOICES],
        coerce=int,
        initial=DEFAULT_DISTANCE,
        required=False,
        empty_value=DEFAULT_DISTANCE,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kids = forms.MultipleChoiceField(
        label="Kids' ages",
        choices=AgeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    style = forms.ChoiceField(
        label="Meeting style",
        choices=[("", "Any"), *MEETING_STYLES[:2]],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    has_space = forms.BooleanField(
        label="Has space for me",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    q = forms.CharField(label="Search", max_length=100, required=False, strip=True)

    def summary(self) -> str:
        """The filters in use, in one line: "Within 5 miles · toddler, teen · has space"."""
        filters = self.filters()
        parts = [f"Within {filters.miles} mile{pluralize(filters.miles)}"]
        if filters.text:
            parts.append(f"“{filters.text}”")
        if filters.meeting_style:
            parts.append(MeetingStyle(filters.meeting_style).label.lower())
        if filters.kids_ages:
            parts.append(", ".join(AGE_WORDS[band] for band in filters.kids_ages))
        if filters.has_space:
            parts.append("has space")
        return " · ".join(parts)

    def filters(self) -> BrowseFilters:
        if not self.is_valid():
            return BrowseFilters()
        data = self.cleaned_data
        return BrowseFilters(
            miles=data["miles"],
            kids_ages=tuple(data["kids"]),
            meeting_style=data["style"],
            has_space=data["has_space"],
            text=data["q"],
        )
