"""`python -m analysis estimate ...`: results on good input, one-line errors on bad input."""

from __future__ import annotations

import json

import pytest

from analysis import paths
from analysis.cli import main

EXAMPLES = paths.DATA / "examples"
FANS_HEADER = "fan_id,cohort,exposures,engagements\n"
GOOD_FANS = FANS_HEADER + "1,organic,5,1\n2,organic,4,0\n3,campaign,6,0\n4,campaign,3,2\n"


def daily_text(days: int = 35, start: str = "2010-10-01") -> str:
    import pandas as pd
    dates = pd.date_range(start, periods=days, freq="D").strftime("%Y-%m-%d")
    likes = [5 + (i % 7 == 5) * 2 + (i >= 28) * 30 for i in range(days)]
    return "date,new_likes\n" + "".join(f"{d},{n}\n" for d, n in zip(dates, likes, strict=True))


GOOD_DAILY = daily_text()
WINDOW = ["--campaign-start", "2010-10-29", "--campaign-end", "2010-11-04"]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- good input --------------------------------------------------------------------------------
def test_ab_json_has_the_promised_fields(capsys):
    code, out, err = run(["estimate", "ab", "--asked-with", "2000", "--liked-with", "400",
                          "--asked-without", "2000", "--liked-without", "100", "--json"], capsys)
    assert code == 0 and err == ""
    d = json.loads(out)
    for key in ("method", "estimate", "ci_low", "ci_high", "assumption", "n"):
        assert key in d
    assert d["method"] == "ab" and d["n"] == 4000
    assert d["estimate"] == pytest.approx(0.75)
    assert d["ci_low"] < 0.75 < d["ci_high"]


def test_ab_readable_output(capsys):
    code, out, _ = run(["estimate", "ab", "--asked-with", "2000", "--liked-with", "400",
                        "--asked-without", "2000", "--liked-without", "100"], capsys)
    assert code == 0
    assert "Closed-eyes share" in out and "75.0%" in out and "Assumption:" in out


