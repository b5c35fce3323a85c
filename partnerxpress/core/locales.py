"""The language documents are written in when no browser says: the reseller's region's."""

REGION_LANGUAGES = {"EMEA": "en-gb"}  # North America (and anything else) reads US English


def region_language(region_code: str) -> str:
    """The language of e-mails and PDFs for a reseller of this region (dates, money)."""
    return REGION_LANGUAGES.get(region_code, "en-us")
