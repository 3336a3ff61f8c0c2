"""`powerbase tally BALLOTS.csv --method ...`: recount a ballot file and print every round.

`powerbase tally --rctab-config CONTEST_config.json` counts an official election from RCTab's
contest config and the CVR files it names. Needs no database and no Django: anyone holding a
published ballot set or an election office's CVRs can recount it.
"""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.helptext import one_of
from powerbase.democracy.tabulation import (
    CountResult,
    Method,
    OvervoteRule,
    Quota,
    RepeatedCandidate,
    Round,
    Rules,
    ShareOf,
    TabulationError,
    read_ballots_csv,
    tabulate,
)
from powerbase.democracy.tabulation.cdf_export import write_cdf_json
from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.rctab_config import (
    load_contest,
    read_ballots,
    with_write_ins_if_marked,
)
from powerbase.democracy.tabulation.rctab_report import rctab_report
from powerbase.democracy.tabulation.rules import Requirement, parse_decimal
from powerbase.democracy.tabulation.threshold import CHOICES

ROUNDS_PER_TABLE = 8
INACTIVE_LABELS = {
    "undervote": "Undervotes",
    "overvote": "Overvotes",
    "skipped_rankings": "Skipped rankings",
    "repeated_rankings": "Repeated rankings",
    "exhausted_choices": "Exhausted choices",
}
METHOD_NAMES = {
    Method.PLURALITY: "plurality",
    Method.APPROVAL: "approval voting",
    Method.THRESHOLD: "a yes/no threshold",
    Method.SCORE: "score voting",
    Method.IRV: "instant runoff",
    Method.STV: "single transferable vote",
    Method.SEQUENTIAL_IRV: "sequential instant runoff",
    Method.SCHULZE: "the Schulze method",
    Method.BOTTOMS_UP: "bottoms-up elimination",
}

# Sentences are printed unwrapped (soft_wrap) so that a long path or name stays on one line.
console = make_console(soft_wrap=True)
err_console = make_console(stderr=True, soft_wrap=True)