@pytest.mark.parametrize("method", ["ratio", "mixture", "mixture-nb"])
def test_cohorts_example_file(method, capsys):
    code, out, err = run(["estimate", "cohorts", str(EXAMPLES / "cohorts.csv"), "--method", method,
                          "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["method"] == method and d["n"] == 600
    assert 0 < d["ci_low"] < d["estimate"] < d["ci_high"] < 1


def test_daily_example_file(capsys):
    code, out, err = run(["estimate", "daily", str(EXAMPLES / "daily.csv"), "--campaign-start",
                          "2010-11-06", "--campaign-end", "2010-11-19"], capsys)
    assert code == 0, err
    assert "UPPER BOUND" in out


def test_daily_json_is_an_upper_bound(tmp_path, capsys):
    f = tmp_path / "daily.csv"
    f.write_text(GOOD_DAILY, encoding="utf-8")
    code, out, err = run(["estimate", "daily", str(f), *WINDOW, "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["method"] == "its" and d["target"] == "upper bound on s"
    assert 0.8 < d["estimate"] < 0.9   # 35 a day in the window over a baseline near 5


# --- bad input: one line, exit code 2, nothing written -------------------------------------------
def _bad_bytes(text: str) -> bytes:
    return text.encode("utf-8").replace(b"organic,4", b"organ\xe9c,4")


FAN_CASES = {
    "missing file": (None, "no such file"),
    "empty file": (b"", "empty"),
    "header only": (FANS_HEADER.encode(), "only a header"),
    "missing column": (b"fan_id,cohort,exposures\n1,organic,5\n", "missing column"),
    "misspelled column": (b"fan_id,cohort,exposure,engagements\n1,organic,5,1\n", "misspelled"),
    "semicolons": (GOOD_FANS.replace(",", ";").encode(), "semicolons"),
    "non-numeric": (GOOD_FANS.replace("3,campaign,6,0", "3,campaign,six,0").encode(),
                    "line 4, column 'exposures'"),
    "fraction": (GOOD_FANS.replace("4,campaign,3,2", "4,campaign,3,2.5").encode(),
                 "line 5, column 'engagements'"),
    "missing count": (GOOD_FANS.replace("2,organic,4,0", "2,organic,,0").encode(),
                      "line 3, column 'exposures': value missing"),
    "negative count": (GOOD_FANS.replace("4,campaign,3,2", "4,campaign,3,-2").encode(),
                       "negative"),
    "unknown cohort": (GOOD_FANS.replace("3,campaign", "3,paid").encode(), "'paid' is not a cohort"),
    "one cohort": (GOOD_FANS.replace("campaign", "organic").encode(), "every fan is 'organic'"),
    "non-UTF-8": (_bad_bytes(GOOD_FANS), "not UTF-8"),
    "duplicated fan": (GOOD_FANS.replace("4,campaign", "3,campaign").encode(), "appears twice"),
    "engaged but never reached": (GOOD_FANS.replace("4,campaign,3,2", "4,campaign,0,2").encode(),
                                  "0 exposures"),
}


@pytest.mark.parametrize("content, expected", FAN_CASES.values(), ids=FAN_CASES.keys())
def test_bad_fan_files(content, expected, tmp_path, capsys):
    f = tmp_path / "fans.csv"
    if content is not None:
        f.write_bytes(content)
    before = sorted(tmp_path.iterdir())
    code, out, err = run(["estimate", "cohorts", str(f), "--method", "ratio"], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert expected in err
    assert "Traceback" not in err
    assert sorted(tmp_path.iterdir()) == before  # nothing written
    if content is not None:
        assert "fans.csv" in err or "every fan" in err


DAILY_CASES = {
    "missing file": (None, WINDOW, "no such file"),
    "empty file": (b"", WINDOW, "empty"),
    "header only": (b"date,new_likes\n", WINDOW, "only a header"),
    "missing column": (b"date\n2010-10-01\n", WINDOW, "missing column"),
    "misspelled column": (GOOD_DAILY.replace("new_likes", "new_like").encode(), WINDOW,
                          "misspelled"),
    "tabs": (GOOD_DAILY.replace(",", "\t").encode(), WINDOW, "tabs"),
    "unparsable date": (GOOD_DAILY.replace("2010-10-03", "3/10/2010").encode(), WINDOW,
                        "line 4, column 'date': '3/10/2010' is not a date"),
    "duplicated date": (GOOD_DAILY.replace("2010-10-04", "2010-10-03").encode(), WINDOW,
                        "appears twice"),
    "unordered dates": (GOOD_DAILY.replace("2010-10-04", "2010-10-01").replace(
        "2010-10-01,5\n", "2010-10-04,5\n", 1).encode(), WINDOW, "increasing order"),
    "non-numeric likes": (GOOD_DAILY.replace("2010-10-05,5", "2010-10-05,many").encode(), WINDOW,
                          "line 6, column 'new_likes'"),
    "negative likes": (GOOD_DAILY.replace("2010-10-05,5", "2010-10-05,-5").encode(), WINDOW,
                       "negative"),
    "missing likes": (GOOD_DAILY.replace("2010-10-05,5", "2010-10-05,").encode(), WINDOW,
                      "value missing"),
    "non-UTF-8": (GOOD_DAILY.encode().replace(b"new_likes", b"new_likes\xff"), WINDOW, "not UTF-8"),
    "window after the data": (GOOD_DAILY.encode(), ["--campaign-start", "2010-12-01",
                                                    "--campaign-end", "2010-12-10"], "outside"),
    "window ends after the data": (GOOD_DAILY.encode(), ["--campaign-start", "2010-10-29",
                                                         "--campaign-end", "2010-11-30"],
                                   "outside"),
    "window before the data": (GOOD_DAILY.encode(), ["--campaign-start", "2010-09-01",
                                                     "--campaign-end", "2010-10-10"], "outside"),
    "end before start": (GOOD_DAILY.encode(), ["--campaign-start", "2010-10-29",
                                               "--campaign-end", "2010-10-20"], "before"),
    "bad window date": (GOOD_DAILY.encode(), ["--campaign-start", "29/10/2010",
                                              "--campaign-end", "2010-11-04"], "not a date"),
    "too short a baseline": (GOOD_DAILY.encode(), ["--campaign-start", "2010-10-10",
                                                   "--campaign-end", "2010-10-20"],
                             "at least 14"),
}


@pytest.mark.parametrize("content, window, expected", DAILY_CASES.values(),
                         ids=DAILY_CASES.keys())
def test_bad_daily_files(content, window, expected, tmp_path, capsys):
    f = tmp_path / "daily.csv"
    if content is not None:
        f.write_bytes(content)
    before = sorted(tmp_path.iterdir())
    code, out, err = run(["estimate", "daily", str(f), *window, "--json"], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert expected in err
    assert sorted(tmp_path.iterdir()) == before


AB_CASES = {
    "likes exceed asks": (["1000", "1200", "1000", "300"], "exceeds asked-with"),
    "likes exceed asks without": (["1000", "200", "100", "300"], "exceeds asked-without"),
    "negative asks": (["-1000", "200", "1000", "100"], "asked-with"),
    "zero asks": (["1000", "200", "0", "0"], "at least one person"),
    "negative likes": (["1000", "200", "1000", "-3"], "liked-without"),
    "non-numeric": (["1000", "lots", "1000", "100"], "liked-with"),
    "fraction": (["1000.5", "200", "1000", "100"], "whole number"),
    "no like with the pledge": (["1000", "0", "1000", "0"], "undefined"),
}


@pytest.mark.parametrize("counts, expected", AB_CASES.values(), ids=AB_CASES.keys())
def test_bad_ab_counts(counts, expected, capsys):
    n1, k1, n0, k0 = counts
    code, out, err = run(["estimate", "ab", f"--asked-with={n1}", f"--liked-with={k1}",
                          f"--asked-without={n0}", f"--liked-without={k0}"], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert expected in err


def test_unknown_method_is_one_line(capsys):
    code, _, err = run(["estimate", "cohorts", str(EXAMPLES / "cohorts.csv"), "--method", "magic"],
                       capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
