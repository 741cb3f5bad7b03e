from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from momcircle import text
from momcircle.moderation.models import Report


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "details"]
        labels = {"reason": "What is wrong?", "details": "What happened? (optional)"}
        help_texts = {
            "details": "Only the MomCircle team reads this. Up to 1,000 characters.",
        }
        widgets = {
            "reason": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        text.refuse_control_characters(self, multi_line=("details",))
        self.fields["reason"].choices = Report.Reason.choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("send", "Send the report"))
