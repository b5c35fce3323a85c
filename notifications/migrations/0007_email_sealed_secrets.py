"""Email.sealed: secrets an e-mail carries, encrypted (issue 16.1). Password-reset e-mails
already in the outbox get their link hidden and their key's token replaced by its fingerprint;
those not sent yet keep the link sealed, so they still work."""

import hashlib
import re

from django.db import migrations, models

from notifications.sealing import placeholder, seal

LINK = re.compile(r"\S+/accounts/reset/[^/\s\"<>]+/[^/\s\"<>]+/")
UNSENT = ("pending", "sending", "failed")


def hide_reset_links(apps, schema_editor):
    Email = apps.get_model("notifications", "Email")
    for email in Email.objects.filter(kind="password-reset").iterator():
        found = LINK.search(email.body_text)
        prefix, _, token = email.key.rpartition(":")
        email.key = f"{prefix}:{hashlib.sha256(token.encode()).hexdigest()[:16]}"
        if found:
            link = found.group(0)
            email.body_text = email.body_text.replace(link, placeholder("link"))
            email.body_html = email.body_html.replace(link, placeholder("link"))
            email.sealed = seal({"link": link}) if email.status in UNSENT else ""
        email.save(update_fields=["key", "body_text", "body_html", "sealed"])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0006_email_claimed_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="email",
            name="sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(hide_reset_links, migrations.RunPython.noop),
    ]
