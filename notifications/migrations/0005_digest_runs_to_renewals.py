"""The monthly renewal e-mail's runs now belong to renewals (see renewals 0003); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_letters_to_contracts'),
        ('renewals', '0003_digest_runs_from_notifications'),
    ]

    state_operations = [
        migrations.DeleteModel(
            name='DigestRun',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
