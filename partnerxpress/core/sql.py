"""SQL expressions Django lacks, written for each database the project runs on."""

from django.db.models import DateField, Func


class NextDay(Func):
    """The day after a date column, as a date on PostgreSQL and SQLite alike.

    (Django's date + timedelta gives SQLite a text timestamp that never equals a date.)
    """

    output_field = DateField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s + 1)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, '+1 day')", **extra
        )
