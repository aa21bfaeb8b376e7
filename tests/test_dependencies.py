"""pyproject.toml is the one list of dependencies; environment.yml must say the same."""

import re
import tomllib

from analysis import paths


def _name_bound(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(>=\s*[0-9][^,;\s]*)?", spec)
    return m.group(1).lower().replace("_", "-"), (m.group(3) or "").replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_bound(s) for s in project["dependencies"])
    assert all(bound for bound in wanted.values()), "every dependency needs a lower bound"
    env_lines = (paths.ROOT / "environment.yml").read_text().splitlines()
    conda = {}
    deps = env_lines[env_lines.index("dependencies:") + 1:]
    for line in deps:
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+\s*(>=.*)?)$", line)
        if m and not line.strip().startswith("- pip"):
            name, bound = _name_bound(m.group(1))
            if name not in {"python"}:
                conda[name] = bound
    assert conda == wanted
    assert any(line.strip() == "- -e ." for line in env_lines), "environment.yml installs the kit"
    assert any("python>=3.11" in line for line in env_lines)
