"""UK English dates, one style everywhere (pages, e-mails, PDFs): "2 Dec 2026", and a time
always with its zone: "2 Dec 2026, 16:56 GMT"."""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i T"
DATETIME_FORMAT = "j M Y, H:i T"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
