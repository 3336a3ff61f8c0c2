"""How realistic the synthetic member and voter lists of bench/linkage_quality.py are.

    python bench/linkage_generator_audit.py [--voters 500000] [--members 10000] [--seed 7]
    python bench/linkage_generator_audit.py --census DIR   # also against 1990 Census names

No linking: it builds the same lists as bench/linkage_quality.py (same seed, same sizes) and
counts, for the hard kinds (registered members who moved or changed surname), which fields
the member row still shares exactly with their voter record, against every registered
member; and how often voters share a name (namesakes). With `--census DIR` (a directory
holding the Census Bureau's 1990 name files dist.all.last, dist.female.first and
dist.male.first, as shipped by the `names` package on PyPI; not a dependency) the same
voters are renamed from those frequencies, households keeping one surname, to compare the
namesake counts with what real name frequencies give.
"""

import argparse
import bisect
import random
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from powerbase.identity.linkage.synthetic import (
    LOCAL_MOVES,
    ErrorRates,
    create_population,
    draw_members,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=500_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--movers", choices=("uniform", "local"), default="uniform")
    parser.add_argument("--census", type=Path, help="directory with the 1990 Census name files")
    parser.add_argument(
        "--surnames",
        choices=("original", "census"),
        default="original",
        help="surnames of the original lists, or drawn as often as Americans hold them",
    )
    args = parser.parse_args()
    rates = LOCAL_MOVES if args.movers == "local" else ErrorRates()
    with tempfile.TemporaryDirectory(prefix="linkage-audit-") as directory:
        con = duckdb.connect(str(Path(directory) / "lists.duckdb"))
        create_population(
            con, voters=args.voters, seed=args.seed, census_surnames=args.surnames == "census"
        )
        members, truth = draw_members(con, members=args.members, seed=args.seed, rates=rates)
        con.register("member_rows", members)
        con.register("truth_rows", truth)
        con.execute("CREATE TABLE voters AS SELECT * FROM synthetic_voters")
        report_shared_fields(con)
        report_namesakes(con, f"synthetic names, {args.surnames} surnames")
        if args.census:
            rename_from_census(con, args.census, seed=args.seed)
            report_namesakes(con, "1990 Census name frequencies")


def report_shared_fields(con) -> None:
    """Per kind, the share of registered members whose row agrees exactly on each field."""
    con.execute("""CREATE TEMP TABLE pairs AS
        SELECT t.member_id, t.moved, t.surname_changed,
            lower(m."First Name") = lower(v.first_name) AS first,
            lower(m."Last Name") = lower(v.last_name) AS last,
            m."Date of Birth" IS NULL AS date_missing,
            CAST(coalesce(try_strptime(m."Date of Birth", '%m/%d/%Y'),
                          try_strptime(m."Date of Birth", '%Y-%m-%d')) AS DATE)
                = CAST(v.birth_date AS DATE) AS date,
            lpad(m."Zip Code", 5, '0') = v.zip_code AS zip,
            lpad(m."Zip Code", 5, '0') = v.zip_code
                AND lower(split_part(m."Street Address", ' ', 1) || ' '
                          || split_part(m."Street Address", ' ', 2))
                    = lower(split_part(v.res_street_address, ' ', 1) || ' '
                            || split_part(v.res_street_address, ' ', 2)) AS address,
            m."Mobile" IS NULL AS phone_missing,
            right(regexp_replace(coalesce(m."Mobile", ''), '[^0-9]', '', 'g'), 10)
                = v.phone AS phone,
            v.phone IS NULL AS voter_phone_missing,
            m."Email" IS NULL AS email_missing,
            lower(m."Email") = lower(v.email) AS email,
            v.email IS NULL AS voter_email_missing
        FROM truth_rows AS t JOIN member_rows AS m ON m."Member ID" = t.member_id
        JOIN voters AS v ON v.voter_id = t.voter_id""")
    fields = [
        "first",
        "last",
        "date_missing",
        "date",
        "zip",
        "address",
        "phone_missing",
        "phone",
        "voter_phone_missing",
        "email_missing",
        "email",
        "voter_email_missing",
    ]
    kinds = {
        "all registered": "true",
        "moved": "moved",
        "not moved": "NOT moved",
        "changed surname": "surname_changed",
        "neither": "NOT moved AND NOT surname_changed",
    }
    print("Registered members: share whose row agrees exactly with their voter record")
    print(f"{'':18}{'n':>6}" + "".join(f"{name[:9]:>10}" for name in fields))
    for label, where in kinds.items():
        row = con.execute(
            f"SELECT count(*), {', '.join(f'avg(coalesce({f}, false)::INT)' for f in fields)} "
            f"FROM pairs WHERE {where}"  # noqa: S608 - our own column names
        ).fetchone()
        print(f"{label:18}{row[0]:>6,}" + "".join(f"{value:>10.3f}" for value in row[1:]))
    print("\nWhat a registered member still shares, beyond the first name (exact):")
    shares = """CASE WHEN coalesce(phone, false) OR coalesce(email, false) THEN 'phone or email'
        WHEN coalesce(address, false) THEN 'address'
        ELSE concat_ws('+', CASE WHEN first THEN 'first' END, CASE WHEN last THEN 'last' END,
                       CASE WHEN coalesce(date, false) THEN 'date' END,
                       CASE WHEN coalesce(zip, false) THEN 'zip' END) END"""
    for label, where in kinds.items():
        if label in ("all registered", "not moved"):
            continue
        rows = con.execute(
            f"SELECT {shares} AS s, count(*) FROM pairs WHERE {where} "  # noqa: S608
            "GROUP BY s ORDER BY count(*) DESC"
        ).fetchall()
        print(f"  {label}: " + "; ".join(f"{count} {group or 'nothing'}" for group, count in rows))
    print()


def report_namesakes(con, label: str) -> None:
    """How many voters share their name (and name + birth date, ...) with another voter."""
    total = con.execute("SELECT count(*) FROM voters").fetchone()[0]
    keys = {
        "first + last": "first_name, last_name",
        "first + last + birth year": "first_name, last_name, year(CAST(birth_date AS DATE))",
        "first + last + birth date": "first_name, last_name, birth_date",
        "first + birth date": "first_name, birth_date",
        "first + last + zip": "first_name, last_name, zip_code",
    }
    print(f"Voters ({total:,}), {label}: share whose ... another voter also has")
    for name, key in keys.items():
        shared = con.execute(
            f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM voters "  # noqa: S608
            f"GROUP BY {key} HAVING count(*) > 1)"
        ).fetchone()[0]
        print(f"  {name:28}{shared:>9,}  {shared / total:.4f}")
    top = con.execute(
        "SELECT last_name, count(*) FROM voters GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    names = con.execute(
        "SELECT count(DISTINCT last_name), count(DISTINCT first_name) FROM voters"
    ).fetchone()
    single = con.execute(
        "SELECT count(*) FROM (SELECT last_name FROM voters GROUP BY 1 HAVING count(*) = 1)"
    ).fetchone()[0]
    print(
        f"  commonest surname {top[0]} {top[1]:,} ({top[1] / total:.4f}); "
        f"{names[0]:,} surnames ({single:,} held by one voter), {names[1]:,} first names\n"
    )


def _census(path: Path) -> tuple[list[str], list[float]]:
    """Names and cumulative shares (percent) from a Census dist.* file."""
    names, cumulative = [], []
    for line in path.read_text().splitlines():
        parts = line.split()
        names.append(parts[0])
        cumulative.append(float(parts[2]))
    return names, cumulative


def rename_from_census(con, directory: Path, *, seed: int) -> None:
    """Give every voter a first name (by sex) and household surname from Census frequencies.

    A draw past the files' coverage (about 10% of people: names rarer than 1 in 200,000)
    gets a name of its own, which slightly understates how often rare names repeat.
    """
    rng = random.Random(seed)
    tables = {
        kind: _census(directory / f"dist.{kind}")
        for kind in ("all.last", "female.first", "male.first")
    }

    def draw(kind: str, unique: str) -> str:
        names, cumulative = tables[kind]
        at = rng.random() * 100
        index = bisect.bisect_left(cumulative, at)
        return names[index] if index < len(names) else f"{unique}{rng.getrandbits(40)}"

    people = con.execute("""SELECT p.person_id, p.household_id, p.female, p.position,
            p.last_name = h.surname AS household_surname
        FROM synthetic_people AS p JOIN synthetic_households AS h USING (household_id)
        WHERE p.registered""").fetchall()
    surnames: dict[int, str] = {}
    rows = []
    for person_id, household, female, _position, household_surname in people:
        if household_surname:
            surname = surnames.setdefault(household, draw("all.last", "RARE"))
        else:
            surname = draw("all.last", "RARE")
        first = draw("female.first" if female else "male.first", "RAREFIRST")
        rows.append((f"V{person_id:09d}", first, surname))
    census_names = pa.table(  # noqa: F841 - read by name in the SQL below
        dict(zip(("voter_id", "first", "last"), map(list, zip(*rows, strict=True)), strict=True))
    )
    con.execute("""CREATE OR REPLACE TABLE voters AS
        SELECT v.* REPLACE (c.first AS first_name, c.last AS last_name)
        FROM voters AS v JOIN census_names AS c USING (voter_id)""")


if __name__ == "__main__":
    main()
