# The day of a meetup's time, as in "Tue 8 Dec, 20:30–22:00 CDT" (scheduling.templatetags).
MEETUP_DAY_FORMAT = "D j M"
