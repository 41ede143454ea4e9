"""The extractor's version without reading its inputs, when they have not changed.

:func:`pktui.extract.extractor_version` hashes the extraction code and parses the domain
data (a third of a second). An index remembers it beside a signature of the files it comes
from (path, size, modification time): while the signature holds, the remembered version is
the version, and opening an unchanged corpus reads none of them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pktui import __version__


def _inputs() -> list[Path]:
    from pktui.domain import domain_dir, user_gazetteers

    base = Path(__file__).resolve().parent.parent
    files = sorted((base / "extract").rglob("*.py")) + [base / "textsplit.py"]  # as extractor_version hashes them
    return files + sorted(domain_dir().glob("*.yaml")) + list(user_gazetteers())


def inputs_signature() -> str:
    h = hashlib.sha256(__version__.encode())
    for path in _inputs():
        try:
            st = os.stat(path)
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            h.update(f"{path}\0missing\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def current_version(remembered_version: str | None, remembered_signature: str | None) -> tuple[str, str]:
    """(extractor version, signature of its inputs), from memory when the signature holds."""
    sig = inputs_signature()
    if remembered_version and remembered_signature == sig:
        return remembered_version, sig
    from pktui.extract import extractor_version

    return extractor_version(), sig
