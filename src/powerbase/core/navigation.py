"""The domains in the main navigation, where each one lives once it is built, and the links
to the organization's settings pages under them.

A domain whose `url_name` is None shows a short "coming" page instead of a broken link.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    key: str
    label: str
    summary: str
    url_name: str | None = None
    permission: str = "org.view"


DOMAINS: list[Domain] = [
    Domain(
        "people",
        "People",
        "Everyone in the base: contact points, demographics they chose to "
        "share, tags, notes, one-on-ones and the leadership ladder.",
        url_name="people:people",
        permission="people.view",
    ),
    Domain(
        "coalition",
        "Affiliates",
        "The unions, tenant unions, congregations and community "
        "groups in the coalition, their members and what they share.",
        url_name="coalition:affiliates",
        permission="affiliates.view",
    ),
    Domain(
        "imports",
        "Imports",
        "Load an affiliate's list from CSV or Excel: map columns, read "
        "the validation report, commit, undo.",
        url_name="imports:imports",
        permission="imports.view",
    ),
    Domain(
        "identity",
        "Duplicates",
        "Find people entered twice across lists and link members to their voter registration.",
        url_name="identity:overview",
        permission="identity.review",
    ),
    Domain(
        "voterfile",
        "Voter file",
        "The state voter file and vote history, and the districts drawn from it.",
        url_name="voterfile:overview",
        permission="voterfile.view",
    ),
    Domain(
        "actions",
        "Actions",
        "Campaigns, actions as structure tests, commitments, RSVPs and check-in.",
        url_name="actions:actions",
        permission="actions.view",
    ),
    Domain(
        "messaging",
        "Messages",
        "Email and texts to a list, a universe or an action's RSVPs, with consent; RSVP "
        "confirmations and reminders.",
        url_name="messaging:messages",
        permission="messages.view",
    ),
    Domain(
        "electoral",
        "Elections",
        "Elections and results, the candidate pipeline and endorsements.",
        url_name="electoral:overview",
        permission="electoral.view",
    ),
    Domain(
        "field",
        "Field",
        "Universes, turf, walk and phone lists, canvassing on a phone and progress against goals.",
        url_name="field:overview",
        permission="electoral.view",
    ),
    Domain(
        "canvass",
        "Canvass",
        "Open your turf on a phone and record each door.",
        url_name="field:canvass_turfs",
        permission="field.canvass",
    ),
    Domain(
        "legislature",
        "Legislature",
        "Officials, the bloc, the platform, bills, roll-call votes, scorecards and whip counts.",
        url_name="legislature:officials",
        permission="legislature.view",
    ),
    Domain(
        "democracy",
        "Democracy",
        "Assemblies, proposals, secret ballots and counts anyone can audit.",
        url_name="democracy:overview",
        permission="democracy.view",
    ),
    Domain(
        "education",
        "Democracy School",
        "Curricula, cohorts, sessions, attendance and skills.",
        url_name="school:programs",
        permission="education.view",
    ),
    Domain(
        "bargaining",
        "Bargaining",
        "Affiliates' contract campaigns for the common good, the calendar of expirations and "
        "the demands won.",
        url_name="bargaining:overview",
        permission="bargaining.view",
    ),
    Domain(
        "resources",
        "Resources",
        "Dues, donations, budgets and the capacity of staff and volunteers.",
        url_name="money:dashboard",
        permission="resources.view",
    ),
    Domain(
        "power",
        "Power map",
        "District by district: the organized base against the votes it takes to win.",
        url_name="power:map",
        permission="power.view",
    ),
    Domain("network", "Network", "State and local IPOs on one install, and roll-ups across them."),
]

DOMAINS_BY_KEY = {domain.key: domain for domain in DOMAINS}


@dataclass(frozen=True)
class SettingsLink:
    """A page about running the organization rather than organizing: below the domains."""

    label: str
    url_name: str
    permission: str = "org.view"


SETTINGS_LINKS: list[SettingsLink] = [
    SettingsLink("Jobs", "core:jobs", "jobs.view"),
    SettingsLink("Users & roles", "core:members", "members.view"),
    SettingsLink("Audit log", "core:audit_log", "audit.view"),
    # Everyone may make API keys of their own; admins also manage webhooks there.
    SettingsLink("API keys & webhooks", "api:settings"),
    SettingsLink("Settings", "core:settings", "org.manage"),
]
