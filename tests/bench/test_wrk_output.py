"""Reading wrk's report, the part of a measured run that a smoke run (Python load loop) skips."""
import pytest

from bench.load import Load, combined, parse_wrk, percentile, percentile_of_counts

# wrk 4.1.0 --latency, with the lines it adds when requests fail.
REPORT = """Running 10s test @ http://127.0.0.1:18777/graphql
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    35.75ms   11.59ms   1.07s    86.85%
    Req/Sec   406.20    43.31   540.00     72.73%
  Latency Distribution
     50%   34.09ms
     75%   41.98ms
     90%   48.97ms
     99%    1.07s
  4063 requests in 10.01s, 29.98MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    406.00
Transfer/sec:      2.99MB
"""


def test_wrk_report_gives_throughput_percentiles_in_ms_and_every_failure():
    load = parse_wrk(REPORT)

    assert load.rps == 406.0
    assert load.p50_ms == pytest.approx(34.09)
    assert load.p99_ms == pytest.approx(1070.0)
    assert load.failures == 6


def test_wrk_report_without_latency_distribution_is_refused():
    with pytest.raises(SystemExit, match="Unexpected wrk output"):
        parse_wrk(REPORT.replace("     50%   34.09ms\n", ""))


def test_wrk_report_gives_every_requests_latency_from_the_scripts_last_line():
    load = parse_wrk(REPORT + "Latencies: 900:2 34090:5 1070000:1\n")

    assert load.latencies == ((900, 2), (34090, 5), (1070000, 1))
    assert parse_wrk(REPORT).latencies == ()


def test_percentile_of_counts_is_the_percentile_of_the_values_they_stand_for():
    values = [3, 1, 1, 7, 7, 7, 2, 9, 1, 4]
    pairs = [(v, values.count(v)) for v in set(values)]

    for q in (0, 0.1, 0.5, 0.9, 0.99, 1):
        assert percentile_of_counts(pairs, q) == percentile(values, q)
    # The nearest rank of the sorted values 1 1 1 2 3 4 7 7 7 9.
    assert [percentile(values, q) for q in (0, 0.1, 0.5, 0.9, 0.99, 1)] == [1, 1, 3, 7, 9, 9]


def test_combined_drives_take_percentiles_over_all_their_requests_and_keep_the_worst_drives_p99():
    # A 1 s stall in the second drive: past its own 1%, within 1% of both drives' requests.
    steady = Load(rps=400, p50_ms=10.0, p99_ms=12.0, failures=0, latencies=((10_000, 190), (12_000, 10)))
    stalled = Load(rps=200, p50_ms=10.0, p99_ms=1000.0, failures=1,
                   latencies=((10_000, 180), (12_000, 18), (1_000_000, 2)))

    both = combined([steady, stalled])

    assert both.rps == 300
    assert both.p50_ms == 10.0
    assert both.p99_ms == 12.0
    assert both.worst_drive_p99_ms == 1000.0
    assert both.failures == 1
    assert both.latencies == ((10_000, 370), (12_000, 28), (1_000_000, 2))


def test_drives_without_latencies_are_not_combined():
    with pytest.raises(ValueError, match="without its latencies"):
        combined([parse_wrk(REPORT)])
