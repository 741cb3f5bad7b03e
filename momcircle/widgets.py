"""A form renderer for forms with long option lists (the 96 quarter hours of a day): Django's
own widget templates in their Jinja2 form, the same markup, rendered several times faster
than through a template include per option."""

from django.forms.renderers import Jinja2

QUICK_WIDGETS = Jinja2()
