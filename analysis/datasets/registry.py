"""The real data sets: where they live, what they hash to, how to cite them, and fetching.

``REGISTRY`` names each data set (canonical page and download URL, the file the kit uses, the
sha256 of that file as used, citation and licence). :func:`fetch` puts verified copies into
:func:`analysis.paths.raw_dir` (``data/raw/`` unless ``LIKEKIT_RAW_DIR`` is set), laid out as
``<raw>/<name>/<file>`` -- the same layout as the team's offline mirror ``../shared/data``,
so a raw folder can itself serve as a mirror.

Three sources, one result:

- the canonical home (default): SNAP serves a gzip of the text, UCI a zip holding the CSV,
  GitHub the Kickstarter CSV as it is;
- ``mirror=DIR``: a local folder laid out like ``../shared/data`` (plain files, copied);
- ``base_url=URL``: a web server laid out like the mirror (the tests serve ``../shared/data``
  from 127.0.0.1), downloaded like the canonical home.

Why pooch, and how: HTTP downloads go through :func:`pooch.retrieve`, the scientific Python
ecosystem's tool for fetching data files (streamed download, timeouts, optional tqdm progress
bar, and a download into a temporary file that is only renamed once complete). Pooch can check
a hash too, but only of the file as downloaded; the archives served upstream are not what we
pin (a server may recompress, and UCI's copy may differ in line ends), so pooch downloads with
``known_hash=None`` into a private staging folder and this module decompresses, normalises
line ends (UCI), and checks the sha256 of the file actually used. The staging folder lives
inside the destination (so the final rename is atomic on the same file system) and is always
removed: on a checksum mismatch :class:`~analysis.errors.InputError` is raised with one line
and nothing is left behind. Files already present with the right hash are not fetched again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.errors import InputError


@dataclass(frozen=True)
class Dataset:
    """One registered data set.

    name: short id, also the sub-folder under the raw folder and the mirror.
    title: human name. page: canonical landing page. url: canonical download (.gz, .zip or plain).
    filename: the file the kit uses (inside the zip for UCI). sha256: hex digest of that file
    as used (after gunzip/unzip and, if ``normalise_newlines``, CRLF -> LF).
    citation, licence: how to credit it. description: one line on what it holds.
    """

    name: str
    title: str
    page: str
    url: str
    filename: str
    sha256: str
    citation: str
    licence: str
    description: str
    normalise_newlines: bool = False

    @property
    def relpath(self) -> str:
        """Path of the file under a raw folder or mirror: ``<name>/<filename>``."""
        return f"{self.name}/{self.filename}"


REGISTRY: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="snap_ego_facebook",
            title="SNAP ego-Facebook friendship network",
            page="https://snap.stanford.edu/data/ego-Facebook.html",
            url="https://snap.stanford.edu/data/facebook_combined.txt.gz",
            filename="facebook_combined.txt",
            sha256="f41c026ed8af3cc3359f1ca5573d0605fb09ae0eefa34544b820fd8c6e2ef296",
            citation=(
                "J. McAuley and J. Leskovec. Learning to Discover Social Circles in Ego "
                "Networks. NIPS, 2012."
            ),
            licence="no licence stated by SNAP; public for research use, cite the paper",
            description="4,039 anonymised people, 88,234 undirected friendships ('u v' a line)",
        ),
        Dataset(
            name="uci_facebook_metrics",
            title="UCI Facebook metrics (data set 368)",
            page="https://archive.ics.uci.edu/dataset/368/facebook+metrics",
            url="https://archive.ics.uci.edu/static/public/368/facebook+metrics.zip",
            filename="dataset_Facebook.csv",
            sha256="b347feb4b8402961d75a4bc2eeaf249a94eadc2ec5b46d6bf7d1dc569bfaf7b3",
            citation=(
                "S. Moro, P. Rita and B. Vala. Predicting social media performance metrics and "
                "evaluation of the impact on brand building: A data mining approach. Journal of "
                "Business Research 69(9):3341-3351, 2016."
            ),
            licence="CC BY 4.0",
            description="500 posts of a cosmetics brand's Facebook page in 2014, 19 metrics each",
            normalise_newlines=True,
        ),
        Dataset(
            name="kickstarter_2009_2010",
            title="Kickstarter projects 2009-2010 (first 9,999 of Mouillé's Kaggle set)",
            page="https://github.com/El-Tejaso/Kickstarter-dynamic-histogram",
            url=(
                "https://raw.githubusercontent.com/El-Tejaso/Kickstarter-dynamic-histogram/"
                "master/KSVisualisation/ks-projects-201801.csv"
            ),
            filename="ks-projects-201801.csv",
            sha256="439a0779d8d9fac74d122bd49875998a5e195dc3b38fea5ca88d82f2e88c4b07",
            citation=(
                "M. Mouillé. Kickstarter Projects (ks-projects-201801.csv), Kaggle, 2018, "
                "https://www.kaggle.com/datasets/kemical/kickstarter-projects; first 9,999 rows "
                "as published in El-Tejaso/Kickstarter-dynamic-histogram on GitHub."
            ),
            licence="CC BY-NC-SA 4.0",
            description=(
                "the first 9,999 Kickstarter projects (Apr 2009 - Nov 2010): goal, pledged, "
                "state, dates"
            ),
        ),
    )
}


def dataset(name: str) -> Dataset:
    """The registry entry called ``name``; InputError listing the valid names otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        valid = ", ".join(REGISTRY)
        raise InputError(f"unknown data set {name!r}: valid names are {valid}") from None


