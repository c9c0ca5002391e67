"""Generate large synthetic banks for benchmarks and scale tests (never committed).

    python bench/genbank.py 10000 /tmp/big.toml     # or .json
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

DOMAINS = [("org", 26), ("new", 29), ("imp", 25), ("mig", 20)]
TOPICS = [f"Topic {i:02d}" for i in range(60)]
WORDS = (
    "account", "region", "workload", "latency", "replica", "policy", "bucket", "queue",
    "cluster", "gateway", "subnet", "encryption", "failover", "snapshot", "pipeline",
    "budget", "tenant", "endpoint",
)


def bank_data(count: int, seed: int = 1, compact: bool = False) -> dict:
    """``compact``: short texts (a few words each, no explanations), for banks of
    100,000 questions built in memory (bench/bench_scale.py), where only the count matters."""
    rnd = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(n))

    questions = []
    for i in range(count):
        n_options = rnd.choice((4, 4, 4, 5, 6))
        choose = 1 if n_options == 4 else n_options - 3
        answer = sorted(rnd.sample("ABCDEF"[:n_options], choose))
        questions.append({
            "id": f"q-{i:05d}",
            "domain": DOMAINS[i % len(DOMAINS)][0],
            "topics": rnd.sample(TOPICS, 2),
            "stem": f"Question {i}: " + words(rnd.randint(*((4, 8) if compact else (60, 200))))
            + "?",
            "options": [{"text": f"{chr(65 + k)}) " + words(rnd.randint(*((1, 3) if compact
                                                                          else (8, 30)))),
                         "why": None if compact else words(rnd.randint(8, 20))}
                        for k in range(n_options)],
            "answer": answer,
            "explanation": "" if compact else words(rnd.randint(30, 80)),
        })
    return {
        "bank": {"id": "big", "title": f"Generated bank of {count} questions",
                 "time_limit": 180, "questions_per_exam": 75,
                 "scaled_score": {"min": 100, "max": 1000, "pass": 750}},
        "domains": [{"id": d, "name": d.upper(), "weight": w} for d, w in DOMAINS],
        "questions": questions,
    }


def write_bank(count: int, path: Path, seed: int = 1) -> Path:
    data = bank_data(count, seed)
    if path.suffix == ".json":
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        import tomli_w

        path.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    return path


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/bank-{n}.toml")
    write_bank(n, out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