def tally(
    ballots: Annotated[
        Path | None,
        typer.Argument(
            metavar="[BALLOTS.csv]",
            help=(
                "Ballot file: one ballot per row, rank1, rank2, ... columns, optional weight and "
                "count columns. Not needed with --rctab-config."
            ),
        ),
    ] = None,
    method: Annotated[
        Method | None,
        typer.Option(
            metavar="METHOD",
            help=f"How to count: {one_of(Method)} (required unless --rctab-config says it).",
        ),
    ] = None,
    seats: Annotated[int, typer.Option(metavar="N", help="Seats to fill.")] = 1,
    overvote_rule: Annotated[
        OvervoteRule, typer.Option(help="What an overvote (several candidates at one rank) does.")
    ] = (OvervoteRule.EXHAUST_IMMEDIATELY),
    max_skipped_ranks: Annotated[
        str, typer.Option(metavar="N|unlimited", help="Blank ranks in a row a ballot may skip.")
    ] = "unlimited",
    max_rankings: Annotated[
        str, typer.Option(metavar="N|unlimited", help="Ranks counted on each ballot.")
    ] = "unlimited",
    repeated_candidate: Annotated[
        RepeatedCandidate, typer.Option(help="What ranking the same candidate again does.")
    ] = RepeatedCandidate.SKIP,
    batch_elimination: Annotated[
        bool,
        typer.Option("--batch-elimination", help="Eliminate together all who cannot catch up."),
    ] = False,
    continue_until_two: Annotated[
        bool,
        typer.Option("--continue-until-two", help="Keep eliminating until two candidates remain."),
    ] = False,
    quota: Annotated[Quota, typer.Option(help="STV quota.")] = Quota.DROOP,
    non_integer_threshold: Annotated[
        bool, typer.Option("--non-integer-threshold", help="Allow a threshold with decimals.")
    ] = False,
    decimal_places: Annotated[
        int, typer.Option(metavar="N", help="Decimal places for vote arithmetic.")
    ] = 4,
    minimum_vote_threshold: Annotated[
        str, typer.Option(metavar="N", help="Eliminate candidates below this many votes.")
    ] = "0",
    exclude: Annotated[
        list[str] | None,
        typer.Option(metavar="NAME", help="Leave a candidate out of the count (repeatable)."),
    ] = None,
    candidates: Annotated[
        str | None,
        typer.Option(metavar='"A|B|C"', help="The candidates in order (used by tiebreaks)."),
    ] = None,
    tiebreak: Annotated[
        str,
        typer.Option(
            metavar="RULE",
            help="How ties are broken: candidate-order, previous-round or random:SEED.",
        ),
    ] = "candidate-order",
    rank_columns: Annotated[
        str | None,
        typer.Option(
            metavar='"c1,c2,..."', help="The rank columns in order, if not rank1, rank2, ..."
        ),
    ] = None,
    required: Annotated[
        str,
        typer.Option(
            metavar="SHARE",
            help="Threshold method: the yes votes needed: majority, two-thirds, a percentage "
            "(60%) or a fraction (3/4).",
        ),
    ] = "majority",
    share_of: Annotated[
        ShareOf,
        typer.Option("--of", help="Threshold method: a share of votes cast or of the electorate."),
    ] = (ShareOf.CAST),
    electorate: Annotated[
        str | None,
        typer.Option(metavar="N", help="Threshold method: the electorate size (total weight)."),
    ] = None,
    count_abstentions: Annotated[
        bool,
        typer.Option(
            "--count-abstentions", help="Threshold method: abstentions count as votes cast."
        ),
    ] = False,
    first_round_threshold: Annotated[
        bool,
        typer.Option(
            "--first-round-threshold",
            help="The first round fixes the threshold for the whole count.",
        ),
    ] = False,
    stop_after_round: Annotated[
        int | None, typer.Option(metavar="N", help="Stop counting after round N.")
    ] = None,
    one_winner_per_round: Annotated[
        bool,
        typer.Option(
            "--one-winner-per-round", help="STV: elect only the top candidate in a round."
        ),
    ] = False,
    bottoms_up_percentage: Annotated[
        str | None,
        typer.Option(
            metavar="P",
            help="Bottoms-up: elect everyone left once each holds more than P% of "
            "the continuing votes (instead of filling --seats).",
        ),
    ] = None,
    rctab_config: Annotated[
        Path | None,
        typer.Option(
            "--rctab-config",
            metavar="CONFIG.json",
            help="Count as this RCTab contest "
            "config says, reading the CVR files it names (ES&S, CDF, CSV, Dominion, Hart, Clear "
            "Ballot); the rule options above are then taken from the config.",
        ),
    ] = None,
    rctab_json: Annotated[
        Path | None,
        typer.Option(
            "--rctab-json",
            metavar="OUT",
            help="Also write a summary in RCTab's detailed-report JSON shape.",
        ),
    ] = None,
    cdf_json: Annotated[
        Path | None,
        typer.Option(
            "--cdf-json",
            metavar="OUT",
            help="Also write the ballots as a NIST CDF JSON cast "
            "vote record report (RCTab reads it).",
        ),
    ] = None,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", metavar="OUT", help="Write the round-by-round record as JSON here."),
    ] = None,
) -> None:
    """Count a ballot file by any method and print the round table (no database needed)."""
    if rctab_config is not None:
        _tally_rctab_config(rctab_config, json_out, rctab_json)
        return
    try:
        if ballots is None or method is None:
            raise TabulationError(
                "Give a ballot file and --method, or --rctab-config CONTEST_config.json."
            )
        mode, seed = Rules.parse_tiebreak(tiebreak)
        rules = Rules(
            seats=seats,
            overvote_rule=overvote_rule,
            max_skipped_ranks=_limit(max_skipped_ranks, "--max-skipped-ranks", minimum=0),
            max_rankings=_limit(max_rankings, "--max-rankings", minimum=1),
            repeated_candidate=repeated_candidate,
            batch_elimination=batch_elimination,
            continue_until_two=continue_until_two,
            quota=quota,
            non_integer_threshold=non_integer_threshold,
            decimal_places=decimal_places,
            minimum_vote_threshold=parse_decimal(minimum_vote_threshold, "minimum vote threshold"),
            excluded=tuple(exclude or ()),
            candidates=tuple(_split(candidates, "|")) if candidates else None,
            tiebreak=mode,
            random_seed=seed,
            required=Requirement.parse(required),
            share_of=share_of,
            electorate=None if electorate is None else parse_decimal(electorate, "electorate size"),
            abstentions_count=count_abstentions,
            first_round_threshold=first_round_threshold,
            stop_after_round=stop_after_round,
            one_winner_per_round=one_winner_per_round,
            bottoms_up_percentage=(
                parse_decimal(
                    bottoms_up_percentage.rstrip("%").strip(), "bottoms-up percentage threshold"
                )
                if bottoms_up_percentage
                else None
            ),
        )
        ballot_file = _read(ballots, method, rules, rank_columns)
        result = tabulate(method, ballot_file.ballots, rules)
    except TabulationError as error:
        err_console.print(f"[bold red]Error:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    print_result(result, rows=ballot_file.rows)
    if json_out is not None:
        _write_json(result, json_out)
    if rctab_json is not None:
        _write_json(result, rctab_json, rctab_report(result), "RCTab-shaped summary")
    if cdf_json is not None:
        _write_cdf(ballot_file.ballots, result, cdf_json)


def _write_cdf(ballots, result: CountResult, path: Path) -> None:
    try:
        with path.open("w", encoding="utf-8") as out:
            written = write_cdf_json(ballots, out, contest=path.stem, candidates=result.candidates)
    except (OSError, TabulationError) as error:
        path.unlink(missing_ok=True)
        err_console.print(
            f"[bold red]Error:[/] Could not write {path}: "
            f"{getattr(error, 'strerror', None) or error}",
            highlight=False,
        )
        raise typer.Exit(1) from None
    console.print(f"Wrote {written:,} ballots as CDF JSON to {path}.")


def _tally_rctab_config(config: Path, json_out: Path | None, rctab_json: Path | None) -> None:
    try:
        contest = load_contest(config)
        ballots = read_ballots(contest)
        contest = with_write_ins_if_marked(contest, ballots)
        result = tabulate(contest.method, ballots, contest.rules)
    except TabulationError as error:
        err_console.print(f"[bold red]Error:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    print_result(result, rows=len(ballots), unit="distinct rankings")
    if json_out is not None:
        _write_json(result, json_out)
    if rctab_json is not None:
        _write_json(result, rctab_json, rctab_report(result, contest.name), "RCTab-shaped summary")


def _read(path: Path, method: Method, rules: Rules, rank_columns: str | None):
    if method is Method.THRESHOLD:
        return read_ballots_csv(
            path, candidates=CHOICES, ignore_case=True, rank_columns=_columns(rank_columns)
        )
    return read_ballots_csv(
        path,
        candidates=rules.candidates,
        scores=method is Method.SCORE,
        rank_columns=_columns(rank_columns),
    )


def _columns(text: str | None) -> list[str] | None:
    if not text:
        return None
    return _split(text, "|" if "|" in text else ",")


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def _limit(text: str, flag: str, *, minimum: int) -> int | None:
    if text.strip().lower() == "unlimited":
        return None
    if text.strip().isdigit() and int(text) >= minimum:
        return int(text)
    raise TabulationError(
        f"{flag} must be a whole number of at least {minimum} or 'unlimited', not '{text}'."
    )


def _write_json(
    result: CountResult,
    path: Path,
    document: dict | list | None = None,
    what: str = "round-by-round record",
) -> None:
    try:
        path.write_text(json.dumps(document or result.to_dict(), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        err_console.print(
            f"[bold red]Error:[/] Could not write {path}: {error.strerror}.", highlight=False
        )
        raise typer.Exit(1) from None
    console.print(f"Wrote the {what} to {path}.")


# Printing ----------------------------------------------------------------------------------


def print_result(result: CountResult, *, rows: int, unit: str = "rows") -> None:
    """Print the count: a summary line, the round table(s), what happened each round, winners."""
    console.print(
        f"Counted {result.ballots:,} ballots ({format_votes(result.votes)} votes, "
        f"{rows:,} {unit}) by {METHOD_NAMES[result.method]}.",
        highlight=False,
    )
    if result.method is Method.SEQUENTIAL_IRV:
        for seat, pass_ in enumerate(result.passes, start=1):
            console.print(f"\n[bold]Seat {seat}[/]")
            _print_rounds(pass_)
    elif result.method is Method.SCHULZE:
        _print_schulze(result)
    else:
        _print_rounds(result)
    if result.method is Method.THRESHOLD:
        console.print(f"\n[bold]{result.details['sentence']}[/]", highlight=False)
    else:
        console.print(
            f"\n[bold]Elected:[/] {', '.join(result.winners) or 'nobody'}", highlight=False
        )


def _print_rounds(result: CountResult) -> None:
    rounds = result.rounds
    for start in range(0, len(rounds), ROUNDS_PER_TABLE):
        console.print(_round_table(result, rounds[start : start + ROUNDS_PER_TABLE]))
    if len(rounds) > 1:
        legend = "✓ elected, ✗ eliminated."
        if any(round_.inactive_votes for round_ in rounds):
            legend += " Rows under the line: ballots that no longer count for anyone."
        console.print(f"[dim]{legend}[/]")
    for round_ in rounds:
        for line in _narrative(round_):
            console.print(line, highlight=False)


def _round_table(result: CountResult, rounds: list[Round]) -> Table:
    table = Table(show_lines=False, header_style="bold")
    table.add_column("Candidate")
    for round_ in rounds:
        table.add_column(
            f"Round {round_.number}" if len(result.rounds) > 1 else "Votes", justify="right"
        )
    for name in result.candidates:
        if any(name in round_.tally for round_ in result.rounds):
            table.add_row(name, *(_cell(round_, name) for round_ in rounds))
    if any(round_.threshold is not None for round_ in rounds):
        table.add_row(
            "[dim]Threshold[/]",
            *(
                "" if round_.threshold is None else format_votes(round_.threshold)
                for round_ in rounds
            ),
            end_section=True,
        )
    for reason in rounds[0].inactive:
        if any(round_.inactive.get(reason) for round_ in result.rounds):
            table.add_row(
                f"[dim]{INACTIVE_LABELS.get(reason, reason)}[/]",
                *(format_votes(round_.inactive[reason]) for round_ in rounds),
            )
    if any(round_.residual_surplus for round_ in result.rounds):
        table.add_row(
            "[dim]Residual surplus[/]",
            *(format_votes(round_.residual_surplus) for round_ in rounds),
        )
    if any(round_.final_round_surplus for round_ in result.rounds):
        table.add_row(
            "[dim]Final round surplus[/]",
            *(format_votes(round_.final_round_surplus) for round_ in rounds),
        )
    return table


def _cell(round_: Round, name: str) -> str:
    if name not in round_.tally:
        return ""
    votes = format_votes(round_.tally[name])
    if name in round_.elected:
        return f"[bold green]{votes} ✓[/]"
    if name in round_.eliminated:
        return f"[red]{votes} ✗[/]"
    return votes


def _narrative(round_: Round) -> list[str]:
    lines = []
    for tiebreak in round_.tiebreaks:
        lines.append(
            f"Round {round_.number}: tie between {', '.join(tiebreak.tied)} "
            f"({tiebreak.purpose}). {tiebreak.explanation}"
        )
    for name, moves in round_.transfers.items():
        verb = "elected" if name in round_.elected else "eliminated"
        if round_.elimination in ("batch", "below-minimum") and name in round_.eliminated:
            verb += " (batch)" if round_.elimination == "batch" else " (below the minimum)"
        where = ", ".join(f"{target} {format_votes(votes)}" for target, votes in moves.items())
        lines.append(f"Round {round_.number}: {name} {verb}; votes moved: {where or 'none'}.")
    return lines


def _print_schulze(result: CountResult) -> None:
    pairwise = result.details["pairwise"]
    names = result.details["ranking"]
    table = Table(
        title="Votes preferring the row candidate to the column candidate", header_style="bold"
    )
    table.add_column("")
    for name in names:
        table.add_column(name, justify="right")
    for row in names:
        table.add_row(row, *("—" if row == column else pairwise[row][column] for column in names))
    console.print(table)
    console.print(f"Schulze ranking: {' > '.join(names)}", highlight=False)
    for tiebreak in result.details["tiebreaks"]:
        console.print(
            f"Tie between {', '.join(tiebreak['tied'])}: {tiebreak['explanation']}", highlight=False
        )
