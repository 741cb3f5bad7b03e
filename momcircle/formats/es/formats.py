# The day of a meetup's time, as in "mar 8 dic, 20:30–22:00 CDT" (scheduling.templatetags).
MEETUP_DAY_FORMAT = "D j b"
