"""The rule that says a video played badly, at its edges: over the totals of every report."""
import pytest

from domain.licences.playback import PlaybackQuality


def _quality(watched=0, rebuffering=0, bitrate=4000, errors=0) -> PlaybackQuality:
    return PlaybackQuality(report_count=1, watched_seconds=watched, rebuffering_seconds=rebuffering,
                           average_bitrate_kbps=bitrate, error_count=errors)


@pytest.mark.parametrize(("quality", "problems"), [
    (_quality(watched=1800), []),
    # Rebuffering: 10% of what played, once 120 seconds played.
    (_quality(watched=108, rebuffering=12), ["REBUFFERING"]),
    (_quality(watched=109, rebuffering=12), []),
    (_quality(watched=90, rebuffering=29), []),  # 119 seconds: too little to judge
    (_quality(watched=0, rebuffering=120), ["REBUFFERING"]),
    # Low bitrate: below 1000 kbps over at least 600 seconds watched.
    (_quality(watched=600, bitrate=999), ["LOW_BITRATE"]),
    (_quality(watched=600, bitrate=1000), []),
    (_quality(watched=599, bitrate=10), []),
    # Errors: three or more.
    (_quality(errors=2), []),
    (_quality(errors=3), ["ERRORS"]),
    (_quality(watched=1000, rebuffering=500, bitrate=500, errors=5), ["REBUFFERING", "LOW_BITRATE", "ERRORS"]),
])
def test_the_poor_playback_rule(quality, problems):
    assert quality.problems == problems
    assert quality.poor is bool(problems)


def test_the_description_names_each_problem():
    assert _quality(watched=100, rebuffering=50, errors=4).describe() == \
        "it stalled to rebuffer for 50 of 150 seconds; 4 playback errors"
