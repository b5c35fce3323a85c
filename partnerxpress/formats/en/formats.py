"""US English dates, one style everywhere (pages, e-mails, PDFs): "Dec 2, 2026", and a time
always with its zone: "Dec 2, 2026, 4:56 PM PST". Django's own (AP style: "Sept.", "March")
mixes abbreviated and full month names."""

DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A T"
DATETIME_FORMAT = "M j, Y, g:i A T"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "F Y"
