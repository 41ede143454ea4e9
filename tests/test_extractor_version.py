"""An index notices a new extractor: every code file the version hashes is in the cheap
signature that stands for it (a change under extract/entities/ once went unnoticed, and an
upgraded pktui kept serving the old extraction)."""

from __future__ import annotations

import os
from pathlib import Path

import pktui.extract
from pktui.knowledge import version


def test_every_extraction_code_file_is_in_the_signature():
    extract_dir = Path(pktui.extract.__file__).resolve().parent
    code = set(extract_dir.rglob("*.py"))
    assert any(p.parent != extract_dir for p in code)  # the subpackages are there to be missed
    assert code <= set(version._inputs())


def test_touching_a_file_in_a_subpackage_changes_the_signature(tmp_path):
    inner = next(p for p in version._inputs() if p.parent.name == "entities")
    before = version.inputs_signature()
    st = inner.stat()
    try:
        os.utime(inner, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert version.inputs_signature() != before
    finally:
        os.utime(inner, ns=(st.st_atime_ns, st.st_mtime_ns))
