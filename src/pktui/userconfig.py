"""The user's config file, read below the browser so that the command line uses it too.

``$XDG_CONFIG_HOME/pktui/config.yaml`` (``~/.config/pktui/config.yaml``). The browser reads
``theme:`` and ``keys:`` (:mod:`pktui.tui.config`); every command that loads a corpus reads
``fields:``, the record field names (``--field`` on the command line wins)::

    fields:
      text: body_html          # or a list: [body_html, body]
      date: pub

The file is read like every file a user names: a regular file only, size-bounded, YAML with
alias expansion bounded. A problem is one line naming the file and line; the rest of the
file still counts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pktui.fileio import UserFileError, compose_user_yaml, construct_yaml, read_user_text, yaml_error_line

#: the sections a config may have (others are named as unknown)
SECTIONS = ("theme", "keys", "fields")


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "pktui" / "config.yaml"


@dataclass
class ConfigFile:
    """The parsed file: ``data`` (a mapping, maybe empty), its YAML node tree for line
    numbers, and one-line ``errors`` (reading or YAML errors; the data is then empty)."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)
    root: Any = None
    errors: list[str] = field(default_factory=list)

    def line_of(self, *keys: str) -> int:
        """The line of a key (``line_of("keys", "search")``), or of the nearest found parent."""
        import yaml

        node = self.root
        line = 1
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            for k, v in node.value:
                if getattr(k, "value", None) == key:
                    line = k.start_mark.line + 1
                    node = v
                    break
            else:
                break
        return line

    def error(self, message: str, *keys: str) -> str:
        return f"config error: {self.path}:{self.line_of(*keys)}: {message}"


def read_config(path: Path | None = None) -> ConfigFile:
    """Read the config file (absent: empty, no error)."""
    path = config_path() if path is None else path
    cfg = ConfigFile(path)
    try:
        raw = read_user_text(path)
    except UserFileError as exc:
        if not os.path.lexists(path):
            return cfg
        cfg.errors.append(f"config error: {exc}")
        return cfg
    import yaml

    try:
        root = compose_user_yaml(raw, str(path))
        data = construct_yaml(root)
    except UserFileError as exc:
        cfg.errors.append(f"config error: {exc} (using defaults)")
        return cfg
    except yaml.YAMLError as exc:
        cfg.errors.append(f"config error: {yaml_error_line(exc, str(path))} (using defaults)")
        return cfg
    except RecursionError:
        cfg.errors.append(f"config error: {path}: nested too deeply (using defaults)")
        return cfg
    cfg.root = root
    if data is None:
        return cfg
    if not isinstance(data, dict):
        cfg.errors.append(cfg.error("expected a mapping with 'theme:', 'keys:' and 'fields:'"))
        return cfg
    cfg.data = {str(k): v for k, v in data.items()}
    return cfg


def config_fields(cfg: ConfigFile) -> tuple[dict[str, Any], list[str]]:
    """The ``fields:`` section, checked entry by entry: (usable entries, errors)."""
    from pktui.corpus.fields import FieldMap, FieldSpecError

    section = cfg.data.get("fields")
    if section is None:
        return {}, []
    if not isinstance(section, dict):
        return {}, [cfg.error("fields: expected a mapping of article field to record field names", "fields")]
    good: dict[str, Any] = {}
    errors = []
    for target, names in section.items():
        try:
            FieldMap.build({str(target): names})
        except FieldSpecError as exc:
            errors.append(cfg.error(f"fields: {exc}", "fields", str(target)))
            continue
        good[str(target)] = names
    return good, errors


def read_options(
    specs: Sequence[str] = (), follow_links: bool = False, cfg: ConfigFile | None = None
) -> tuple[Any, list[str]]:
    """:class:`pktui.corpus.ReadOptions` from the config's ``fields:`` and ``--field`` specs
    (which win), and the config's errors. A bad ``--field`` raises ``FieldSpecError``."""
    from pktui.corpus import FieldMap, ReadOptions

    cfg = read_config() if cfg is None else cfg
    fields, errors = config_fields(cfg)
    return ReadOptions(FieldMap.build(fields, specs), follow_links), cfg.errors + errors
