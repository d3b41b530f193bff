"""Reading wrk's report, the part of a measured run that a smoke run (Python load loop) skips."""
import pytest

from bench.load import parse_wrk

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
