"""Read Open States' public formats into plain records, with errors that name file and field.

- People: one YAML file per legislator (github.com/openstates/people, `data/<state>/legislature/`).
- Vote events: the JSON of an Open States vote event, as the scrapers write it and as API v3
  returns it (one object, or a list of them).

Nothing here touches the database; `services` writes what these functions return.
"""

import json
from dataclasses import dataclass, field
from datetime import date

import yaml

from powerbase.core.exceptions import InvalidInput
from powerbase.core.us_states import USState
from powerbase.legislature.models import Chamber, VoteOption

CHAMBER_OF_ROLE = {
    "upper": Chamber.UPPER,
    "lower": Chamber.LOWER,
    "legislature": Chamber.UPPER,
    "mayor": Chamber.EXECUTIVE,
    "governor": Chamber.EXECUTIVE,
}
OFFICE_OF_ROLE = {
    "upper": "State Senator",
    "lower": "State Representative",
    "legislature": "Legislator",
    "mayor": "Mayor",
    "governor": "Governor",
}
OPTION_OF_OPENSTATES = {
    "yes": VoteOption.YES,
    "no": VoteOption.NO,
    "absent": VoteOption.ABSENT,
    "not voting": VoteOption.ABSENT,
    "abstain": VoteOption.ABSTAIN,
    "excused": VoteOption.EXCUSED,
    "paired": VoteOption.OTHER,
    "other": VoteOption.OTHER,
}


@dataclass
class PersonRecord:
    """What an Open States person file says about a legislator, in our fields."""

    openstates_id: str
    name: str
    given_name: str = ""
    family_name: str = ""
    office: str = ""
    chamber: str = Chamber.LOWER
    jurisdiction: str = ""
    district_code: str = ""
    party: str = ""
    term_starts: date | None = None
    term_ends: date | None = None
    email: str = ""
    phone: str = ""
    office_address: str = ""
    photo_url: str = ""
    links: list = field(default_factory=list)
    identifiers: dict = field(default_factory=dict)
    is_current: bool = True


