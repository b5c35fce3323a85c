"""The Celery app: one for web, worker and beat; the beat schedule lives in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")

app = Celery("partnerxpress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
