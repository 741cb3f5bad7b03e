"""Forms of meetup conversations: a message (new or edited) and the mute switch."""

from django import forms

from momcircle.conversation.models import MAX_LENGTH

CHOOSE = "Choose to mute or unmute the conversation."


class ErrorSentence:
    def error_sentence(self) -> str:
        return " ".join(error for errors in self.errors.values() for error in errors)


class MessageForm(ErrorSentence, forms.Form):
    # The service cleans and measures the text: a browser sends each line break of its
    # maxlength-counted text as two characters.
    text = forms.CharField(
        label="Your message",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_LENGTH}),
        error_messages={"required": "Write a message first."},
    )


class MuteForm(ErrorSentence, forms.Form):
    muted = forms.TypedChoiceField(
        choices=[("yes", "Mute"), ("no", "Unmute")],
        coerce=lambda value: value == "yes",
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