def local_path(name: str, dest: str | os.PathLike | None = None) -> Path:
    """Where data set ``name`` lives under ``dest`` (default :func:`analysis.paths.raw_dir`)."""
    root = Path(dest) if dest is not None else paths.raw_dir()
    return root / dataset(name).relpath


def sha256_of(path: str | os.PathLike, *, normalise_newlines: bool = False) -> str:
    """Hex sha256 of a file's bytes (after CRLF -> LF when ``normalise_newlines``)."""
    data = Path(path).read_bytes()
    if normalise_newlines:
        data = data.replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


# Files whose sha256 matched, by (path, size, mtime, inode): a file is hashed once per process
# until it changes, so verifying on every use costs a stat.
_VERIFIED: set[tuple] = set()


def _stamp(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


def is_verified(name: str, dest: str | os.PathLike | None = None) -> bool:
    """True when data set ``name`` is present under ``dest`` and its sha256 matches.

    Checked on every call; the hash is cached by the file's size, modification time and inode,
    so an unchanged file is hashed once per process.
    """
    ds = dataset(name)
    path = local_path(name, dest)
    if not path.is_file():
        return False
    try:
        stamp = _stamp(path)
        if stamp in _VERIFIED:
            return True
        ok = sha256_of(path) == ds.sha256
    except OSError:
        return False
    if ok:
        _VERIFIED.add(stamp)
    return ok


def verified_path(name: str, dest: str | os.PathLike | None = None) -> Path:
    """The path of data set ``name`` under ``dest``, verified now against its sha256.

    Raises InputError with one line when the file is absent (run ``make data``), unreadable,
    or fails its checksum (a corrupted or replaced copy is never used).
    """
    ds = dataset(name)
    path = local_path(name, dest)
    if not path.is_file():
        raise InputError(
            f"data file not found: {path} ({ds.title}); "
            "run `make data` (or `python -m analysis data fetch`) first"
        )
    if not is_verified(name, dest):
        raise InputError(
            f"{path} fails its sha256 check: it is not the {ds.title} the kit was built on "
            "(corrupted or replaced); refused. Delete it and refetch with `make data` "
            "(or `python -m analysis data fetch`)"
        )
    return path


# --------------------------------------------------------------------------- fetching


def status(dest: str | os.PathLike | None = None) -> list[dict]:
    """One dict per data set: name, path, present, verified, citation, licence, page."""
    rows = []
    for ds in REGISTRY.values():
        path = local_path(ds.name, dest)
        present = path.is_file()
        rows.append(
            {
                "name": ds.name,
                "path": path,
                "present": present,
                "verified": present and is_verified(ds.name, dest),
                "citation": ds.citation,
                "licence": ds.licence,
                "page": ds.page,
            }
        )
    return rows
