"""Turning the Senzing demo truth set's flat attributes into the clean columns Splink compares.

Splink compares columns as they are, so its users standardise first; these functions do the usual
light cleaning (case, punctuation, one date format, digits of a phone) and nothing that knows the
answer. Each returns None for a value it cannot read, which Splink treats as no evidence.
"""

import re
from datetime import date, datetime

# Formats the set's birth dates use, tried in order: month before day, as in US records, and day
# first when the month slot cannot be a month (20/8/1991).
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d/%m/%Y", "%d/%m/%y", "%b %d %Y", "%d-%b-%y", "%d-%b-%Y"]
EMAIL = re.compile(r"[^\s<>\"]+@[^\s<>\"]+")
FIVE_DIGITS = re.compile(r"\b(\d{5})(?:\d{4})?\b")


def text(value: str | None) -> str | None:
    """Lowercase, punctuation as spaces, runs of spaces as one."""
    if value is None:
        return None
    cleaned = " ".join(re.sub(r"[^\w\s]", " ", value.lower()).split())
    return cleaned or None


def birth_date(value: str | None) -> str | None:
    """YYYY-MM-DD from the formats above; two-digit years in the future are last century's."""
    if value is None:
        return None
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
        if parsed > date.today():
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed.isoformat()
    return None


def split_full_name(full: str | None) -> tuple[str | None, str | None]:
    """(forename, surname) from a one-field name: 'Jones, Kaylee' is surname first, otherwise the
    first word is the forename and the last the surname."""
    if full is None:
        return None, None
    if "," in full:
        surname, _, forename = full.partition(",")
        return text(forename), text(surname)
    words = full.split()
    if len(words) == 1:
        return None, text(words[0])
    return text(words[0]), text(words[-1])


def email(value: str | None) -> str | None:
    """The address inside a 'Name <address>' form, lowercased."""
    if value is None:
        return None
    found = EMAIL.search(value)
    return found.group(0).lower() if found else None


def phone(value: str | None) -> str | None:
    """The last ten digits, so a country code or its absence does not matter; None under seven."""
    if value is None:
        return None
    digits = re.sub(r"\D", "", value)
    return digits[-10:] if len(digits) >= 7 else None


def postcode(code: str | None, full_address: str | None) -> str | None:
    """The postal code field, or a five-digit (ZIP or ZIP+4) code found in a one-field address."""
    if code is not None:
        return text(code)
    if full_address is None:
        return None
    found = FIVE_DIGITS.findall(full_address)
    return found[-1] if found else None


def identifier(value: str | None) -> str | None:
    """Letters and digits only, upper case: '294-66-9999' and '294669999' are one number."""
    if value is None:
        return None
    cleaned = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    return cleaned or None
