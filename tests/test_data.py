"""The real data sets: registry, fetching (mirror and a real HTTP server on 127.0.0.1),
checksum refusal, loaders and the calibration table.

Tests that need the data use the team's offline mirror (analysis.paths.SHARED_MIRROR, read-only)
and skip with a reason when it is absent. They write only into tmp folders.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.datasets import calibration, download, loaders
from analysis.datasets import registry as datasets
from analysis.errors import InputError

MIRROR = paths.SHARED_MIRROR
needs_mirror = pytest.mark.skipif(
    not all((MIRROR / d.relpath).is_file() for d in datasets.REGISTRY.values()),
    reason=f"offline data mirror not found at {MIRROR} (real-data tests skipped)",
)


def _files(folder: Path) -> list[str]:
    """Every file and folder under ``folder`` (hidden ones included), relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def raw_tmp(tmp_path, monkeypatch):
    """An empty raw-data folder for this test (LIKEKIT_RAW_DIR points at it)."""
    out = tmp_path / "raw"
    monkeypatch.setenv("LIKEKIT_RAW_DIR", str(out))
    return out


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """A raw folder filled once from the mirror, for the loader and calibration tests."""
    if not all((MIRROR / d.relpath).is_file() for d in datasets.REGISTRY.values()):
        pytest.skip(f"offline data mirror not found at {MIRROR}")
    dest = tmp_path_factory.mktemp("raw")
    download.fetch(mirror=MIRROR, dest=dest, progress=False)
    return dest


