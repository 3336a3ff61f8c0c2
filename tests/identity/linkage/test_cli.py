"""`powerbase link` and `powerbase dedupe` on small fictional CSV files."""

import csv
from pathlib import Path

from typer.testing import CliRunner

from powerbase.cli.main import app

runner = CliRunner()


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


def rewrite_header(source: Path, target: Path, renames: dict[str, str]) -> Path:
    lines = source.read_text().splitlines(keepends=True)
    header = ",".join(renames.get(name, name) for name in lines[0].strip().split(","))
    target.write_text(header + "\n" + "".join(lines[1:]))
    return target


def test_link_writes_one_link_per_matched_member_with_ids_as_written(fixture_csvs, tmp_path):
    members, voters = fixture_csvs
    out = tmp_path / "links.csv"
    result = runner.invoke(app, ["link", str(members), str(voters), "--out", str(out)])
    assert result.exit_code == 0, result.output
    links = read_csv(out)
    assert list(links[0]) == ["left_id", "right_id", "match_probability"]
    pairs = {(row["left_id"], row["right_id"]) for row in links}
    # Bill is William; Rosalind's day and month are swapped; Marguerite married; José lost
    # his accent. Theodore shares only a household with a voter, Agnieszka is not registered.
    assert {
        ("00017", "NC000101"),
        ("00018", "NC000102"),
        ("00020", "NC000104"),
        ("00021", "NC000105"),
    } <= pairs
    assert not {row["left_id"] for row in links} & {"00019", "00024"}
    assert all(0.95 <= float(row["match_probability"]) <= 1 for row in links)
    assert f"Wrote {len(links)} links to {out}" in " ".join(result.output.split())


def test_link_takes_map_options_for_headers_it_does_not_know(fixture_csvs, tmp_path):
    members, voters = fixture_csvs
    renamed = rewrite_header(
        members, tmp_path / "members.csv", {"Date of Birth": "Born On", "Mobile": "Contact Number"}
    )
    out = tmp_path / "links.csv"
    result = runner.invoke(
        app,
        [
            "link",
            str(renamed),
            str(voters),
            "--out",
            str(out),
            "--map",
            "dob=Born On",
            "--map",
            "left.phone=Contact Number",
        ],
    )
    assert result.exit_code == 0, result.output
    assert ("00018", "NC000102") in {(r["left_id"], r["right_id"]) for r in read_csv(out)}


def test_link_names_the_file_and_field_when_a_column_is_missing(fixture_csvs, tmp_path):
    members, voters = fixture_csvs
    renamed = rewrite_header(members, tmp_path / "members.csv", {"Last Name": "Family"})
    result = runner.invoke(
        app, ["link", str(renamed), str(voters), "--out", str(tmp_path / "links.csv")]
    )
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert f"Error: {renamed} has no column for the last name" in message
    assert "--map last_name=COLUMN" in message
    assert not (tmp_path / "links.csv").exists()


def test_link_refuses_a_missing_file_by_name(fixture_csvs, tmp_path):
    _, voters = fixture_csvs
    result = runner.invoke(
        app, ["link", str(tmp_path / "nope.csv"), str(voters), "--out", str(tmp_path / "links.csv")]
    )
    assert result.exit_code == 1
    assert "nope.csv does not exist" in " ".join(result.output.split())


def test_dedupe_writes_every_record_once_with_duplicates_in_one_cluster(fixture_csvs, tmp_path):
    members, _ = fixture_csvs
    rows = members.read_text().splitlines()
    # Bill signed up again through another affiliate, as William, with a new phone.
    twice = tmp_path / "everyone.csv"
    twice.write_text(
        "\n".join(
            [*rows, "00099,William,Quillfeather,1971-05-14,12 Orchard St,06010,203-555-0999,"]
        )
        + "\n"
    )
    out = tmp_path / "clusters.csv"
    result = runner.invoke(app, ["dedupe", str(twice), "--out", str(out)])
    assert result.exit_code == 0, result.output
    clusters = read_csv(out)
    assert list(clusters[0]) == ["id", "cluster_id"]
    assert [row["id"] for row in clusters] == [line.split(",")[0] for line in rows[1:]] + ["00099"]
    cluster_of = {row["id"]: row["cluster_id"] for row in clusters}
    assert cluster_of["00017"] == cluster_of["00099"]
    assert {row["cluster_id"] for row in clusters} <= set(cluster_of)
    assert len(set(cluster_of.values())) == len(clusters) - 1


FEBRL = Path(__file__).parents[3] / "bench" / "data" / "febrl"


def febrl_part(name: str, target: Path, *, below: int) -> Path:
    """Write the records of FEBRL file *name* whose person number is below *below*."""
    lines = (FEBRL / name).read_text().splitlines(keepends=True)
    target.write_text(
        lines[0] + "".join(line for line in lines[1:] if int(line.split("-")[1]) < below)
    )
    return target


def person_of(record_id: str) -> str:
    return record_id.split("-")[1]


def test_link_uses_every_column_the_febrl_files_share(tmp_path):
    # given_name, surname, street_number + address_1, suburb, postcode, date_of_birth,
    # soc_sec_id are recognised; address_2 and state are compared as they are.
    left = febrl_part("dataset4a.csv", tmp_path / "4a.csv", below=1200)
    right = febrl_part("dataset4b.csv", tmp_path / "4b.csv", below=1200)
    out = tmp_path / "links.csv"
    result = runner.invoke(app, ["link", str(left), str(right), "--out", str(out)])
    assert result.exit_code == 0, result.output
    links = read_csv(out)
    right_count = len(read_csv(right))
    correct = sum(person_of(row["left_id"]) == person_of(row["right_id"]) for row in links)
    assert correct / len(links) >= 0.99
    assert correct / right_count >= 0.97


def test_dedupe_uses_every_column_of_the_febrl_file(tmp_path):
    records = febrl_part("dataset3.csv", tmp_path / "3.csv", below=800)
    out = tmp_path / "clusters.csv"
    result = runner.invoke(app, ["dedupe", str(records), "--out", str(out)])
    assert result.exit_code == 0, result.output
    clusters = read_csv(out)
    found = {
        frozenset((a["id"], b["id"]))
        for a in clusters
        for b in clusters
        if a["id"] < b["id"] and a["cluster_id"] == b["cluster_id"]
    }
    actual = {
        frozenset((a["id"], b["id"]))
        for a in clusters
        for b in clusters
        if a["id"] < b["id"] and person_of(a["id"]) == person_of(b["id"])
    }
    correct = len(found & actual)
    assert correct / len(found) >= 0.99
    assert correct / len(actual) >= 0.96
