"""Every probability falls in exactly one band."""

import pytest

from powerbase.identity.linkage import Band, Thresholds, band


@pytest.mark.parametrize(
    "probability, expected",
    [
        (0.999, Band.AUTO_ACCEPT),
        (0.95, Band.AUTO_ACCEPT),
        (0.94, Band.REVIEW),
        (0.5, Band.REVIEW),
        (0.49, Band.REJECT),
        (0.0, Band.REJECT),
    ],
)
def test_default_bands(probability, expected):
    assert band(probability) is expected


def test_bands_follow_the_thresholds_given():
    assert band(0.9, Thresholds(auto_accept=0.9, review=0.2)) is Band.AUTO_ACCEPT
    assert band(0.3, Thresholds(auto_accept=0.9, review=0.2)) is Band.REVIEW


def test_a_review_threshold_above_the_auto_accept_threshold_is_refused():
    with pytest.raises(ValueError, match="review <= auto_accept"):
        Thresholds(auto_accept=0.6, review=0.8)
