"""Load the fictional demo organizations. Runs as a job (`demo.load`) so its progress shows.

Everything here is invented: the organizations, the affiliates, the people and their emails
(all under the reserved `.example` domain). Nothing refers to a real person.
"""

from dataclasses import dataclass

from django.db import transaction

from powerbase.coalition.models import Affiliate
from powerbase.coalition.services import create_affiliate, grant_affiliate
from powerbase.core import services
from powerbase.core.jobs import Progress
from powerbase.core.models import Job, Organization, Role, User

DEMO_PASSWORD = "organize-the-base"  # noqa: S105 - printed for the demo on purpose
STATE_SLUG = "nutmeg"
LOCAL_SLUG = "elm-city"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    organization: str
    role: str


DEMO_LOGINS = [
    DemoLogin("owner@nutmeg.example", "Odessa Owens", STATE_SLUG, Role.OWNER),
    DemoLogin("admin@nutmeg.example", "Abel Adeyemi", STATE_SLUG, Role.ADMIN),
    DemoLogin("organizer@nutmeg.example", "Rosa Quintero-Vale", STATE_SLUG, Role.ORGANIZER),
    DemoLogin("data@nutmeg.example", "Dmitri Castellanos", STATE_SLUG, Role.DATA),
    DemoLogin("lead@nutmeg.example", "Lena Okafor", STATE_SLUG, Role.AFFILIATE_LEAD),
    DemoLogin("leader@nutmeg.example", "Marcus Bellweather", STATE_SLUG, Role.LEADER),
    DemoLogin("viewer@nutmeg.example", "Vera Lindqvist", STATE_SLUG, Role.VIEWER),
    DemoLogin("owner@elmcity.example", "Tomasz Achebe", LOCAL_SLUG, Role.OWNER),
    # The statewide organizer also organizes the local chapter: the switcher has two entries.
    DemoLogin("organizer@nutmeg.example", "Rosa Quintero-Vale", LOCAL_SLUG, Role.ADMIN),
]

STATE_AFFILIATES = [
    ("Nutmeg Educators Association Local 12 (fictional)", Affiliate.Kind.LABOR_UNION),
    ("Quinnipiac Tenants Union (fictional)", Affiliate.Kind.TENANT_UNION),
    ("Greater Hartford Interfaith Table (fictional)", Affiliate.Kind.FAITH),
    ("Home Care Workers United 1199-Z (fictional)", Affiliate.Kind.LABOR_UNION),
    ("Naugatuck Valley Worker Center (fictional)", Affiliate.Kind.WORKER_CENTER),
    ("Students for Nutmeg Futures (fictional)", Affiliate.Kind.STUDENT),
]
LOCAL_AFFILIATES = [
    ("Elm City Bus Riders Union (fictional)", Affiliate.Kind.COMMUNITY),
    ("Fair Haven Tenants Council (fictional)", Affiliate.Kind.TENANT_UNION),
]


def demo_exists() -> bool:
    return Organization.objects.filter(slug=STATE_SLUG).exists()


def load_demo(job: Job, progress: Progress) -> dict:
    """Create the demo organizations, affiliates and users, all in one transaction."""
    if demo_exists():
        return {"status": "already loaded"}
    steps = 3
    with transaction.atomic():
        progress.update(0, total=steps, message="Creating the organizations")
        state = services.create_organization(
            name="Nutmeg For All", slug=STATE_SLUG, level=Organization.Level.STATE, state="CT")
        local = services.create_organization(
            name="Elm City For All", slug=LOCAL_SLUG, level=Organization.Level.LOCAL,
            state="CT", parent=state)
        organizations = {STATE_SLUG: state, LOCAL_SLUG: local}
        progress.update(1, message="Creating affiliates")
        affiliates = [create_affiliate(actor=None, organization=state, name=name, kind=kind)
                      for name, kind in STATE_AFFILIATES]
        for name, kind in LOCAL_AFFILIATES:
            create_affiliate(actor=None, organization=local, name=name, kind=kind)
        progress.update(2, message="Creating demo users")
        for login in DEMO_LOGINS:
            user = User.objects.filter(email=login.email).first() or services.create_user(
                email=login.email, name=login.name, password=DEMO_PASSWORD)
            membership = services.grant_role(organization=organizations[login.organization],
                                             user=user, role=login.role)
            if login.role == Role.AFFILIATE_LEAD:
                # The demo lead speaks for the tenant union only.
                grant_affiliate(membership=membership, affiliate=affiliates[1])
        progress.update(3, message="Done")
    return {"organizations": 2, "affiliates": len(STATE_AFFILIATES) + len(LOCAL_AFFILIATES),
            "users": len({login.email for login in DEMO_LOGINS})}
