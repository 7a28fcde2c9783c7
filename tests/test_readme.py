"""The README and the manual stay true: the headline counts, the two-command Quickstart, the command table, the
coverage table; and the README stays short (the manual is the docs site, tested in test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import kg

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
GRAPH_PAGE = (ROOT / "docs" / "graph.md").read_text(encoding="utf-8")
SPOILERS_PAGE = (ROOT / "docs" / "spoilers.md").read_text(encoding="utf-8")
CLI_PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def test_the_readme_is_short():
    assert len(README.encode("utf-8")) <= 15_000


def test_headline_counts_match_the_graph(graph):
    counted = kg.stats(graph)
    headline = (
        f"**{counted.entities} entities, {len(counted.claims_by_source)} sources, "
        f"{counted.statements} statements ({counted.triples} distinct triples)**"
    )
    assert headline in README, "update the counts in README.md (see `kg stats`)"
    assert headline in GRAPH_PAGE, "update the counts in docs/graph.md (see `kg stats`)"


def test_quickstart_is_one_bash_block_of_two_commands():
    section = re.search(r"^## Quickstart\n(.*?)(?=^## )", README, re.M | re.S).group(1)
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pytest" in commands[1] and "kg " in commands[0]


def test_every_command_is_in_the_readme_table_and_the_manuals():
    from kg.cli import app

    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"| `kg {name}" in README, name
        assert f"| `kg {name}" in CLI_PAGE, name


def test_the_coverage_table_is_what_kg_coverage_prints(run_kg):
    block = re.search(r"<!-- kg coverage --format markdown -->\n(.*?)<!-- end -->", SPOILERS_PAGE, re.S)
    assert block, "docs/spoilers.md has lost its coverage table"
    assert block.group(1) == run_kg("coverage", "--format", "markdown").stdout, "update it with kg coverage -f markdown"
