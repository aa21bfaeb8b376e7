"""Fetching the real data sets: download from the canonical home or copy from a mirror, unpack,
verify the checksum, and install into the raw folder (never anything unverified).

Split from :mod:`analysis.datasets.registry` so that reading the registry, verifying a file and
loading it never import pooch and requests (pooch pulls in tqdm's notebook bars, which warn in a
kernel without ipywidgets, and the command line's ``--help`` stays light). See the registry's
docstring for why pooch, and how.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pooch
import requests

from analysis import paths
from analysis.datasets.registry import (
    REGISTRY,
    Dataset,
    dataset,
    sha256_of,
)
from analysis.errors import InputError


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
