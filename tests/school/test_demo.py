"""The Democracy School demo: a cohort half-way through, loaded once through services."""

import datetime

from powerbase.core import access
from powerbase.demo.school import HELD, SESSIONS, load_school_demo
from powerbase.school import queries
from powerbase.school.models import Cohort, Material
from tests.conftest import add_member


def test_the_demo_cohort_is_half_way_and_loads_once(nutmeg, tenant_union, teachers_union, data_dir):
    for number in range(4):
        add_member(nutmeg, tenant_union, f"Tenant{number}", "Fictional")
        add_member(nutmeg, teachers_union, f"Teacher{number}", "Fictional")
    today = datetime.date(2026, 12, 7)
    loaded = load_school_demo(nutmeg, today=today)
    assert loaded["sessions held"] == HELD
    assert load_school_demo(nutmeg, today=today) == {"status": "already loaded"}
    cohort = Cohort.objects.get(organization=nutmeg)
    assert cohort.starts_on < today < cohort.ends_on
    assert cohort.facilitators.count() == 2
    system = access.system(nutmeg)
    rows = queries.participants(system, cohort)
    assert len(rows) == loaded["participants"] >= 4
    assert {row.participant.nominating_affiliate for row in rows} == {tenant_union, teachers_union}
    assert all(row.progress.sessions == SESSIONS for row in rows)
    assert sum(row.progress.attended for row in rows) > 0
    assert not any(row.participant.graduated_on for row in rows)
    handout = Material.objects.get(organization=nutmeg, title="First evening's agenda")
    _, path = queries.material_file(system, handout.pk)
    assert path.read_text().startswith("Democracy School, session 1 (fictional)")
