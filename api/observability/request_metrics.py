"""The per-request series of /metrics, counted in plain numbers and read at scrape time.

`tributary_http_requests_total{method, path, status}` and the histogram
`tributary_http_request_seconds{path}`, as prometheus_client's `Counter` and `Histogram` export
them. Those take a lock and run several methods per observation (a few hundred bytecodes per
request); every request is counted by the one event loop that serves it and that also answers
/metrics, so a dict of numbers is enough, turned into Prometheus's families when scraped.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client.core import REGISTRY, CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
# Distinct (method, path, status) series kept: the method is the client's to choose.
MAX_SERIES = 1024
_OTHER_METHOD = "OTHER"


class CountsByLabels:
    """A counter family (`<name>_total`) kept as a dict of label values to counts: what one event
    loop counts per request without prometheus_client's lock and calls, registered as a collector."""

    def __init__(self, name: str, documentation: str, labels: list[str]) -> None:
        self.name, self.documentation, self.labels = name, documentation, labels
        self.counts: dict[tuple, int] = {}  # label values (written with `str`) -> count

    def inc(self, *values: object) -> None:
        self.counts[values] = self.counts.get(values, 0) + 1

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(self.name, self.documentation, labels=self.labels)
        for values, count in list(self.counts.items()):
            family.add_metric([str(value) for value in values], count)
        yield family


class RequestMetrics:
    """Requests by method, path and status, and their durations by path."""

    def __init__(self) -> None:
        self.requests = CountsByLabels("tributary_http_requests", "HTTP requests", ["method", "path", "status"])
        # path -> the count in each bucket (the last one above every bound), and the seconds in all
        self.buckets: dict[str, list[int]] = {}
        self.seconds: dict[str, float] = {}

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        counts = self.requests.counts
        key = (method, path, status)
        count = counts.get(key)
        if count is None and len(counts) >= MAX_SERIES:
            key = (_OTHER_METHOD, path, status)
            count = counts.get(key)
        counts[key] = 1 if count is None else count + 1
        buckets = self.buckets.get(path)
        if buckets is None:
            buckets = self.buckets[path] = [0] * (len(BUCKETS) + 1)
            self.seconds[path] = 0.0
        buckets[bisect_left(BUCKETS, seconds)] += 1  # a bucket counts what is at most its bound
        self.seconds[path] += seconds

    def collect(self) -> Iterator[Metric]:
        yield from self.requests.collect()
        latency = HistogramMetricFamily("tributary_http_request_seconds", "HTTP request latency", labels=["path"])
        for path, counts in list(self.buckets.items()):
            cumulative, buckets = 0, []
            for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
                cumulative += count
                buckets.append((floatToGoString(bound), cumulative))
            latency.add_metric([path], buckets, self.seconds[path])
        yield latency


REQUEST_METRICS = RequestMetrics()
REGISTRY.register(REQUEST_METRICS)
