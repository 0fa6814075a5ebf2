"""Prints pip constraints that pin every dependency of pyproject.toml to its lowest allowed version.

CI installs these once and runs the suite on them, so the ranges in
pyproject.toml are ranges that were tested at both ends.
"""

import re
import sys
import tomllib

with open(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
requirements = list(project["dependencies"])
for extra in project.get("optional-dependencies", {}).values():
    requirements += extra
pins = {}
for requirement in requirements:
    match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)", requirement)
    if match is None:
        sys.exit(f"no lower bound: {requirement}")
    pins[match.group(1).lower()] = match.group(3)
for name, version in sorted(pins.items()):
    print(f"{name}=={version}")
