"""Celery application. Eager in the embedded default and in tests (see settings)."""

import os

from celery import Celery

# The bootstrap default for `celery -A config`; production sets DJANGO_SETTINGS_MODULE explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Enqueues fall back to running in-process when the broker is down (see chuangcheng/core/taskqueue.py).
app = Celery("chuangcheng", task_cls="chuangcheng.core.taskqueue:ResilientTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
