"""Celery application. Eager in the embedded default and in tests (see settings)."""

import os

from celery import Celery

# The bootstrap default for `celery -A config`; production sets DJANGO_SETTINGS_MODULE explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("chuangcheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
