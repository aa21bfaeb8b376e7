"""pyproject.toml, requirements.lock and environment.yml name the same packages and agree on
their versions (tools/lockfile.py, run by `make lock`, writes the last two)."""

import importlib.util
import re

from analysis import paths

_spec = importlib.util.spec_from_file_location("lockfile", paths.ROOT / "tools" / "lockfile.py")
lockfile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lockfile)


def test_every_dependency_has_a_lower_bound_the_lock_meets():
    wanted = lockfile.direct_dependencies()
    pins = lockfile.locked()
    assert all(bound for bound in wanted.values()), "every dependency needs a lower bound"
    missing = set(wanted) - set(pins)
    assert not missing, f"in pyproject.toml but not in requirements.lock (run make lock): {missing}"
    for name, bound in wanted.items():
        assert lockfile.version_tuple(pins[name]) >= lockfile.version_tuple(bound), name


def test_the_lock_pins_every_package_with_hashes():
    text = lockfile.LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    packages = [e for e in entries if re.match(r"^[A-Za-z0-9_.\-]+==", e)]
    assert len(packages) > 50    # the whole environment, not only the direct dependencies
    for entry in packages:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    assert "--fork-strategy fewest" in text   # one version per package for every Python


def test_environment_yml_pins_the_locked_versions_of_the_same_packages():
    env_lines = lockfile.ENVIRONMENT.read_text(encoding="utf-8").splitlines()
    deps = env_lines[env_lines.index("dependencies:") + 1:]
    conda = {}
    for line in deps:
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+)==(\S+)$", line)
        if m:
            conda[lockfile.normalise(m.group(1))] = m.group(2)
    pins = lockfile.locked()
    assert set(conda) == set(lockfile.direct_dependencies())
    assert conda == {name: pins[name] for name in conda}
    assert f"  - python={lockfile.PYTHON}" in env_lines
    assert any(line.strip() == "- -e ." for line in env_lines), "environment.yml installs the kit"
    # and it is exactly what make lock writes
    assert "\n".join(env_lines) + "\n" == lockfile.environment_yml()


def test_setup_installs_exactly_the_lock_and_reinstalls_when_it_changes():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(LOCK\)$", makefile, flags=re.M)
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
