"""The duplicate review shows a pair's contact values only where the one visibility rule would."""

from powerbase.identity import queries
from powerbase.identity.models import CandidatePair, IdentityRun
from powerbase.people.models import PhoneNumber
from tests.conftest import add_member


def review_pair(nutmeg, left, right) -> CandidatePair:
    run = IdentityRun.objects.create(
        organization=nutmeg,
        kind=IdentityRun.Kind.DEDUPE,
        auto_accept_threshold=0.95,
        review_threshold=0.5,
    )
    return CandidatePair.objects.create(
        organization=nutmeg,
        run=run,
        left=left,
        right=right,
        probability=0.8,
        band=CandidatePair.Band.REVIEW,
        left_record={"first_name": "bill", "phone": "+12035550109"},
        right_record={"first_name": "william", "phone": "+12035550109"},
        fields=[
            {
                "comparison": "phone",
                "left": "+12035550109",
                "right": "+12035550109",
                "agreement": "exact",
            }
        ],
    )


def test_a_fact_one_affiliate_withholds_masks_the_pair_even_when_another_shares(
    base, data_director, nutmeg, tenant_union, teachers_union
):
    tenant_union.share_contact = True
    tenant_union.save()
    bill, william = base["bill"], base["william"]
    teachers_source = add_member(nutmeg, teachers_union, "Other", "Teacher").source
    PhoneNumber.objects.create(
        organization=nutmeg,
        person=bill,
        source=teachers_source,
        e164="+12035550777",
        digits_reversed="7770550302",
    )

    shown = queries.pair_view(data_director, review_pair(nutmeg, bill, william))

    assert "+12035550109" not in str(shown.left_facts)
    assert shown.rows[0]["left"] == queries.NOT_SHARED


def test_a_pair_whose_every_fact_is_shared_shows_its_values(
    base, data_director, nutmeg, tenant_union, teachers_union
):
    for affiliate in (tenant_union, teachers_union):
        affiliate.share_contact = True
        affiliate.save()
    shown = queries.pair_view(data_director, review_pair(nutmeg, base["bill"], base["william"]))
    assert ("Phone", "+12035550109") in shown.left_facts