def read_person(file_name: str, text: str, *, today: date | None = None) -> PersonRecord:
    """Return the legislator described by one Open States person YAML file."""
    today = today or date.today()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput(
            f"{file_name}: this is not readable YAML ({_first_line(error)})."
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{file_name}: expected an Open States person (a mapping with id, "
            "name and roles), found something else."
        )
    person_id = _text(data.get("id"))
    if not person_id.startswith("ocd-person/"):
        raise InvalidInput(
            f"{file_name}, field 'id': expected 'ocd-person/<uuid>', found {person_id!r}."
        )
    name = _text(data.get("name"))
    if not name:
        raise InvalidInput(f"{file_name}, field 'name': every person needs a name.")
    role = _current_role(file_name, data.get("roles"), today)
    role_type = _text(role.get("type"))
    capitol = _office(_dicts(data.get("offices")))
    identifiers = {
        _text(item.get("scheme")): _text(item.get("identifier"))
        for item in _dicts(data.get("other_identifiers"))
    }
    ids = data.get("ids")
    identifiers.update(
        {_text(key): _text(value) for key, value in (ids.items() if isinstance(ids, dict) else [])}
    )
    return PersonRecord(
        openstates_id=person_id,
        name=name,
        given_name=_text(data.get("given_name")),
        family_name=_text(data.get("family_name")),
        office=OFFICE_OF_ROLE.get(role_type, role_type.replace("_", " ").title()),
        chamber=CHAMBER_OF_ROLE.get(role_type, Chamber.OTHER),
        jurisdiction=_jurisdiction(_text(role.get("jurisdiction"))),
        district_code=_text(role.get("district")),
        party=_party(_dicts(data.get("party")), today),
        term_starts=_date(file_name, "roles.start_date", role.get("start_date")),
        term_ends=_date(file_name, "roles.end_date", role.get("end_date")),
        email=_text(data.get("email")),
        phone=_text(capitol.get("voice")),
        office_address=_text(capitol.get("address"))[:300],
        photo_url=_text(data.get("image"))[:500],
        links=[_text(link.get("url")) for link in _dicts(data.get("links")) if link.get("url")],
        identifiers={key: value for key, value in identifiers.items() if key and value},
        is_current=_is_current(role, today),
    )


def _dicts(value) -> list[dict]:
    """Return the mappings in a YAML list (anything else in a list field is ignored)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _current_role(file_name: str, roles, today: date) -> dict:
    """Return the role held today, or the most recent one."""
    roles = _dicts(roles)
    if not roles:
        raise InvalidInput(
            f"{file_name}, field 'roles': expected a list of the offices held, found none."
        )
    current = [role for role in roles if _is_current(role, today)]
    pool = current or roles
    return max(pool, key=lambda role: str(role.get("start_date") or ""))


def _is_current(role: dict, today: date) -> bool:
    ends = role.get("end_date")
    return not ends or str(ends) >= today.isoformat()


def _party(parties: list, today: date) -> str:
    """Join the current party lines; a fusion line 'Democratic/Working Families' stays whole."""
    current = [
        item
        for item in parties
        if not item.get("end_date") or str(item["end_date"]) >= today.isoformat()
    ]
    lines: list[str] = []
    for item in current or parties[-1:]:
        for line in _text(item.get("name")).split("/"):
            if line.strip() and line.strip() not in lines:
                lines.append(line.strip())
    return "/".join(lines)


def _office(offices: list[dict]) -> dict:
    """Return the capitol office, or the first office listed."""
    for office in offices:
        if office.get("classification") == "capitol":
            return office
    return offices[0] if offices else {}


def _jurisdiction(ocd_id: str) -> str:
    """'ocd-jurisdiction/country:us/state:ct/government' -> 'Connecticut'."""
    for part in ocd_id.split("/"):
        if part.startswith("state:"):
            code = part.removeprefix("state:").upper()
            return USState(code).label if code in USState.values else code
        if part.startswith("place:"):
            return part.removeprefix("place:").replace("_", " ").title()
    return ""


@dataclass
class VoteRecord:
    """One official's vote as the source names them."""

    option: str
    voter_name: str
    voter_id: str = ""
    where: str = ""


@dataclass
class VoteEventRecord:
    """A roll call as an Open States vote event describes it."""

    external_id: str
    motion: str
    date: date
    result: str
    chamber: str
    session: str = ""
    bill_identifier: str = ""
    votes: list[VoteRecord] = field(default_factory=list)


def read_vote_events(file_name: str, text: str) -> list[VoteEventRecord]:
    """Return the vote events in an Open States vote-event JSON file (one object or a list)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{file_name}: this is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    events = (
        data
        if isinstance(data, list)
        else data.get("results", [data])
        if isinstance(data, dict)
        else None
    )
    if not isinstance(events, list) or not events:
        raise InvalidInput(f"{file_name}: expected a vote event object or a list of them.")
    return [
        _vote_event(f"{file_name}, vote event {n}", event)
        for n, event in enumerate(events, start=1)
    ]


def _vote_event(where: str, event) -> VoteEventRecord:
    if not isinstance(event, dict):
        raise InvalidInput(
            f"{where}: expected an object with motion_text, start_date, result and votes."
        )
    motion = _text(event.get("motion_text"))
    if not motion:
        raise InvalidInput(f"{where}, field 'motion_text': every vote event needs its motion.")
    result = _text(event.get("result")).lower()
    if result not in ("pass", "fail"):
        raise InvalidInput(f"{where}, field 'result': expected 'pass' or 'fail', found {result!r}.")
    organization = _pseudo(event.get("organization"))
    chamber = CHAMBER_OF_ROLE.get(_text(organization.get("classification")))
    if chamber is None:
        raise InvalidInput(
            f"{where}, field 'organization': expected the chamber's "
            "classification (upper or lower)."
        )
    bill = _pseudo(event.get("bill"))
    votes = []
    for n, vote in enumerate(event.get("votes") or [], start=1):
        votes.append(_vote(f"{where}, votes[{n}]", vote))
    if not votes:
        raise InvalidInput(f"{where}, field 'votes': the event lists nobody's vote.")
    return VoteEventRecord(
        external_id=_text(event.get("id") or event.get("identifier") or event.get("_id")),
        motion=motion[:500],
        result=result,
        chamber=chamber,
        date=_required_date(where, "start_date", str(event.get("start_date") or "")[:10]),
        session=_text(
            event.get("legislative_session")
            or _pseudo(event.get("legislative_session")).get("identifier")
        ),
        bill_identifier=_text(bill.get("identifier") or event.get("bill_identifier")),
        votes=votes,
    )


def _vote(where: str, vote) -> VoteRecord:
    if not isinstance(vote, dict):
        raise InvalidInput(f"{where}: expected an object with option and voter_name.")
    option = OPTION_OF_OPENSTATES.get(_text(vote.get("option")).lower())
    if option is None:
        raise InvalidInput(
            f"{where}, field 'option': expected one of "
            f"{', '.join(OPTION_OF_OPENSTATES)}, found {vote.get('option')!r}."
        )
    voter = _pseudo(vote.get("voter"))
    name = _text(vote.get("voter_name") or voter.get("name"))
    voter_id = _text(vote.get("voter_id") or voter.get("id"))
    if not name and not voter_id:
        raise InvalidInput(f"{where}, field 'voter_name': the vote does not say whose it is.")
    return VoteRecord(option=option, voter_name=name, voter_id=voter_id, where=where)


def _pseudo(value) -> dict:
    """Read a related object: a dict, or a scraper's pseudo-id '~{"classification": "upper"}'."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.startswith("~{"):
        try:
            found = json.loads(value[1:])
        except json.JSONDecodeError:
            return {}
        return found if isinstance(found, dict) else {}
    return {}


def _required_date(where: str, field_name: str, value) -> date:
    found = _date(where, field_name, value)
    if found is None:
        raise InvalidInput(f"{where}, field '{field_name}': a date is required (YYYY-MM-DD).")
    return found


def _date(where: str, field_name: str, value) -> date | None:
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidInput(
            f"{where}, field '{field_name}': expected a date like 2027-03-14, found {value!r}."
        ) from None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


@dataclass
class BillRecord:
    """A bill as Open States describes it, with its actions and any roll calls."""

    identifier: str
    title: str
    session: str
    jurisdiction: str = ""
    actions: list[tuple[date, str, str]] = field(default_factory=list)  # date, what, chamber
    votes: list[VoteEventRecord] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.actions[-1][1][:200] if self.actions else ""


def read_bills(file_name: str, text: str) -> list[BillRecord]:
    """Return the bills in Open States bill JSON: one bill, a list, or an API page
    ({"results": [...]}), with `actions` and, when included, `votes`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{file_name}: this is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    bills = (
        data
        if isinstance(data, list)
        else data.get("results", [data])
        if isinstance(data, dict)
        else None
    )
    if not isinstance(bills, list) or not bills:
        raise InvalidInput(f"{file_name}: expected an Open States bill or a list of them.")
    return [_bill(f"{file_name}, bill {n}", bill) for n, bill in enumerate(bills, start=1)]


def _bill(where: str, bill) -> BillRecord:
    if not isinstance(bill, dict):
        raise InvalidInput(f"{where}: expected an object with identifier, title and session.")
    identifier = " ".join(_text(bill.get("identifier")).split())
    session = _text(bill.get("legislative_session") or bill.get("session"))
    if not identifier or not session:
        raise InvalidInput(
            f"{where}, field 'identifier': a bill needs its identifier and "
            "session (legislative_session)."
        )
    jurisdiction = _pseudo(bill.get("jurisdiction"))
    actions = []
    for n, action in enumerate(_dicts(bill.get("actions")), start=1):
        organization = _pseudo(action.get("organization"))
        actions.append(
            (
                _required_date(
                    f"{where}, actions[{n}]", "date", str(action.get("date") or "")[:10]
                ),
                _text(action.get("description"))[:500] or "(no description)",
                CHAMBER_OF_ROLE.get(_text(organization.get("classification")), ""),
            )
        )
    actions.sort(key=lambda action: action[0])
    votes = []
    for n, event in enumerate(_dicts(bill.get("votes")), start=1):
        record = _vote_event(f"{where}, votes[{n}]", event)
        record.bill_identifier, record.session = identifier, record.session or session
        votes.append(record)
    return BillRecord(
        identifier=identifier,
        title=_text(bill.get("title"))[:500] or identifier,
        session=session,
        jurisdiction=_text(jurisdiction.get("name")),
        actions=actions,
        votes=votes,
    )
