"""The request series of /metrics (api/observability/request_metrics.py) read as prometheus_client's
own `Counter` and `Histogram` would export the same requests."""
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from api.observability.request_metrics import BUCKETS, MAX_SERIES, RequestMetrics

REQUESTS = [("POST", "/graphql", 200, 0.0031), ("POST", "/graphql", 200, 0.001), ("GET", "/graphql", 304, 0.0004),
            ("POST", "/graphql", 400, 2.5), ("GET", "/healthz", 200, 7.0), ("POST", "/graphql", 200, 0.0025)]


def exported(registry: CollectorRegistry) -> set[str]:
    """The exposition's lines but the `_created` timestamps, which only the library's series have."""
    return {line for line in generate_latest(registry).decode().splitlines() if "_created" not in line}


def test_the_series_read_as_prometheus_clients_own():
    ours, theirs = CollectorRegistry(), CollectorRegistry()
    metrics = RequestMetrics()
    ours.register(metrics)
    counter = Counter("tributary_http_requests_total", "HTTP requests", ["method", "path", "status"], registry=theirs)
    histogram = Histogram("tributary_http_request_seconds", "HTTP request latency", ["path"], buckets=BUCKETS,
                          registry=theirs)
    for method, path, status, seconds in REQUESTS:
        metrics.observe(method, path, status, seconds)
        counter.labels(method, path, str(status)).inc()
        histogram.labels(path).observe(seconds)
    assert exported(ours) == exported(theirs)
    assert 'tributary_http_requests_total{method="POST",path="/graphql",status="200"} 3.0' in exported(ours)


def test_methods_past_the_series_limit_are_counted_together():
    metrics = RequestMetrics()
    for number in range(MAX_SERIES + 5):
        metrics.observe(f"M{number}", "other", 405, 0.001)
    assert len(metrics.requests.counts) == MAX_SERIES + 1
    assert metrics.requests.counts[("OTHER", "other", 405)] == 5
    assert sum(metrics.buckets["other"]) == MAX_SERIES + 5
