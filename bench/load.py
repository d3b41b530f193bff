"""Load generators: wrk for measured runs, a small Python loop for smoke runs (which must not
depend on wrk being installable)."""
from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    failures: int
    # Every request's latency: (microseconds, requests) pairs, so that drives can be combined
    # into percentiles over all their requests (empty where the generator gave none).
    latencies: tuple[tuple[int, int], ...] = ()
    # Of drives combined (`combined`): the worst of their own p99s.
    worst_drive_p99_ms: float | None = None


def percentile(values: list[float], q: float) -> float:
    """The value at rank `q` (0 to 1) of `values`, the nearest rank rounded."""
    return percentile_of_counts(Counter(values).items(), q)


def percentile_of_counts(latencies: Iterable[tuple[float, int]], q: float) -> float:
    """`percentile` of the values that (value, count) pairs stand for, without listing them."""
    ordered = sorted(latencies)
    total = sum(count for _, count in ordered)
    rank = min(total - 1, max(0, round(q * (total - 1))))
    for value, count in ordered:
        if rank < count:
            return value
        rank -= count
    raise ValueError("no latencies")


def combined(drives: list[Load]) -> Load:
    """Drives of one server as one load: the mean of their req/s, the percentiles of all their
    requests together, and the worst of their own p99s beside. One stall of the machine (a
    moment the server, the database or wrk waits for a core) holds up every connection at once:
    in a drive of a few seconds that is past its 1%, in all the drives together it is not."""
    merged: Counter[int] = Counter()
    for drive in drives:
        if not drive.latencies:
            raise ValueError("a drive without its latencies cannot be combined")
        merged.update(dict(drive.latencies))
    latencies = tuple(sorted(merged.items()))
    return Load(rps=sum(drive.rps for drive in drives) / len(drives),
                p50_ms=percentile_of_counts(latencies, 0.5) / 1000,
                p99_ms=percentile_of_counts(latencies, 0.99) / 1000,
                failures=sum(drive.failures for drive in drives),
                latencies=latencies,
                worst_drive_p99_ms=max(drive.p99_ms for drive in drives))


# --- wrk --------------------------------------------------------------------------------------

_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open([==[{path}]==], "rb"))
wrk.body = file:read("*a")
file:close()

-- Every request's latency in microseconds, as value:count pairs after the report.
done = function(summary, latency, requests)
  local parts = {{}}
  for i = 1, #latency do
    local value, count = latency(i)
    parts[#parts + 1] = string.format("%d:%d", value, count)
  end
  io.write("Latencies: " .. table.concat(parts, " ") .. "\\n")
end
"""
# A header value in a Lua long string: JSON Web Tokens and the like need no escaping there.
_LUA_HEADER = 'wrk.headers["{name}"] = [==[{value}]==]\n'
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _find(pattern: str, output: str) -> re.Match[str]:
    found = re.search(pattern, output, re.MULTILINE)
    if found is None:
        raise SystemExit(f"Unexpected wrk output (no {pattern!r}):\n{output}")
    return found


def _ms(text: str) -> float:
    value, unit = _find(r"^([\d.]+)(us|ms|s|m|h)$", text).groups()
    return float(value) * _UNITS_MS[unit]


def parse_wrk(output: str) -> Load:
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(_find(r"^\s+50%\s+(\S+)", output).group(1))
    p99 = _ms(_find(r"^\s+99%\s+(\S+)", output).group(1))
    failures = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors:
        failures += sum(int(n) for n in errors.groups())
    latencies = re.search(r"^Latencies: ([\d: ]*)$", output, re.MULTILINE)
    pairs = tuple((int(value), int(count)) for value, count in
                  (pair.split(":") for pair in latencies.group(1).split())) if latencies else ()
    return Load(rps, p50, p99, failures, pairs)


def run_wrk(url: str, body: dict[str, Any], name: str, work: Path, *, threads: int, connections: int,
            duration: int, warmup: int, headers: dict[str, str] | None = None) -> Load:
    """wrk posting `body` with `headers` (beside its JSON content type) on every request."""
    body_file = work / f"{name}.json"
    body_file.write_text(json.dumps(body))
    script = body_file.with_suffix(".lua")
    script.write_text(_LUA.format(path=body_file)
                      + "".join(_LUA_HEADER.format(name=k, value=v) for k, v in (headers or {}).items()))
    base = ["wrk", "-t", str(threads), "-c", str(connections), "-s", str(script)]
    if warmup:
        subprocess.run([*base, "-d", f"{warmup}s", url], check=True, capture_output=True)
    result = subprocess.run([*base, "-d", f"{duration}s", "--latency", url], check=True,
                            capture_output=True, text=True)
    return parse_wrk(result.stdout)


def wrk_version() -> str:
    return subprocess.run(["wrk", "-v"], check=False, capture_output=True, text=True).stdout.split(" [")[0]


def ensure_wrk() -> bool:
    return ensure_tool("wrk", "wrk")


def ensure_tool(command: str, package: str) -> bool:
    """Whether `command` is there, installing its Debian `package` with apt where we may (root on
    Debian/Ubuntu), so a fresh machine needs no manual step; anywhere else the user is told how."""
    if shutil.which(command) is not None:
        return True
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    print(f"installing {package} with apt-get...", file=sys.stderr)
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        if subprocess.run(step, stdout=subprocess.DEVNULL).returncode != 0:
            return False
    return shutil.which(command) is not None


# --- the Python loop --------------------------------------------------------------------------

def run_python(url: str, body: dict[str, Any], *, connections: int, duration: float, warmup: float,
               headers: dict[str, str] | None = None) -> Load:
    """`connections` clients posting `body` with `headers` back to back for `duration` seconds
    after `warmup`; as wrk, a non-2xx/3xx answer or a transport error counts as a failure."""
    return asyncio.run(_python_load(url, json.dumps(body).encode(), connections, duration, warmup, headers or {}))


async def _python_load(url: str, body: bytes, connections: int, duration: float, warmup: float,
                       extra_headers: dict[str, str]) -> Load:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Content-Type": "application/json", **extra_headers}
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def client_loop(until: float, latencies: list[float], failures: list[int]) -> None:
            while time.perf_counter() < until:
                started = time.perf_counter()
                try:
                    response = await client.post(url, content=body, headers=headers)
                    failed = response.status_code >= 400
                except httpx.HTTPError:
                    failed = True
                latencies.append(time.perf_counter() - started)
                failures.append(int(failed))

        async def phase(seconds: float) -> tuple[list[float], list[int], float]:
            latencies: list[float] = []
            failures: list[int] = []
            started = time.perf_counter()
            await asyncio.gather(*(client_loop(started + seconds, latencies, failures) for _ in range(connections)))
            return latencies, failures, time.perf_counter() - started

        if warmup:
            await phase(warmup)
        latencies, failures, elapsed = await phase(duration)
    return Load(len(latencies) / elapsed, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000,
                sum(failures), tuple(sorted(Counter(round(seconds * 1e6) for seconds in latencies).items())))
