"""Dates as the portal writes them (partnerxpress/formats), to compare with what it shows."""

from datetime import date


def us(day: date) -> str:
    """US English: "Mar 1, 2027"."""
    return f"{day:%b} {day.day}, {day.year}"


def uk(day: date) -> str:
    """UK English: "1 Mar 2027"."""
    return f"{day.day} {day:%b %Y}"