@pytest.fixture
def http_root(tmp_path):
    """A real HTTP server on 127.0.0.1 serving a tmp folder; yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def _serve_mirror(root: Path) -> None:
    for d in datasets.REGISTRY.values():
        (root / d.name).mkdir(exist_ok=True)
        shutil.copyfile(MIRROR / d.relpath, root / d.relpath)


# ------------------------------------------------------------------ registry


def test_registry_entries_are_complete():
    assert set(datasets.REGISTRY) == {"snap_ego_facebook", "uci_facebook_metrics",
                                      "kickstarter_2009_2010"}
    for name, d in datasets.REGISTRY.items():
        assert d.name == name
        for field in ("title", "page", "url", "filename", "citation", "licence", "description"):
            assert getattr(d, field).strip(), f"{name}.{field} is empty"
        assert d.url.startswith("https://") and d.page.startswith("https://")
        assert len(d.sha256) == 64 and int(d.sha256, 16) >= 0
    assert datasets.REGISTRY["snap_ego_facebook"].url.endswith(".gz")
    assert datasets.REGISTRY["uci_facebook_metrics"].url.endswith(".zip")
    assert datasets.REGISTRY["uci_facebook_metrics"].licence == "CC BY 4.0"
    ks = datasets.REGISTRY["kickstarter_2009_2010"]
    assert ks.licence == "CC BY-NC-SA 4.0" and ks.url.startswith("https://raw.githubusercontent.com/")
    assert ks.relpath in (paths.ROOT / "data" / "raw" / "README.md").read_text()


def test_unknown_name_is_one_clear_line():
    with pytest.raises(InputError, match="valid names are snap_ego_facebook"):
        download.fetch("facebook", mirror=".")


def test_loaders_name_the_file_and_make_data_when_absent(raw_tmp):
    assert not loaders.snap_available() and not loaders.uci_available()
    assert not loaders.kickstarter_available()
    for load in (loaders.load_snap_csr, loaders.load_snap_networkx, loaders.load_uci_metrics,
                 loaders.load_kickstarter):
        with pytest.raises(InputError, match=r"make data") as err:
            load()
        assert str(raw_tmp) in str(err.value) and "\n" not in str(err.value)


# ------------------------------------------------------------------ fetching


@needs_mirror
def test_fetch_from_mirror_then_skip_when_verified(raw_tmp):
    lines = []
    got = download.fetch(mirror=MIRROR, progress=False, log=lines.append)
    assert set(got) == set(datasets.REGISTRY)
    for name, path in got.items():
        assert path == raw_tmp / datasets.REGISTRY[name].relpath
        assert datasets.is_verified(name)
    assert _files(raw_tmp) == sorted(
        [d.name for d in datasets.REGISTRY.values()]
        + [d.relpath for d in datasets.REGISTRY.values()]
    )  # no staging folder left behind
    mtime = got["snap_ego_facebook"].stat().st_mtime_ns
    lines.clear()
    download.fetch(mirror=MIRROR, progress=False, log=lines.append)
    assert all("already present and verified" in line for line in lines)
    assert got["snap_ego_facebook"].stat().st_mtime_ns == mtime


@needs_mirror
def test_fetch_through_local_http_server(http_root, raw_tmp):
    root, base = http_root
    _serve_mirror(root)
    assert main(["data", "fetch", "--base-url", base, "--no-progress"]) == 0
    for name in datasets.REGISTRY:
        assert datasets.is_verified(name)


@needs_mirror
def test_canonical_formats_gzip_and_zip_with_crlf(http_root, tmp_path):
    """The canonical homes serve a .gz (SNAP) and a .zip (UCI, line ends may be CRLF)."""
    root, base = http_root
    snap, uci = datasets.REGISTRY["snap_ego_facebook"], datasets.REGISTRY["uci_facebook_metrics"]
    with open(MIRROR / snap.relpath, "rb") as src, gzip.open(root / "snap.txt.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    crlf = (MIRROR / uci.relpath).read_bytes().replace(b"\n", b"\r\n")
    with zipfile.ZipFile(root / "uci.zip", "w") as zf:
        zf.writestr("Facebook_metrics.txt", "about the data")
        zf.writestr("dataset_Facebook.csv", crlf)
    dest = tmp_path / "dest"
    download._install(snap, f"{base}/snap.txt.gz", dest, progress=False)
    download._install(uci, f"{base}/uci.zip", dest, progress=False)
    assert datasets.is_verified(snap.name, dest) and datasets.is_verified(uci.name, dest)
    assert b"\r\n" not in (dest / uci.relpath).read_bytes()  # stored as LF, as hashed


@needs_mirror
def test_corrupted_download_refused_with_exit_2_and_nothing_left(http_root, raw_tmp, capsys):
    root, base = http_root
    _serve_mirror(root)
    bad = root / "snap_ego_facebook" / "facebook_combined.txt"
    bad.write_bytes(bad.read_bytes().replace(b"0 1\n", b"0 2\n", 1))  # one friendship changed
    code = main(["data", "fetch", "--base-url", base, "--only", "snap_ego_facebook",
                 "--no-progress"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: checksum mismatch for snap_ego_facebook") and "\n" not in err
    assert not raw_tmp.exists() or _files(raw_tmp) == []  # not even an empty folder or temp file


@needs_mirror
def test_corrupted_copy_leaves_existing_folder_as_it_was(tmp_path):
    mirror = tmp_path / "mirror"
    relpath = datasets.REGISTRY["uci_facebook_metrics"].relpath
    (mirror / relpath).parent.mkdir(parents=True)
    (mirror / relpath).write_bytes((MIRROR / relpath).read_bytes()[:-200])  # truncated
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="checksum mismatch for uci_facebook_metrics"):
        download.fetch("uci_facebook_metrics", mirror=mirror, dest=dest, progress=False)
    assert _files(dest) == ["keep.txt"]


def test_http_not_found_is_one_line_and_leaves_nothing(http_root, raw_tmp, capsys):
    _, base = http_root  # serves an empty folder: 404
    assert main(["data", "fetch", "--base-url", base, "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not download " + base) and "\n" not in err
    assert not raw_tmp.exists()


def test_missing_mirror_file_is_one_line(tmp_path):
    with pytest.raises(InputError, match="mirror file not found"):
        download.fetch("snap_ego_facebook", mirror=tmp_path, dest=tmp_path / "d", progress=False)
    assert not (tmp_path / "d").exists()


def test_status_command_lists_citations(raw_tmp, capsys):
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert out.count("absent (run `make data`)") == len(datasets.REGISTRY)
    assert "McAuley" in out and "Moro" in out and "CC BY 4.0" in out


# ------------------------------------------------------------------ loaders


def test_snap_csr_is_the_symmetric_friendship_graph(fetched):
    m = loaders.load_snap_csr(fetched)
    assert m.shape == (4039, 4039)
    assert m.nnz == 2 * 88234
    assert m.indices.dtype == np.int32 and m.indptr.dtype == np.int32
    assert (m != m.T).nnz == 0
    assert m.diagonal().sum() == 0
    assert set(np.unique(m.data)) == {1}
    assert abs(m.nnz / m.shape[0] - 43.69) < 0.01  # mean degree from the SNAP page


def test_snap_networkx_matches_csr(fetched):
    g = loaders.load_snap_networkx(fetched)
    assert g.number_of_nodes() == 4039 and g.number_of_edges() == 88234
    m = loaders.load_snap_csr(fetched)
    degrees = np.array([d for _, d in sorted(g.degree())])
    np.testing.assert_array_equal(degrees, m.sum(axis=1))


def test_snap_csr_feeds_the_engine(fetched):
    graphs = pytest.importorskip("analysis.engine.graphs")
    g = graphs.Graph.from_scipy(loaders.load_snap_csr(fetched))
    assert g.n == 4039 and int(g.degrees().sum()) == 2 * 88234


def test_uci_table_is_tidy(fetched):
    df = loaders.load_uci_metrics(fetched)
    assert df.shape == (500, 19)
    assert list(df.columns) == list(loaders.UCI_COLUMNS.values())
    assert all(c == c.lower() and " " not in c for c in df.columns)
    assert isinstance(df["post_type"].dtype, pd.CategoricalDtype)
    assert df["post_type"].value_counts().to_dict() == {
        "photo": 426, "status": 45, "link": 22, "video": 7}
    assert df["paid"].dtype == "boolean"
    assert df["paid"].sum() == 139 and df["paid"].isna().sum() == 1
    # empty cells are missing values, never zeros
    assert df["likes"].isna().sum() == 1 and df["shares"].isna().sum() == 4
    assert df["likes"].dtype == "Int64" and df["total_interactions"].isna().sum() == 0
    complete = df.dropna(subset=["comments", "likes", "shares"])
    assert (complete["comments"] + complete["likes"] + complete["shares"]
            <= complete["total_interactions"] + 1).all()


def test_uci_loader_names_bad_cells(tmp_path, fetched):
    dest = tmp_path / "raw"
    shutil.copytree(fetched, dest)
    csv = dest / "uci_facebook_metrics" / "dataset_Facebook.csv"
    text = csv.read_text().splitlines()
    text[3] = text[3].replace(";Photo;", ";Poster;")
    csv.write_text("\n".join(text) + "\n")
    with pytest.raises(InputError, match=r"fails its sha256 check"):
        loaders.load_uci_metrics(dest)  # an edited copy is refused before it is parsed
    with pytest.raises(InputError, match=r"row 4 column Type is 'Poster'"):
        loaders.parse_uci_metrics(csv)


def test_kickstarter_table_is_tidy(fetched):
    df = loaders.load_kickstarter(fetched)
    assert len(df) == 9999 and df["id"].is_unique
    assert "ratio" in df.columns and all(c == c.lower() and " " not in c for c in df.columns)
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert df["state"].value_counts()[["successful", "failed", "canceled"]].to_dict() == {
        "successful": 4358, "failed": 4726, "canceled": 915}
    # dates are day-month-year: the first row launched 21 April 2009, deadline 31 May 2009
    first = df.iloc[0]
    assert first["launched"] == pd.Timestamp("2009-04-21 21:02")
    assert first["deadline"] == pd.Timestamp("2009-05-31")
    assert df["launched"].min() == pd.Timestamp("2009-04-21 21:02")
    assert df["launched"].max().year == 2010 and (df["deadline"] >= df["launched"].dt.normalize()).all()
    # ratio = pledged / goal (first row: 625 / 1000); the jump facts.md cites
    assert first["ratio"] == 0.625
    np.testing.assert_allclose(df["ratio"], df["pledged"] / df["goal"])
    done = df[df["state"].isin(["successful", "failed"])]
    assert len(done) == 9084
    assert ((done["ratio"] >= 0.9) & (done["ratio"] < 1.0)).sum() == 3
    assert ((done["ratio"] >= 1.0) & (done["ratio"] < 1.1)).sum() == 2201
    # all or nothing: successful projects reached their goal (two did by cents short of it)
    assert (df.loc[df["state"] == "successful", "ratio"] >= 0.999).all()


def test_kickstarter_loader_names_bad_cells(tmp_path, fetched):
    dest = tmp_path / "raw"
    shutil.copytree(fetched, dest)
    csv = dest / "kickstarter_2009_2010" / "ks-projects-201801.csv"
    lines = csv.read_text().splitlines()
    lines[2] = lines[2].replace(",20-07-09,", ",2009-07-20,", 1)
    csv.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"fails its sha256 check"):
        loaders.load_kickstarter(dest)  # an edited copy is refused before it is parsed
    with pytest.raises(InputError, match=r"row 3 column deadline is '2009-07-20'"):
        loaders.parse_kickstarter(csv)


# ------------------------------------------------------------------ calibration


def test_calibration_from_the_data(fetched):
    table = calibration.build_calibration(loaders.load_uci_metrics(fetched))
    assert list(table.columns) == calibration.COLUMNS
    assert table["parameter"].is_unique
    v = calibration.calibration_value("organic_reach_per_post", table=table)
    lo, hi = calibration.calibration_range("organic_reach_per_post", table=table)
    assert round(v, 3) == 0.031 and round(lo, 3) == 0.011 and round(hi, 3) == 0.131
    for group in ("unpaid", "paid", "photo", "status", "link", "video"):
        assert f"engaged_fans_per_reached_fan.{group}" in set(table["parameter"])
    # paid posts reach more people than unpaid ones, and organic reach is below 2014's 6%
    assert calibration.calibration_value("paid_reach_multiplier", table=table) > 1
    assert v < calibration.calibration_value("organic_reach_2014", table=table)


def test_committed_calibration_regenerates_byte_identical(fetched, tmp_path):
    out = tmp_path / "calibration.csv"
    assert main(["data", "calibrate", "--dest", str(fetched), "--out", str(out)]) == 0
    assert out.read_bytes() == (paths.DATA / "calibration.csv").read_bytes()


def test_calibration_api_reads_committed_table():
    table = calibration.calibration_table()
    assert {"organic_reach_per_post", "engaged_fans_per_reached_fan",
            "engagement_per_fan_per_post", "paid_reach_multiplier", "organic_reach_2012",
            "organic_reach_2014", "engagement_per_fan_per_post_rivaliq"} <= set(table["parameter"])
    assert table["source"].str.len().min() > 10
    lo, hi = calibration.calibration_range("organic_reach_per_post")
    assert lo < calibration.calibration_value("organic_reach_per_post") < hi
    with pytest.raises(InputError, match="unknown calibration parameter 'reach'"):
        calibration.calibration_value("reach")


def test_no_fallback_copies_without_data(tmp_path, raw_tmp):
    """The committed table is the one owner: no fallback numbers when it or the data are absent."""
    with pytest.raises(InputError, match="absent.csv not found"):
        calibration.calibration_table(tmp_path / "absent.csv")
    # without the data, calibrate refuses (exit 2) and writes nothing
    out = tmp_path / "cal.csv"
    assert main(["data", "calibrate", "--out", str(out)]) == 2
    assert not out.exists()
    assert not hasattr(calibration, "FROZEN")


def test_calibration_has_one_owner():
    """Priors and observable-data generators read the committed table, not copies of it."""
    from analysis.estimation.observables import EngagementSetting
    from analysis.roi.priors import roi_priors

    priors = roi_priors()
    for prior, row in (("organic_reach_per_post", "organic_reach_per_post"),
                       ("engagement_given_reach", "engaged_fans_per_reached_fan"),
                       ("paid_reach_multiplier", "paid_reach_multiplier")):
        value, low, high, source = calibration.calibration_entry(row)
        assert (priors[prior].default, priors[prior].low, priors[prior].high) == (value, low, high)
        assert priors[prior].source == source
    setting = EngagementSetting()
    assert setting.reach == calibration.calibration_value("organic_reach_per_post")
    assert setting.rate == calibration.calibration_value("engaged_fans_per_reached_fan")
