"""Read queries of the legislature app, always through `access` (except the public scorecard
page, which shows only what an organization published on purpose).

The figures, defined once here:

- **Score** of an official on a scorecard: of the scored votes they cast yes or no, the
  weighted share cast the right way (0-100). Absent, abstaining and excused are "missed" and
  left out of the share; an official who cast none of the scored votes has no score.
- **Bloc average**: the mean score of the officials in the bloc now.
- **Bloc cohesion**: over the scored roll calls where at least two bloc members voted yes or
  no, the mean share of them voting with the bloc's majority (100 = always together); and how
  many of those roll calls the bloc voted unanimously.
- **Pledge status**: the votes that bear on a pledge are the official's votes, on or after the
  pledge, in roll calls on a bill linked to the pledged demand. The right vote is the one a
  scorecard counts as right, else the one our position on the bill implies (support: yes;
  oppose: no). Broken: any wrong vote; kept: some right votes and no wrong one; pending: none.
- **Base in a district**: the base placed in the district, of them its members and leaders,
  all as `identity.base` defines them (the one definition every page counts by).
- **Strong base**: a district whose linked base is in the top third of its chamber's districts
  (among those with any). Undecided officials from such districts are where to push.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from powerbase.actions.models import Action, Campaign
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import NotFound
from powerbase.core.models import Organization
from powerbase.democracy.models import Decision
from powerbase.identity import base
from powerbase.legislature.models import (
    DISTRICT_KIND_OF_CHAMBER,
    ActionTarget,
    Bill,
    BlocMembership,
    Chamber,
    Demand,
    InsideEvent,
    Official,
    OfficialVote,
    Plank,
    Platform,
    PlatformVersion,
    Pledge,
    RollCall,
    Scorecard,
    ScorecardVote,
    Stance,
    VoteOption,
    WhipBoard,
    WhipStance,
    vote_following,
)

VIEW = "legislature.view"
MANAGE = "legislature.manage"
CAST = (VoteOption.YES, VoteOption.NO)


def _scoped(actor: Actor, queryset: QuerySet) -> QuerySet:
    access.require(actor, VIEW)
    return access.scoped(actor, queryset)


# Officials and the bloc ---------------------------------------------------------------------


def officials(
    actor: Actor, *, chamber: str = "", search: str = "", current_only: bool = True
) -> QuerySet[Official]:
    found = _scoped(actor, Official.objects.select_related("district"))
    if chamber:
        found = found.filter(chamber=chamber)
    if current_only:
        found = found.filter(is_current=True)
    if search.strip():
        words = search.split()
        for word in words:
            found = found.filter(
                Q(name__icontains=word) | Q(district_code=word) | Q(party__icontains=word)
            )
    return found


def official(actor: Actor, official_id: int) -> Official:
    return access.get(
        actor, _scoped(actor, Official.objects.select_related("district")), pk=official_id
    )


def bloc_ids(organization: Organization, on: date | None = None) -> set[int]:
    """Return the ids of the officials in the bloc on *on* (today by default)."""
    on = on or timezone.localdate()
    return set(
        BlocMembership.objects.filter(organization=organization, joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .values_list("official_id", flat=True)
    )


def bloc(actor: Actor) -> list[Official]:
    ids = bloc_ids(actor.organization)
    return list(_scoped(actor, Official.objects.filter(pk__in=ids)))


def bloc_history(actor: Actor, found: Official) -> QuerySet[BlocMembership]:
    return _scoped(actor, BlocMembership.objects.filter(official=found))


def bloc_membership(actor: Actor, membership_id: int) -> BlocMembership:
    return access.get(
        actor, _scoped(actor, BlocMembership.objects.select_related("official")), pk=membership_id
    )


def official_votes(actor: Actor, found: Official, limit: int = 50) -> QuerySet[OfficialVote]:
    return _scoped(
        actor,
        OfficialVote.objects.filter(official=found)
        .select_related("roll_call__bill")
        .order_by("-roll_call__date", "-roll_call_id"),
    )[:limit]


# Platform, demands and bills ----------------------------------------------------------------


def platforms(actor: Actor) -> QuerySet[Platform]:
    return _scoped(actor, Platform.objects.prefetch_related("versions"))


def platform_version(actor: Actor, version_id: int) -> PlatformVersion:
    demands = Demand.objects.prefetch_related("bills", "pledges__official")
    planks = Plank.objects.prefetch_related(Prefetch("demands", queryset=demands))
    return access.get(
        actor,
        _scoped(
            actor,
            PlatformVersion.objects.select_related("platform", "decision").prefetch_related(
                Prefetch("planks", queryset=planks)
            ),
        ),
        pk=version_id,
    )


def platform(actor: Actor, platform_id: int) -> Platform:
    return access.get(actor, platforms(actor), pk=platform_id)


def version_in_force(found: Platform) -> PlatformVersion | None:
    """Return the latest adopted version, or None while every version is a draft."""
    return found.versions.exclude(adopted_on=None).order_by("-number").first()


def plank(actor: Actor, plank_id: int) -> Plank:
    return access.get(actor, _scoped(actor, Plank.objects.select_related("version")), pk=plank_id)


def demands(actor: Actor) -> QuerySet[Demand]:
    return _scoped(actor, Demand.objects.select_related("plank__version__platform"))


def demand(actor: Actor, demand_id: int) -> Demand:
    return access.get(actor, demands(actor), pk=demand_id)


def adopting_decisions(actor: Actor) -> QuerySet[Decision]:
    """Democracy decisions that adopted something: what a platform version may rest on."""
    access.require(actor, VIEW)
    return access.scoped(actor, Decision.objects.filter(outcome=Decision.Outcome.ADOPTED))


def bills(actor: Actor) -> QuerySet[Bill]:
    return _scoped(actor, Bill.objects.all())


def bill(actor: Actor, bill_id: int) -> Bill:
    return access.get(
        actor, bills(actor).prefetch_related("actions", "demands", "roll_calls"), pk=bill_id
    )


# Roll calls -------------------------------------------------------------------------------


def roll_calls(actor: Actor) -> QuerySet[RollCall]:
    return _scoped(actor, RollCall.objects.select_related("bill"))


def roll_call(actor: Actor, roll_call_id: int) -> RollCall:
    return access.get(actor, roll_calls(actor), pk=roll_call_id)


@dataclass
class Tally:
    counts: dict[str, int]
    by_option: dict[str, list[Official]]

    @property
    def groups(self) -> list[tuple[str, list[Official]]]:
        """Return (label, officials) for each vote option anyone chose, yes first."""
        return [
            (label, self.by_option[value])
            for value, label in VoteOption.choices
            if value in self.by_option
        ]


def tally(found: RollCall) -> Tally:
    counts = dict.fromkeys(VoteOption.values, 0)
    by_option: dict[str, list[Official]] = defaultdict(list)
    for vote in found.votes.select_related("official").order_by(
        "official__family_name", "official__name"
    ):
        counts[vote.option] += 1
        by_option[vote.option].append(vote.official)
    return Tally(counts=counts, by_option=dict(by_option))


# Scorecards ---------------------------------------------------------------------------------


def scorecards(actor: Actor) -> QuerySet[Scorecard]:
    return _scoped(actor, Scorecard.objects.all())


def scorecard(actor: Actor, scorecard_id: int) -> Scorecard:
    # With its organization: scoring it reads the organization's bloc.
    return access.get(actor, scorecards(actor).select_related("organization"), pk=scorecard_id)


def scorecard_item(actor: Actor, found: Scorecard, item_id: int) -> ScorecardVote:
    return access.get(
        actor,
        _scoped(
            actor,
            ScorecardVote.objects.filter(scorecard=found).select_related("roll_call", "scorecard"),
        ),
        pk=item_id,
    )


@dataclass
class OfficialScore:
    official: Official
    marks: list[tuple[ScorecardVote, str, bool | None]]  # item, vote, right? (None: missed)
    in_bloc: bool = False

    # The figures are read several times per row (sorting, the table): worked out once each.
    @cached_property
    def right(self) -> int:
        return sum(1 for _, _, ok in self.marks if ok)

    @cached_property
    def wrong(self) -> int:
        return sum(1 for _, _, ok in self.marks if ok is False)

    @cached_property
    def missed(self) -> int:
        return sum(1 for _, option, ok in self.marks if ok is None and option)

    @cached_property
    def score(self) -> int | None:
        cast = sum((item.weight for item, _, ok in self.marks if ok is not None), Decimal(0))
        if not cast:
            return None
        right = sum((item.weight for item, _, ok in self.marks if ok), Decimal(0))
        return round(100 * right / cast)


@dataclass
class Cohesion:
    percent: int | None
    unanimous: int
    counted: int


@dataclass
class ScorecardResults:
    items: list[ScorecardVote]
    rows: list[OfficialScore]
    bloc_average: int | None
    cohesion: Cohesion

    @property
    def bloc_rows(self) -> list[OfficialScore]:
        return [row for row in self.rows if row.in_bloc]

    def in_chamber(self, chamber: str) -> list[OfficialScore]:
        """Return the rows of one chamber ('' or an unknown chamber: every row)."""
        if chamber not in Chamber.values:
            return self.rows
        return [row for row in self.rows if row.official.chamber == chamber]

    @property
    def bloc_average_by_chamber(self) -> list[tuple[str, int, int]]:
        """Return (chamber label, bloc average, bloc members scored) per chamber."""
        found = []
        for value, label in Chamber.choices:
            scores = [
                row.score
                for row in self.bloc_rows
                if row.official.chamber == value and row.score is not None
            ]
            if scores:
                found.append((label, round(sum(scores) / len(scores)), len(scores)))
        return found


# What a scorecard's table shows of an official (and sorts them by): reading only these keeps
# scoring a whole chamber cheap; another field read from a row would cost a query per official.
SCORED_OFFICIAL_FIELDS = ("name", "family_name", "chamber", "district_code", "office", "party")


def results(found: Scorecard) -> ScorecardResults:
    """Score every official who voted in the scorecard's roll calls; see the module docstring.

    Reads the votes as plain (official, roll call, option) tuples and each official once: a
    session's votes are thousands of rows, and making a model of each cost most of the page.
    """
    items = list(found.items.select_related("roll_call__bill").order_by("roll_call__date", "id"))
    by_official: dict[int, dict[int, str]] = defaultdict(dict)
    for official_id, roll_call_id, option in (
        OfficialVote.objects.filter(roll_call__in=[item.roll_call_id for item in items])
        .order_by()
        .values_list("official_id", "roll_call_id", "option")
    ):
        by_official[official_id][roll_call_id] = option
    # Officials' public record, for the private and the public scorecard alike (no actor).
    officials = access.scoped(access.system(found.organization), Official.objects.all())
    officials_by_id = officials.only(*SCORED_OFFICIAL_FIELDS).in_bulk(list(by_official))
    in_bloc = bloc_ids(found.organization)
    rows = [
        OfficialScore(
            officials_by_id[official_id], _marks(items, options), in_bloc=official_id in in_bloc
        )
        for official_id, options in by_official.items()
    ]
    rows.sort(
        key=lambda row: (
            row.official.chamber,
            -(row.score if row.score is not None else -1),
            row.official.family_name,
            row.official.name,
            row.official.pk,
        )
    )
    bloc_scores = [row.score for row in rows if row.in_bloc and row.score is not None]
    average = round(sum(bloc_scores) / len(bloc_scores)) if bloc_scores else None
    return ScorecardResults(
        items=items, rows=rows, bloc_average=average, cohesion=cohesion(items, by_official, in_bloc)
    )


def _marks(items, options: dict[int, str]) -> list[tuple[ScorecardVote, str, bool | None]]:
    """Each scored item with the official's vote (*options*: roll call id -> option) and
    whether it was right (None when they did not vote yes or no)."""
    marks = []
    for item in items:
        option = options.get(item.roll_call_id, "")
        ok = (option == item.right_option) if option in CAST else None
        marks.append((item, option, ok))
    return marks


def cohesion(items, by_official: dict[int, dict[int, str]], in_bloc: set[int]) -> Cohesion:
    shares, unanimous = [], 0
    for item in items:
        cast = [by_official[o].get(item.roll_call_id) for o in in_bloc if o in by_official]
        cast = [option for option in cast if option in CAST]
        if len(cast) < 2:
            continue
        majority = max(cast.count(VoteOption.YES), cast.count(VoteOption.NO))
        shares.append(majority / len(cast))
        unanimous += majority == len(cast)
    percent = round(100 * sum(shares) / len(shares)) if shares else None
    return Cohesion(percent=percent, unanimous=unanimous, counted=len(shares))


def scores_of(actor: Actor, found: Official) -> list[tuple[Scorecard, OfficialScore]]:
    """Return the official's score on each scorecard they have votes on, as `results` scores
    them, reading only their own votes (not every official's, as scoring a whole card does)."""
    found_scores = []
    in_bloc = found.pk in bloc_ids(actor.organization)
    for card in scorecards(actor):
        items = list(card.items.select_related("roll_call__bill").order_by("roll_call__date", "id"))
        options = dict(  # the votes of an official the actor was allowed to open
            found.votes.filter(roll_call__in=[item.roll_call_id for item in items]).values_list(
                "roll_call_id", "option"
            )
        )
        if options:
            found_scores.append((card, OfficialScore(found, _marks(items, options), in_bloc)))
    return found_scores


# Pledges and accountability -----------------------------------------------------------------


@dataclass
class BearingVote:
    roll_call: RollCall | None  # None where only the verdict is wanted (the summary)
    option: str
    right_option: str

    @property
    def is_right(self) -> bool | None:
        if self.option not in CAST or not self.right_option:
            return None
        return self.option == self.right_option


@dataclass
class PledgeReport:
    pledge: Pledge
    votes: list[BearingVote] = field(default_factory=list)

    @property
    def status(self) -> str:
        verdicts = [vote.is_right for vote in self.votes]
        if False in verdicts:
            return "broken"
        if True in verdicts:
            return "kept"
        return "pending"


def pledges(actor: Actor) -> QuerySet[Pledge]:
    return _scoped(actor, Pledge.objects.select_related("official", "demand__plank"))


def accountability(actor: Actor, found: Official) -> list[PledgeReport]:
    """Return each of the official's pledges with the votes that bear on it and its status."""
    return _reports(actor, pledges(actor).filter(official=found), with_roll_calls=True)


def accountability_summary(actor: Actor) -> list[tuple[Official, dict[str, int]]]:
    """Return, per official with pledges, how many are kept, broken and pending."""
    summary: dict[int, tuple[Official, dict[str, int]]] = {}
    for report in _reports(actor, pledges(actor), with_roll_calls=False):
        official = report.pledge.official
        _, counts = summary.setdefault(
            official.pk, (official, {"kept": 0, "broken": 0, "pending": 0})
        )
        counts[report.status] += 1
    return sorted(summary.values(), key=lambda item: (item[0].chamber, _district_number(item[0])))


def _reports(actor: Actor, found: QuerySet[Pledge], *, with_roll_calls: bool) -> list[PledgeReport]:
    """Judge the pledges *found* in a fixed number of queries, however many there are; the
    roll calls themselves are read only *with_roll_calls* (a page that lists them)."""
    found_pledges = list(found.prefetch_related("demand__bills"))
    right_by_roll_call = dict(
        _scoped(actor, ScorecardVote.objects.all()).values_list("roll_call_id", "right_option")
    )
    bills_of = {p.pk: {bill.pk for bill in p.demand.bills.all()} for p in found_pledges}
    all_bills = set().union(*bills_of.values()) if bills_of else set()
    # Tuples, not models: the summary judges every pledged official's votes (2,300 on the full
    # demo, 110 ms as model instances).
    votes = (
        OfficialVote.objects.filter(
            official_id__in={p.official_id for p in found_pledges}, roll_call__bill_id__in=all_bills
        )
        .order_by("roll_call__date", "roll_call_id")
        .values_list(
            "official_id",
            "roll_call_id",
            "roll_call__bill_id",
            "roll_call__date",
            "option",
            "roll_call__bill__position",
        )
    )
    by_official: dict[int, list[tuple]] = defaultdict(list)
    for vote in votes:
        by_official[vote[0]].append(vote)
    bearing_of = {
        pledge.pk: [
            vote
            for vote in by_official[pledge.official_id]
            if vote[2] in bills_of[pledge.pk] and vote[3] >= pledge.pledged_on
        ]
        for pledge in found_pledges
    }
    roll_calls: dict[int, RollCall] = {}
    if with_roll_calls:
        wanted = {vote[1] for bearing in bearing_of.values() for vote in bearing}
        roll_calls = access.scoped(actor, RollCall.objects.select_related("bill")).in_bulk(wanted)
    return [
        PledgeReport(
            pledge,
            [
                BearingVote(
                    roll_calls.get(roll_call_id),
                    option,
                    right_by_roll_call.get(roll_call_id) or vote_following(position),
                )
                for _, roll_call_id, _, _, option, position in bearing_of[pledge.pk]
            ],
        )
        for pledge in found_pledges
    ]


# The base in each district ------------------------------------------------------------------


@dataclass
class DistrictBase:
    matched: int = 0
    members: int = 0
    leaders: int = 0
    strong: bool = False


def base_by_district(organization: Organization, kind: str) -> dict[str, DistrictBase]:
    """Return {district code: DistrictBase} for the districts of *kind*; see the module
    docstring. Counts only, no names: shown to anyone who may view the legislature pages.

    Kept until the base changes (`identity.base.kept`): the whip board, an official's page
    and every saved stance read it, and counting it reads the whole base.
    """
    from powerbase.voterfile import queries as voterfile

    if kind not in DISTRICT_KIND_OF_CHAMBER.values():
        return {}
    version = voterfile.version_in_use(organization)
    if version is None:
        return {}
    # Every kind at once after a change of the base: each chamber's whip board paid for
    # reading the whole base's members and leaders again (0.3-0.5 s on the full demo).
    return base.kept_of_kinds(
        organization,
        "legislature:base",
        [kind],
        version,
        lambda kinds: _count_by_kinds(organization, kinds, version),
    )[kind]


def _count_by_kinds(organization: Organization, kinds: list[str], version) -> dict[str, dict]:
    members, leaders = base.member_ids(organization), base.leader_ids(organization)
    return {
        kind: _count_by_district(organization, kind, version, members=members, leaders=leaders)
        for kind in kinds
    }


def _count_by_district(
    organization: Organization,
    kind: str,
    version,
    *,
    members: set[int] | None = None,
    leaders: set[int] | None = None,
) -> dict[str, DistrictBase]:
    placed = base.placements(organization, kind, version=version)
    if not placed:
        return {}
    if members is None or leaders is None:
        members, leaders = base.member_ids(organization), base.leader_ids(organization)
    found: dict[str, DistrictBase] = defaultdict(DistrictBase)
    for person_id, code in placed.items():
        counted = found[str(code)]
        counted.matched += 1
        counted.members += person_id in members
        counted.leaders += person_id in leaders
    _mark_strong(found)
    return dict(found)


def _mark_strong(found: dict[str, DistrictBase]) -> None:
    counts = sorted(district.matched for district in found.values() if district.matched)
    if not counts:
        return
    threshold = counts[(2 * len(counts)) // 3] if len(counts) > 2 else counts[-1]
    for district in found.values():
        district.strong = district.matched >= threshold


def district_base(actor: Actor, found: Official) -> DistrictBase | None:
    kind = DISTRICT_KIND_OF_CHAMBER.get(found.chamber)
    if kind is None or not found.district_code:
        return None
    access.require(actor, VIEW)
    bases = base_by_district(actor.organization, kind)
    return bases.get(found.district.code if found.district else found.district_code, DistrictBase())


# Whip boards --------------------------------------------------------------------------------


def whip_boards(actor: Actor) -> QuerySet[WhipBoard]:
    return _scoped(actor, WhipBoard.objects.select_related("demand", "bill", "campaign"))


def whip_board(actor: Actor, board_id: int) -> WhipBoard:
    return access.get(actor, whip_boards(actor), pk=board_id)


@dataclass
class WhipRow:
    official: Official
    stance: WhipStance | None
    history: list[WhipStance]
    base: DistrictBase | None
    targets: list[Action]
    in_bloc: bool

    @property
    def stance_value(self) -> str:
        return self.stance.stance if self.stance else ""

    @property
    def push_here(self) -> bool:
        """Undecided, in a district where the base is strong: where to push."""
        return self.stance_value == Stance.UNDECIDED and bool(self.base and self.base.strong)


@dataclass
class WhipCount:
    needed: int
    counts: dict[str, int]
    total: int

    @property
    def committed(self) -> int:
        return self.counts[Stance.YES]

    @property
    def likely(self) -> int:
        return self.counts[Stance.YES] + self.counts[Stance.LEAN_YES]

    @property
    def short_by(self) -> int:
        return max(0, self.needed - self.likely)

    @property
    def unknown(self) -> int:
        return self.total - sum(self.counts.values())

    @property
    def bars(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts[value]) for value, label in Stance.choices]


def whip_count(board: WhipBoard) -> WhipCount:
    """Count the latest stance of every official on *board*."""
    latest = _latest_stances(board)
    counts = dict.fromkeys(Stance.values, 0)
    for reading in latest.values():
        counts[reading.stance] += 1
    total = Official.objects.filter(
        organization=board.organization, chamber=board.chamber, is_current=True
    ).count()
    return WhipCount(needed=board.needed, counts=counts, total=total)


def _latest_stances(board: WhipBoard) -> dict[int, WhipStance]:
    latest: dict[int, WhipStance] = {}
    for reading in board.stances.order_by("official_id", "-recorded_at", "-id"):
        latest.setdefault(reading.official_id, reading)
    return latest


def whip_rows(
    actor: Actor, board: WhipBoard, *, stance: str = "", only: Official | None = None
) -> list[WhipRow]:
    """Return every official who will vote on *board* (or just *only*), with stance, history,
    base and targets."""
    members = _scoped(
        actor,
        Official.objects.filter(chamber=board.chamber, is_current=True).select_related("district"),
    )
    stances = board.stances.select_related("recorded_by")
    if only is not None:
        members, stances = members.filter(pk=only.pk), stances.filter(official=only)
    history: dict[int, list[WhipStance]] = defaultdict(list)
    for reading in stances.order_by("official_id", "-recorded_at", "-id"):
        history[reading.official_id].append(reading)
    kind = DISTRICT_KIND_OF_CHAMBER.get(board.chamber)
    bases = base_by_district(actor.organization, kind) if kind else {}
    targets = _targets(actor, board)
    in_bloc = bloc_ids(actor.organization)
    rows = []
    for found in members:
        readings = history.get(found.pk, [])
        code = found.district.code if found.district else found.district_code
        rows.append(
            WhipRow(
                found,
                readings[0] if readings else None,
                readings,
                bases.get(code) if kind else None,
                targets.get(found.pk, []),
                found.pk in in_bloc,
            )
        )
    if stance:
        rows = [row for row in rows if row.stance_value == (stance if stance != "none" else "")]
    order = {value: n for n, value in enumerate(Stance.values)}
    rows.sort(
        key=lambda row: (
            not row.push_here,
            order.get(row.stance_value, 2),
            _district_number(row.official),
        )
    )
    return rows


def stances_of(actor: Actor, found: Official) -> list[tuple[WhipBoard, WhipStance | None]]:
    """Return where *found* stands now on each live fight of their chamber."""
    boards = whip_boards(actor).filter(is_live=True, chamber=found.chamber)
    latest = {}
    for reading in WhipStance.objects.filter(board__in=boards, official=found).order_by(
        "board_id", "-recorded_at", "-id"
    ):
        latest.setdefault(reading.board_id, reading)
    return [(board, latest.get(board.pk)) for board in boards]


def whip_row(actor: Actor, board: WhipBoard, found: Official) -> WhipRow:
    """The row of one official, as the board shows it (after a stance is saved)."""
    for row in whip_rows(actor, board, only=found):
        return row
    raise NotFound("That official")


def _targets(actor: Actor, board: WhipBoard) -> dict[int, list[Action]]:
    """Actions aimed at each official: those of the board's campaign if it has one."""
    if not actor.can("actions.view"):
        return {}
    targets = access.scoped(actor, ActionTarget.objects.select_related("action"))
    if board.campaign_id:
        targets = targets.filter(action__campaign_id=board.campaign_id)
    found: dict[int, list[Action]] = defaultdict(list)
    for target in targets.order_by("action__starts_at"):
        found[target.official_id].append(target.action)
    return found


def _district_number(found: Official) -> tuple[int, str]:
    code = found.district_code
    return (int(code), "") if code.isdigit() else (10**6, code)


# The inside/outside calendar ----------------------------------------------------------------


@dataclass
class CalendarEntry:
    starts_at: datetime
    title: str
    kind: str
    side: str  # "inside" (the legislature) or "outside" (actions)
    place: str = ""
    url_name: str = ""
    url_id: int | None = None
    campaign: str = ""
    uid: str = ""


def campaigns(actor: Actor) -> QuerySet[Campaign]:
    access.require(actor, VIEW)
    if not actor.can("actions.view"):
        return Campaign.objects.none()
    return access.scoped(actor, Campaign.objects.all())


def calendar(
    actor: Actor, *, campaign: Campaign | None = None, since: date | None = None
) -> list[CalendarEntry]:
    """Return inside events and outside actions on one timeline, from *since* on."""
    since = since or timezone.localdate() - timedelta(days=30)
    start = timezone.make_aware(datetime.combine(since, time.min))
    events = _scoped(
        actor, InsideEvent.objects.filter(starts_at__gte=start).select_related("campaign", "bill")
    )
    if campaign is not None:
        events = events.filter(campaign=campaign)
    entries = [
        CalendarEntry(
            event.starts_at,
            event.title,
            event.get_kind_display(),
            "inside",
            event.place,
            "legislature:bill" if event.bill_id else "",
            event.bill_id,
            str(event.campaign or ""),
            f"inside-{event.pk}",
        )
        for event in events
    ]
    if actor.can("actions.view"):
        actions = access.scoped(
            actor, Action.objects.filter(starts_at__gte=start).select_related("campaign")
        )
        if campaign is not None:
            actions = actions.filter(campaign=campaign)
        entries += [
            CalendarEntry(
                action.starts_at,
                action.title,
                action.get_kind_display(),
                "outside",
                action.place,
                "actions:action",
                action.pk,
                str(action.campaign or ""),
                f"action-{action.pk}",
            )
            for action in actions
        ]
    return sorted(entries, key=lambda entry: entry.starts_at)


def chambers_with_districts() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Chamber.choices if value in DISTRICT_KIND_OF_CHAMBER]


# The public scorecard page ------------------------------------------------------------------


def published_scorecards(org_slug: str) -> tuple[Organization, QuerySet[Scorecard]]:
    """Return the organization and the scorecards it published, or raise NotFound."""
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        raise NotFound("That scorecard")
    found = Scorecard.objects.filter(organization=organization, is_published=True)
    if not found.exists():
        raise NotFound("That scorecard")
    return organization, found


def published_scorecard(org_slug: str, scorecard_id: int) -> Scorecard:
    _, found = published_scorecards(org_slug)
    card = found.filter(pk=scorecard_id).select_related("organization").first()
    if card is None:
        raise NotFound("That scorecard")
    return card
