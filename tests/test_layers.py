"""The layered house: lower layers never load Textual (or each other's upper floors)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "pktui.corpus",
        "pktui.extract",
        "pktui.knowledge.loader",
        "pktui.export",
        "pktui.search",
        "pktui.domain",
        "pktui.fileio",
        "pktui.userconfig",
        "pktui.knowledge.store",
        "pktui.archive",
    ],
)
def test_lower_layers_do_not_import_textual(module):
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith(('pktui.tui', 'pktui.cli'))]; print(bad); assert not bad"
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_knowledge_layer_knows_nothing_of_the_archive_above_it():
    code = (
        "import sys, pktui.knowledge.store, pktui.knowledge.loader; "
        "bad = [m for m in sys.modules if m.startswith(('pktui.archive', 'pktui.search'))]; print(bad); assert not bad"
    )
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_pktui_loads_no_benchmark_generator():
    code = "import sys, pktui, pktui.cli; assert 'pktui.bench.synthetic' not in sys.modules"
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_domain_yaml_has_no_accidental_booleans():
    """YAML 1.1 reads bare on/off/yes/no as booleans: every word list must hold strings."""
    import yaml

    from pktui.domain import domain_dir

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                assert not isinstance(k, bool), (where, k)
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for v in node:
                assert not isinstance(v, bool), (where, v)
                walk(v, where)

    for path in sorted(domain_dir().glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
