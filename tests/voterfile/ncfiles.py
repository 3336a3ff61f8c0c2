"""Write small files shaped as NCSBE publishes them: tab-separated, every value in double
quotes, CRLF line ends, a header row in the layout of the year.

    write_ncvoter(path, [voter(1), voter(2, party_cd="REP")], columns=COLUMNS_2018)

The column lists are NCSBE's layout_ncvoter.txt: 67 columns since 2020, 71 from 2012 to 2019
(midl_name, name_sufx_cd, birth_age, absent_ind, name_prefx_cd, dist_2).
"""

from pathlib import Path

COLUMNS_CURRENT = (
    "county_id",
    "county_desc",
    "voter_reg_num",
    "ncid",
    "last_name",
    "first_name",
    "middle_name",
    "name_suffix_lbl",
    "status_cd",
    "voter_status_desc",
    "reason_cd",
    "voter_status_reason_desc",
    "res_street_address",
    "res_city_desc",
    "state_cd",
    "zip_code",
    "mail_addr1",
    "mail_addr2",
    "mail_addr3",
    "mail_addr4",
    "mail_city",
    "mail_state",
    "mail_zipcode",
    "full_phone_number",
    "confidential_ind",
    "registr_dt",
    "race_code",
    "ethnic_code",
    "party_cd",
    "gender_code",
    "birth_year",
    "age_at_year_end",
    "birth_state",
    "drivers_lic",
    "precinct_abbrv",
    "precinct_desc",
    "municipality_abbrv",
    "municipality_desc",
    "ward_abbrv",
    "ward_desc",
    "cong_dist_abbrv",
    "super_court_abbrv",
    "judic_dist_abbrv",
    "nc_senate_abbrv",
    "nc_house_abbrv",
    "county_commiss_abbrv",
    "county_commiss_desc",
    "township_abbrv",
    "township_desc",
    "school_dist_abbrv",
    "school_dist_desc",
    "fire_dist_abbrv",
    "fire_dist_desc",
    "water_dist_abbrv",
    "water_dist_desc",
    "sewer_dist_abbrv",
    "sewer_dist_desc",
    "sanit_dist_abbrv",
    "sanit_dist_desc",
    "rescue_dist_abbrv",
    "rescue_dist_desc",
    "munic_dist_abbrv",
    "munic_dist_desc",
    "dist_1_abbrv",
    "dist_1_desc",
    "vtd_abbrv",
    "vtd_desc",
)
COLUMNS_2018 = (
    "county_id",
    "county_desc",
    "voter_reg_num",
    "status_cd",
    "voter_status_desc",
    "reason_cd",
    "voter_status_reason_desc",
    "absent_ind",
    "name_prefx_cd",
    "last_name",
    "first_name",
    "midl_name",
    "name_sufx_cd",
    "res_street_address",
    "res_city_desc",
    "state_cd",
    "zip_code",
    "mail_addr1",
    "mail_addr2",
    "mail_addr3",
    "mail_addr4",
    "mail_city",
    "mail_state",
    "mail_zipcode",
    "full_phone_number",
    "race_code",
    "ethnic_code",
    "party_cd",
    "gender_code",
    "birth_age",
    "birth_state",
    "drivers_lic",
    "registr_dt",
    "precinct_abbrv",
    "precinct_desc",
    "municipality_abbrv",
    "municipality_desc",
    "ward_abbrv",
    "ward_desc",
    "cong_dist_abbrv",
    "super_court_abbrv",
    "judic_dist_abbrv",
    "nc_senate_abbrv",
    "nc_house_abbrv",
    "county_commiss_abbrv",
    "county_commiss_desc",
    "township_abbrv",
    "township_desc",
    "school_dist_abbrv",
    "school_dist_desc",
    "fire_dist_abbrv",
    "fire_dist_desc",
    "water_dist_abbrv",
    "water_dist_desc",
    "sewer_dist_abbrv",
    "sewer_dist_desc",
    "sanit_dist_abbrv",
    "sanit_dist_desc",
    "rescue_dist_abbrv",
    "rescue_dist_desc",
    "munic_dist_abbrv",
    "munic_dist_desc",
    "dist_1_abbrv",
    "dist_1_desc",
    "dist_2_abbrv",
    "dist_2_desc",
    "confidential_ind",
    "birth_year",
    "ncid",
    "vtd_abbrv",
    "vtd_desc",
)
HISTORY_COLUMNS = (
    "county_id",
    "county_desc",
    "voter_reg_num",
    "election_lbl",
    "election_desc",
    "voting_method",
    "voted_party_cd",
    "voted_party_desc",
    "pct_label",
    "pct_description",
    "ncid",
    "voted_county_id",
    "voted_county_desc",
    "vtd_label",
    "vtd_description",
)
FIRST_NAMES = ("MARIA", "JAMES", "AISHA", "CHEN", "LUIS", "GRACE", "OMAR", "RUTH")
LAST_NAMES = ("ALVAREZ", "BROWN", "OKAFOR", "NGUYEN", "SMITH", "PATEL", "JONES", "KIM")


