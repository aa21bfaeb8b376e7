"""``progress="hidden"`` is the engine as it was before the visible target (issue 10), bit for bit.

``tests/reference/campaign_hidden.json`` was written by this module (``python -m
tests.test_progress_hidden``) on the code before visible progress existed: a few campaigns'
summaries and the sha256 of their daily and fan tables, and a replicate table. Hidden progress
must reproduce them exactly, same seed, same results.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from analysis.engine.campaign import run_campaign
from analysis.engine.montecarlo import replicates
from analysis.engine.scenario import Scenario

REFERENCE = Path(__file__).parent / "reference" / "campaign_hidden.json"
HIDDEN = {"progress": "hidden"}  # (absent, i.e. {}, when the reference was recorded)
CASES = {
    "defaults": {},
    "small": {"population": 3000, "seeds": 100, "target": 60, "days": 10},
    "bots_no_pledge": {"population": 3000, "seeds": 100, "target": 60, "days": 10,
                       "bot_likes_per_day": 5.0, "pledge": False},
    "wide_feed": {"population": 5000, "seeds": 80, "target": 120, "feed_reach": 0.4,
                  "page_reach_per_day": 0.01},
}


def _sha(frame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


# the tables' columns as they were before issue 10 (later columns may be added)
DAILY = ["day", "open_eyed", "closed_eyed", "bots", "exposed", "shares", "likes_no_pledge",
         "likes", "cumulative", "cum_open_eyed", "cum_closed_eyed", "cum_bots", "cum_no_pledge"]
FANS = ["person", "day", "label", "channel", "referrer"]


def fingerprint() -> dict:
    """Summaries, table hashes and a replicate table under hidden progress."""
    out = {}
    for name, changes in CASES.items():
        r = run_campaign(Scenario(**HIDDEN, **changes), rng=np.random.default_rng(11))
        out[name] = {"summary": r.summary(), "daily": _sha(r.daily[DAILY]),
                     "fans": _sha(r.fans[FANS])}
    table = replicates(Scenario(**HIDDEN, **CASES["small"]), 6, seed=5, progress=False)
    cols = ["replicate", "likes", "open_eyed_likes", "closed_eyed_likes", "likes_without_pledge",
            "people_exposed", "day_target_reached"]
    out["replicates"] = json.loads(table[cols].to_json(orient="records"))
    return json.loads(json.dumps(out))


def test_hidden_progress_reproduces_the_engine_before_issue_10():
    reference, now = json.loads(REFERENCE.read_text()), fingerprint()
    assert now["replicates"] == reference["replicates"]
    for name in CASES:
        assert now[name]["daily"] == reference[name]["daily"], name
        assert now[name]["fans"] == reference[name]["fans"], name
        before = reference[name]["summary"]  # keys added since may follow; none may change
        assert {k: now[name]["summary"][k] for k in before} == before, name


if __name__ == "__main__":
    REFERENCE.write_text(json.dumps(fingerprint(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {REFERENCE}")
