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

import gzip
import hashlib
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pooch
import requests

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


def fetch(
    name: str | None = None,
    *,
    mirror: str | os.PathLike | None = None,
    base_url: str | None = None,
    dest: str | os.PathLike | None = None,
    progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Fetch, verify and install data set ``name`` (all of them when None).

    mirror: a local folder laid out like ``../shared/data`` (``<mirror>/<name>/<file>``).
    base_url: a web server laid out like the mirror (``<base_url>/<name>/<file>``).
    Neither: download from the canonical home (gzip for SNAP, zip for UCI).
    dest: folder to install into (default :func:`analysis.paths.raw_dir`).
    progress: show a download progress bar. log: called with one line per data set
    (default: silent). Returns {name: installed path}. Raises InputError with one line (and
    leaves nothing behind) when a source is missing or a checksum does not match.
    """
    if mirror is not None and base_url is not None:
        raise InputError("give either a mirror folder or a base URL, not both")
    if mirror is not None and not Path(mirror).is_dir():
        raise InputError(f"mirror folder not found: {mirror} (expected a folder like ../shared/data)")
    if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
        raise InputError(f"--base-url {base_url}: not an http:// or https:// address "
                         "(for a local folder use --mirror DIR)")
    names = list(REGISTRY) if name is None else [dataset(name).name]
    say = log or (lambda line: None)
    root = Path(dest) if dest is not None else paths.raw_dir()
    where = f"--dest {root}" if dest is not None else f"raw data folder {root}"
    if root.exists() and not root.is_dir():
        raise InputError(f"{where}: is a file, expected a folder; nothing was installed")
    for n in names:
        sub = root / n
        if sub.exists() and not sub.is_dir():
            raise InputError(f"{sub}: is a file where the {n} folder belongs; move it away")
    clean_stale_staging(root)
    done = {}
    for n in names:
        ds = REGISTRY[n]
        target = root / ds.relpath
        if target.is_file() and sha256_of(target) == ds.sha256:
            say(f"{n}: already present and verified ({target})")
        else:
            if mirror is not None:
                source = str(Path(mirror) / ds.relpath)
            elif base_url is not None:
                source = base_url.rstrip("/") + "/" + ds.relpath
            else:
                source = ds.url
            try:
                _install(ds, source, root, progress=progress)
            except OSError as exc:  # a folder that cannot be made or written, a full disk
                raise InputError(f"{where}: cannot install {n} there "
                                 f"({exc.strerror or type(exc).__name__}); nothing was "
                                 "installed") from None
            say(f"{n}: fetched from {source}, sha256 verified -> {target}")
        done[n] = target
    return done


def _install(ds: Dataset, source: str, root: Path, *, progress: bool) -> None:
    """Get ``source`` into ``root/<name>/<file>`` atomically, or raise and leave nothing."""
    created = [d for d in (root, root / ds.name) if not d.exists()]
    try:
        (root / ds.name).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=root, prefix=f"{STAGING_PREFIX}{os.getpid()}-") as tmp:
            got = _get(source, Path(tmp), progress=progress)
            staged = Path(tmp) / ds.filename
            _extract(got, staged, ds.filename)
            data = staged.read_bytes()
            if ds.normalise_newlines and b"\r\n" in data:
                data = data.replace(b"\r\n", b"\n")
                staged.write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()
            if digest != ds.sha256:
                raise InputError(
                    f"checksum mismatch for {ds.name} from {source}: sha256 {digest[:16]}... "
                    f"expected {ds.sha256[:16]}...; nothing was installed"
                )
            os.replace(staged, root / ds.relpath)
    except BaseException:
        for d in reversed(created):  # remove the folders we made, if still empty
            try:
                d.rmdir()
            except OSError:
                pass
        raise


STAGING_PREFIX = ".fetch-"  # staging folders: .fetch-<pid of the fetching process>-<random>
STALE_SECONDS = 3600  # a staging folder without a process id is stale after this long


def clean_stale_staging(root: Path) -> list[Path]:
    """Remove the staging folders a killed fetch left in ``root``; return what was removed.

    A staging folder is stale when the process named in it is gone (or, for a folder without a
    process id, when it is over an hour old); a fetch still running elsewhere keeps its own.
    """
    import time

    removed = []
    if not root.is_dir():
        return removed
    for d in root.glob(f"{STAGING_PREFIX}*"):
        pid = d.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit():
            stale = int(pid) != os.getpid() and not _alive(int(pid))
        else:
            try:
                stale = time.time() - d.stat().st_mtime > STALE_SECONDS
            except OSError:
                continue
        if stale and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


def _alive(pid: int) -> bool:
    """True when a process with this id runs (or may: one we cannot signal)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _get(source: str, tmp: Path, *, progress: bool) -> Path:
    """Copy (local path) or download (http/https URL) ``source`` into ``tmp``; return the file."""
    fname = source.rstrip("/").rsplit("/", 1)[-1]
    out = tmp / ("download-" + fname)
    if "://" not in source:
        if not Path(source).is_file():
            raise InputError(f"mirror file not found: {source} (expected <mirror>/<name>/<file>)")
        shutil.copyfile(source, out)
        return out
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)  # pooch's INFO lines would name the staging folder
    try:
        pooch.retrieve(
            source, known_hash=None, fname=out.name, path=tmp, progressbar=progress
        )
    except (requests.RequestException, ValueError) as exc:
        raise InputError(
            f"could not download {source}: {_reason(exc)} (offline? use --mirror DIR)"
        ) from None
    finally:
        logger.setLevel(level)
    return out


def _reason(exc) -> str:
    """A failed download in plain words (HTTP status, or what went wrong with the connection)."""
    import requests

    response = getattr(exc, "response", None)
    if response is not None:
        return f"the server answered HTTP {response.status_code}"
    text = str(exc)
    if "NameResolution" in text or "Name or service not known" in text:
        return "the host name could not be resolved"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.
                  ContentDecodingError) or "IncompleteRead" in text:
        return "the transfer was cut off before the end"
    if isinstance(exc, requests.exceptions.Timeout):
        return "the server did not answer in time"
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "the connection was refused (no server at that address and port)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "the connection failed or was dropped"
    if isinstance(exc, requests.exceptions.InvalidSchema | requests.exceptions.MissingSchema
                  | requests.exceptions.InvalidURL | ValueError):
        return "not a URL the kit can download from (use http:// or https://)"
    return "the download failed"


def _extract(got: Path, staged: Path, filename: str) -> None:
    """Write the data file held in ``got`` (gzip, zip or plain) to ``staged``."""
    with open(got, "rb") as fh:
        magic = fh.read(4)
    if magic[:2] == b"\x1f\x8b":
        try:
            with gzip.open(got, "rb") as src, open(staged, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except (OSError, EOFError) as exc:
            raise InputError(f"corrupt gzip download {got.name}: {exc}") from None
    elif magic == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(got) as zf:
                members = [m for m in zf.namelist() if m.rsplit("/", 1)[-1] == filename]
                if not members:
                    raise InputError(
                        f"{got.name} holds no {filename} (it holds {', '.join(zf.namelist())})"
                    )
                with zf.open(members[0]) as src, open(staged, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        except zipfile.BadZipFile as exc:
            raise InputError(f"corrupt zip download {got.name}: {exc}") from None
    else:
        os.replace(got, staged)


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