def voter(n: int, **values: str) -> dict[str, str]:
    """Return the registration of voter *n* in Wake County; *values* override columns."""
    row = {
        "county_id": "92",
        "county_desc": "WAKE",
        "voter_reg_num": f"{n:012d}",
        "ncid": f"BN{n:06d}",
        "last_name": LAST_NAMES[n % 8],
        "first_name": FIRST_NAMES[n % 8],
        "middle_name": "LEE",
        "midl_name": "LEE",
        "name_suffix_lbl": "",
        "name_sufx_cd": "",
        "status_cd": "A",
        "voter_status_desc": "ACTIVE",
        "reason_cd": "AV",
        "voter_status_reason_desc": "VERIFIED",
        "res_street_address": f"{n} OAK ST",
        "res_city_desc": "RALEIGH",
        "state_cd": "NC",
        "zip_code": "27610",
        "confidential_ind": "N",
        "registr_dt": "03/15/2012",
        "race_code": "W",
        "ethnic_code": "NL",
        "party_cd": ("DEM", "REP", "UNA")[n % 3],
        "gender_code": "F",
        "birth_year": str(1950 + n % 50),
        "birth_age": str(74 - n % 50),
        "precinct_abbrv": f"01-0{n % 3 + 1}",
        "precinct_desc": f"PRE-01-0{n % 3 + 1}",
        "municipality_abbrv": "RAL",
        "municipality_desc": "RALEIGH",
        "ward_abbrv": "W1",
        "ward_desc": "WARD 1",
        "cong_dist_abbrv": "2",
        "super_court_abbrv": "10A",
        "judic_dist_abbrv": "10",
        "nc_senate_abbrv": "15",
        "nc_house_abbrv": "34",
        "county_commiss_abbrv": f"D{n % 2 + 1}",
        "county_commiss_desc": f"DISTRICT {n % 2 + 1}",
        "township_abbrv": "RAL",
        "township_desc": "RALEIGH TOWNSHIP",
        "school_dist_abbrv": "SB3",
        "school_dist_desc": "SCHOOL BOARD DISTRICT 3",
        "fire_dist_abbrv": "",
        "vtd_abbrv": f"01-0{n % 3 + 1}",
    }
    row.update(values)
    return row


def history_row(
    n: int, date: str, desc: str, method: str = "IN-PERSON", party: str = "DEM"
) -> dict[str, str]:
    """Return one ncvhis row: voter *n* voted in the election of *date* ("11/08/2022")."""
    return {
        "county_id": "92",
        "county_desc": "WAKE",
        "voter_reg_num": f"{n:012d}",
        "election_lbl": date,
        "election_desc": f"{date} {desc}",
        "voting_method": method,
        "voted_party_cd": party,
        "ncid": f"BN{n:06d}",
        "voted_county_id": "92",
    }


def lines(rows: list[dict[str, str]], columns: tuple[str, ...]) -> bytes:
    """Return *rows* as NCSBE writes them, header first."""
    text = [_line(columns)] + [_line(row.get(column, "") for column in columns) for row in rows]
    return "".join(text).encode("utf-8")


def write_ncvoter(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS_CURRENT
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(lines(rows, columns))
    return path


def write_ncvhis(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(lines(rows, HISTORY_COLUMNS))
    return path


def _line(values) -> str:
    return "\t".join(f'"{value}"' for value in values) + "\r\n"
