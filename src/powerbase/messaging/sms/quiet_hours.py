"""When a text may reach someone: not at night where they live.

A recipient's time zone comes from their postal address: the state decides it, except in the
states a zone line crosses, where the first three digits of the ZIP code decide (the table
below). The table follows the zone lines at county level only as far as ZIP prefixes do: a few
border counties (Michigan's four Upper Peninsula counties on Central time, Kansas's four on
Mountain, Arizona's Navajo Nation keeping daylight time) get their state's main zone. Someone
with no usable address gets the organization's zone.

Quiet hours are the organization's (default 21:00 to 09:00 local time): a text due inside them
waits until they end in the recipient's zone.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

EASTERN, CENTRAL, MOUNTAIN, PACIFIC = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
)

# Each state's zone, or for a split state the zone most of its people live in.
STATE_ZONES: dict[str, str] = {
    **dict.fromkeys(["CT", "DE", "DC", "GA", "ME", "MD", "MA", "NH", "NJ"], EASTERN),
    **dict.fromkeys(["NY", "NC", "OH", "PA", "RI", "SC", "VT", "VA", "WV"], EASTERN),
    **dict.fromkeys(["AL", "AR", "IL", "IA", "LA", "MN", "MS", "MO", "OK", "WI"], CENTRAL),
    **dict.fromkeys(["CO", "MT", "NM", "UT", "WY"], MOUNTAIN),
    **dict.fromkeys(["CA", "NV", "WA"], PACIFIC),
    # Split states: the main zone here, the other side by ZIP prefix in ZIP3_ZONES.
    "FL": EASTERN,  # the western Panhandle is Central
    "IN": "America/Indiana/Indianapolis",  # the Gary and Evansville corners are Central
    "KY": EASTERN,  # the western half is Central
    "MI": "America/Detroit",  # four Upper Peninsula counties are Central (not split here)
    "TN": CENTRAL,  # East Tennessee is Eastern
    "KS": CENTRAL,  # four western counties are Mountain (not split here)
    "NE": CENTRAL,  # the Panhandle is Mountain
    "ND": CENTRAL,  # the southwest is Mountain
    "SD": CENTRAL,  # the west river country is Mountain
    "TX": CENTRAL,  # El Paso and Hudspeth counties are Mountain
    "ID": "America/Boise",  # the Panhandle is Pacific
    "OR": PACIFIC,  # most of Malheur County is Mountain
    "AZ": "America/Phoenix",  # no daylight time (the Navajo Nation keeps it; not split here)
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
    "VI": "America/St_Thomas",
    "GU": "Pacific/Guam",
    "AS": "Pacific/Pago_Pago",
    "MP": "Pacific/Saipan",
}


def _prefixes(state: str, zone: str, *prefixes: str) -> dict[str, tuple[str, str]]:
    return {prefix: (state, zone) for prefix in prefixes}


# ZIP prefixes on the other side of a zone line from the rest of their state, with that state:
# a prefix counts only with its own state, so a mistyped state and ZIP pair moves nobody.
ZIP3_ZONES: dict[str, tuple[str, str]] = {
    **_prefixes("FL", CENTRAL, "324", "325"),  # Panama City, Pensacola
    **_prefixes("IN", CENTRAL, "463", "464", "476", "477"),  # Gary, Evansville
    **_prefixes("KY", CENTRAL, "420", "421", "422", "423", "424"),  # western Kentucky
    **_prefixes("TN", EASTERN, "373", "374", "376", "377", "378", "379"),  # East Tennessee
    **_prefixes("NE", MOUNTAIN, "693"),  # the Panhandle: Scottsbluff, Alliance
    **_prefixes("ND", MOUNTAIN, "586"),  # the southwest: Dickinson
    **_prefixes("SD", MOUNTAIN, "577"),  # west river: Rapid City
    **_prefixes("TX", MOUNTAIN, "798", "799", "885"),  # El Paso
    **_prefixes("ID", PACIFIC, "835", "838"),  # the Panhandle: Lewiston, Coeur d'Alene
    **_prefixes("OR", "America/Boise", "979"),  # Ontario, Malheur County
}


@dataclass(frozen=True)
class QuietHours:
    """The local hours no text goes out: from `start` until `end` (across midnight if needed)."""

    start: time = time(21, 0)
    end: time = time(9, 0)

    def covers(self, local: time) -> bool:
        """Return whether the local clock time *local* falls inside the quiet hours."""
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


def zone_for(state: str, zip_code: str = "", *, fallback: ZoneInfo) -> ZoneInfo:
    """Return the time zone of an address in *state* with *zip_code*, else *fallback*."""
    state = (state or "").strip().upper()
    prefix = (zip_code or "").strip()[:3]
    split = ZIP3_ZONES.get(prefix)
    if split and split[0] == state:
        return ZoneInfo(split[1])
    name = STATE_ZONES.get(state)
    return ZoneInfo(name) if name else fallback


def next_allowed(now: datetime, zone: ZoneInfo, quiet: QuietHours | None = None) -> datetime:
    """Return *now* if a text may go out now in *zone*, else the moment the quiet hours end.

    *now* must be timezone-aware; the answer is in *zone*.
    """
    if now.tzinfo is None:
        raise ValueError("next_allowed needs a timezone-aware datetime (got a naive one).")
    quiet = quiet or QuietHours()
    local = now.astimezone(zone)
    if not quiet.covers(local.time()):
        return local
    end_day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        end_day += timedelta(days=1)  # evening: the quiet hours end tomorrow morning
    return datetime.combine(end_day, quiet.end, tzinfo=zone)
