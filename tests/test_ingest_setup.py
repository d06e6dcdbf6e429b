"""What a fresh machine needs: every library the readers import is declared, CI installs as README says.

The readers import their libraries lazily (on the first file of their kind), so a
missing declaration shows only when such a file is read on a clean install; these
tests read the source and ``pyproject.toml`` instead of waiting for that file.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from explorer.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["ocr"])
    return {re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0].lower().replace("_", "-") for req in requirements}


def _imported_by_readers() -> dict[str, str]:
    """Top-level modules the ingest package imports (anywhere in a module), by the file importing them."""
    found: dict[str, str] = {}
    for source in sorted((ROOT / "explorer" / "ingest").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "explorer" and top not in sys.stdlib_module_names:
                    found.setdefault(top, source.name)
    return found


def test_every_library_the_readers_import_is_declared() -> None:
    declared = _declared()
    distributions = packages_distributions()
    for module, where in _imported_by_readers().items():
        names = {name.lower().replace("_", "-") for name in distributions.get(module, [module])}
        assert names & declared, f"{where} imports {module} ({', '.join(sorted(names))}), not in pyproject.toml"


def test_the_html_cleaner_trafilatura_needs_is_declared() -> None:
    """lxml >= 5.2 moved lxml.html.clean out; pip 23 does not bring it through lxml's extra."""
    assert "lxml-html-clean" in _declared()


def test_ci_runs_exactly_readmes_steps() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = next(line for line in readme.splitlines() if "pip install" in line and "pytest" in line)
    readme_steps = [step.strip() for step in test_command.split("&&")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_steps = [line.strip() for line in ci.splitlines()
                if re.match(r"\s*(python3? |\. |source |pip |pytest)", line)]
    normalised = [re.sub(r"\s-q\b", "", step) for step in ci_steps]
    assert normalised == readme_steps, f"CI runs {ci_steps}, README says {readme_steps}"
    assert "status\" -eq 5" in ci  # pytest's "no tests collected" is a failure


def _help(*args: str) -> str:
    parser = build_parser()
    if not args:
        return parser.format_help()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices[args[0]].format_help()


def test_help_documents_the_exit_codes() -> None:
    for command in ((), ("index",), ("extract",)):
        text = _help(*command)
        assert "exit codes:" in text, command
        for code, words in (("0", "done"), ("1", "error"), ("2", "usage"), ("3", "skipped"), ("130", "interrupted")):
            assert re.search(rf"^\s+{code}\s+.*{words}", text, re.MULTILINE), (command, code)
