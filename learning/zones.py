"""Time zones a visitor can pick, named in the page language, grouped by ILO region.

A short list of the cities participants come from (IANA names underneath): a visitor chooses
"Doha" or "Nairobi", not "Asia/Qatar" typed by hand. Any other valid IANA name in the URL (a
shared link, the browser's own zone) is still accepted.
"""

from django.utils.translation import gettext_lazy as _

ZONE_GROUPS = [
    (
        _("Africa"),
        [
            ("Africa/Abidjan", _("Abidjan")),
            ("Africa/Addis_Ababa", _("Addis Ababa")),
            ("Africa/Algiers", _("Algiers")),
            ("Africa/Cairo", _("Cairo")),
            ("Africa/Casablanca", _("Casablanca")),
            ("Africa/Dakar", _("Dakar")),
            ("Africa/Johannesburg", _("Johannesburg, Pretoria")),
            ("Africa/Kinshasa", _("Kinshasa")),
            ("Africa/Lagos", _("Lagos, Abuja")),
            ("Africa/Nairobi", _("Nairobi")),
            ("Africa/Tunis", _("Tunis")),
        ],
    ),
    (
        _("Americas"),
        [
            ("America/Argentina/Buenos_Aires", _("Buenos Aires")),
            ("America/Bogota", _("Bogotá")),
            ("America/Lima", _("Lima")),
            ("America/Los_Angeles", _("Los Angeles")),
            ("America/Mexico_City", _("Mexico City")),
            ("America/New_York", _("New York, Washington")),
            ("America/Santiago", _("Santiago")),
            ("America/Sao_Paulo", _("São Paulo, Brasília")),
            ("America/Tegucigalpa", _("Tegucigalpa")),
            ("America/Toronto", _("Toronto, Ottawa")),
        ],
    ),
    (
        _("Arab States"),
        [
            ("Asia/Amman", _("Amman")),
            ("Asia/Baghdad", _("Baghdad")),
            ("Asia/Bahrain", _("Manama")),
            ("Asia/Beirut", _("Beirut")),
            ("Asia/Damascus", _("Damascus")),
            ("Asia/Dubai", _("Abu Dhabi, Dubai")),
            ("Asia/Hebron", _("Jerusalem, Ramallah")),
            ("Asia/Kuwait", _("Kuwait")),
            ("Asia/Muscat", _("Muscat")),
            ("Asia/Qatar", _("Doha")),
            ("Asia/Riyadh", _("Riyadh")),
        ],
    ),
    (
        _("Asia and the Pacific"),
        [
            ("Asia/Bangkok", _("Bangkok")),
            ("Asia/Dhaka", _("Dhaka")),
            ("Asia/Jakarta", _("Jakarta")),
            ("Asia/Karachi", _("Islamabad, Karachi")),
            ("Asia/Kolkata", _("New Delhi")),
            ("Asia/Manila", _("Manila")),
            ("Asia/Shanghai", _("Beijing")),
            ("Asia/Tokyo", _("Tokyo")),
            ("Australia/Sydney", _("Sydney")),
            ("Pacific/Fiji", _("Suva")),
        ],
    ),
    (
        _("Europe and Central Asia"),
        [
            ("Asia/Almaty", _("Almaty")),
            ("Asia/Tashkent", _("Tashkent")),
            ("Europe/Berlin", _("Berlin")),
            ("Europe/Chisinau", _("Chișinău")),
            ("Europe/Istanbul", _("Ankara, Istanbul")),
            ("Europe/London", _("London")),
            ("Europe/Moscow", _("Moscow")),
            ("Europe/Paris", _("Paris, Brussels")),
            ("Europe/Rome", _("Rome, Turin")),
            ("Europe/Zurich", _("Geneva")),
        ],
    ),
    (_("Universal time"), [("UTC", _("Coordinated Universal Time (UTC)"))]),
]

ZONE_NAMES = {zone: name for _group, zones in ZONE_GROUPS for zone, name in zones}


def zone_label(zone: str) -> str:
    """A zone's name in the page language ("Doha" for Asia/Qatar), its IANA name otherwise."""
    name = ZONE_NAMES.get(zone)
    return str(name) if name else zone
