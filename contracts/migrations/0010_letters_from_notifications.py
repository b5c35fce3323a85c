"""Confirmation letters move from the notifications app to contracts (a leaf cannot import
the contracts it writes about). Their tables stay where they are: only Django's state moves."""

import contracts.models.letters
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0009_renewal_decisions'),
        ('notifications', '0003_email_next_attempt'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Letter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=16)),
                ('facts', models.JSONField()),
                ('status', models.CharField(choices=[('requested', 'requested'), ('generating', 'being generated'), ('ready', 'ready'), ('failed', 'failed')], default='requested', max_length=12)),
                ('file', models.FileField(blank=True, storage=contracts.models.letters.letter_storage, upload_to='%Y/%m/')),
                ('dated', models.DateField(blank=True, help_text='The date printed on the letter.', null=True)),
                ('pages', models.PositiveSmallIntegerField(default=0)),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size (bytes)')),
                ('render_ms', models.PositiveIntegerField(default=0, verbose_name='render time (ms)')),
                ('generations', models.PositiveSmallIntegerField(default=0)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('last_error', models.TextField(blank=True)),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('generated_at', models.DateTimeField(blank=True, null=True)),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='letters', to='contracts.contract')),
            ],
            options={
                'db_table': 'notifications_letter',
                'ordering': ['-requested_at'],
            },
        ),
        migrations.CreateModel(
            name='LetterRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('letter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='contracts.letter')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='letter_requests', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'notifications_letterrequest',
                'ordering': ['requested_at'],
            },
        ),
        migrations.AddIndex(
            model_name='letter',
            index=models.Index(fields=['status', 'requested_at'], name='notificatio_status_2326a0_idx'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(fields=('contract', 'version'), name='letter_per_version'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
