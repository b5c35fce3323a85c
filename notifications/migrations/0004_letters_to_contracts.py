"""Confirmation letters now belong to contracts (see contracts 0010); the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_email_next_attempt'),
        ('contracts', '0010_letters_from_notifications'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='letterrequest',
            name='letter',
        ),
        migrations.RemoveField(
            model_name='letterrequest',
            name='user',
        ),
        migrations.DeleteModel(
            name='Letter',
        ),
        migrations.DeleteModel(
            name='LetterRequest',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
