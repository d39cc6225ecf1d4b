"""Django's own messages that its Simplified Chinese catalogue does not have yet.

Django consults Gendan's catalogue (LOCALE_PATHS) before its own, so a message listed here and
translated in gendan/locale reaches every form; makemessages collects it from this module.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    # The empty choice of select fields (Django 6.1; not in Django's zh_Hans catalogue).
    gettext_noop("- Select an option -"),
)
