"""Printable walk lists (PDF) and phone lists (CSV) of a turf.

    walk_list_pdf(turf, rows) -> bytes     a page per ~28 doors: the support scale and the
                                           script, street headings, odd and even sides, each
                                           voter with boxes to tick at the door
    phone_list_csv(turf) -> str            one row per voter with a phone number

Exports of personal data: the views that serve them record each one in the audit log. Both
take *withheld*, the members (person ids) whose affiliates withhold their contact details from
the reader (`coalition.visibility.withheld_contact_people`): their phone is left out and they
are not marked as members, since "member" beside a door says where a member lives.
"""

import csv
import io

from fpdf import FPDF

from powerbase.field.models import Door, Turf

RESULT_BOXES = "[ ] Not home  [ ] Refused  [ ] Talked  [ ] Moved    Support 1 2 3 4 5"
PHONE_COLUMNS = ["turf", "door", "address", "name", "age", "party", "phone", "member", "voter_id"]


def _latin1(text: str) -> str:
    """The PDF core fonts speak Latin-1: keep accents, replace what they cannot show."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def member_ids(turf: Turf) -> set[int]:
    """Return the person ids of the members among *turf*'s voters."""
    return {
        voter["person_id"]
        for door in Door.objects.filter(turf=turf)
        for voter in door.voters
        if voter.get("person_id")
    }


def _is_shown_member(voter: dict, withheld) -> bool:
    return bool(voter.get("person_id")) and voter["person_id"] not in withheld


def walk_list_pdf(turf: Turf, rows: list, withheld=frozenset()) -> bytes:
    """Return *turf*'s walk list as a PDF, doors in walking order, with each door's latest
    result so a second pass skips doors already reached."""
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(f"Walk list: {turf}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(
        0, 8, _latin1(f"{turf.universe.name} - Turf {turf.number}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(
        0,
        6,
        _latin1(
            f"{turf.name}  |  {turf.door_count} doors, {turf.voter_count} "
            f"voters  |  goal {turf.goal} doors"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _scale_and_script(pdf, turf.universe)
    heading = None
    for row in rows:
        door: Door = row.door
        side = door.get_side_display() if door.side else "No house number"
        if (door.street, door.side) != heading:
            heading = (door.street, door.side)
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(
                0,
                7,
                _latin1(f"{door.street.title() or 'Other'} - {side}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        latest = ""
        if row.latest:
            scored = f", {row.support_label}" if row.support_label else ""
            latest = f"  (last: {row.latest.get_result_display()}{scored})"
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(
            0,
            6,
            _latin1(f"{door.position}. {door.address.title()}{latest}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", "", 9)
        for voter in door.voters:
            member = "  MEMBER" if _is_shown_member(voter, withheld) else ""
            pdf.cell(
                0,
                5,
                _latin1(
                    f"     {voter['name']}, {voter['age'] or '?'}, "
                    f"{voter['party'] or 'no party'}{member}"
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.cell(0, 5, "     " + RESULT_BOXES, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _scale_and_script(pdf: FPDF, universe) -> None:
    """Print the support scale's labels (the boxes carry only numbers) and the script."""
    pdf.set_font("Helvetica", "", 9)
    scale = ", ".join(f"{score} {label}" for score, label in universe.support_scale)
    pdf.multi_cell(0, 5, _latin1(f"Support: {scale}"), new_x="LMARGIN", new_y="NEXT")
    if universe.script:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Script", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 5, _latin1(universe.script), new_x="LMARGIN", new_y="NEXT")


def phone_list_csv(turf: Turf, withheld=frozenset()) -> str:
    """Return one CSV row per voter of *turf* with a phone number, in walking order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PHONE_COLUMNS)
    for door in Door.objects.filter(turf=turf).order_by("position"):
        for voter in door.voters:
            if voter.get("phone") and voter.get("person_id") not in withheld:
                writer.writerow(
                    [
                        turf.number,
                        door.position,
                        door.address.title(),
                        voter["name"],
                        voter["age"],
                        voter["party"],
                        voter["phone"],
                        "yes" if _is_shown_member(voter, withheld) else "",
                        voter["voter_id"],
                    ]
                )
    return out.getvalue()
