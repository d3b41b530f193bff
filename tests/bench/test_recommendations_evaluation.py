"""The offline evaluation still runs: `bench/recommendations.py --smoke`, started as a user starts
it, prints the three models on one split and ends with the shipped model's line; it records no
result. Its figures are not checked here (a subset of readers says little), only their shape."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"
LAST = re.compile(r"^shipped HR@10 (\d\.\d{3}) NDCG@10 (\d\.\d{3})$")


def test_the_recommendations_benchmark_compares_three_models_and_ends_with_the_shipped_line():
    before = sorted(RESULTS.iterdir()) if RESULTS.exists() else []
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "recommendations.py"), "--smoke"], cwd=ROOT,
                         capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    rows = [line.split("|")[1:-1] for line in lines if line.startswith("| ") and not line.startswith("| model")]
    assert [r[0].strip().split(":")[0] for r in rows] == ["most popular", "item-to-item cosine (2003)", "shipped"]
    last = LAST.match(lines[-1])
    assert last, lines[-1]
    shipped = rows[-1]
    assert (shipped[1].strip(), shipped[2].strip()) == last.groups()
    for row in rows:
        assert 0.0 <= float(row[1]) <= 1.0 and 0.0 <= float(row[2]) <= float(row[1])
    assert (sorted(RESULTS.iterdir()) if RESULTS.exists() else []) == before
