"""How records print in one cell: participants as `Name (CODE, Title)` and the CAMEO / PLOVER crosswalk."""

from __future__ import annotations

CAMEO_THIRD_COUNTRY = "044"
CAMEO_MEETING = "040"
CAMEO_CALL = "041"
CAMEO_VISIT = "042"
CAMEO_SIGNED = "057"
PLOVER_CONSULT = "CONSULT"
PLOVER_AGREE = "AGREE"
AGREED_STATUSES = ("signed", "reached", "implemented")


def participant_label(name: str | None, country: str | None, org: str | None, title: str | None) -> str:
    """Return `Name (CODE, Title)`, `Name (CODE)` without a title, `(CODE)` for an unnamed side."""
    code = country or org or ""
    inside = ", ".join(part for part in (code, title if name else None) if part)
    if not name:
        return f"({inside})"
    return f"{name} ({inside})" if inside else name


def third_country(place_country: str | None, countries: set[str] | list[str] | tuple[str, ...]) -> bool:
    """Tell whether a meeting took place in a country none of its sides belongs to."""
    return place_country is not None and len(countries) > 0 and place_country not in countries


def meeting_crosswalk(
    kind: str, place_country: str | None, countries: set[str] | list[str]
) -> tuple[str, str, str]:
    """Return (cameo, plover_event, plover_mode) for a meeting, call or visit."""
    if kind == "call":
        return CAMEO_CALL, PLOVER_CONSULT, "phone"
    if kind == "visit":
        return CAMEO_VISIT, PLOVER_CONSULT, "visit"
    if third_country(place_country, countries):
        return CAMEO_THIRD_COUNTRY, PLOVER_CONSULT, "third-party"
    return CAMEO_MEETING, PLOVER_CONSULT, ""


def agreement_crosswalk(status: str) -> tuple[str, str]:
    """Return (cameo, plover_event) for an agreement: signed → 057; agreed → PLOVER AGREE; else empty."""
    cameo = CAMEO_SIGNED if status == "signed" else ""
    plover = PLOVER_AGREE if status in AGREED_STATUSES else ""
    return cameo, plover
