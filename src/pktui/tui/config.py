"""The user's config file: ``$XDG_CONFIG_HOME/pktui/config.yaml`` (``~/.config/pktui/config.yaml``).

```yaml
theme: nord
keys:
  search: "ctrl+f,slash"    # binding id -> one key or several, comma separated
  next_mark: "n,ctrl+down"
```

A config that cannot be read gives one error line naming the file and the line; the app
then starts with its defaults (or with the parts of the file that were fine).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Config:
    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    errors: list[str] = field(default_factory=list)


def config_path(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "pktui" / "config.yaml"


def load_config(path: Path | None = None, known_ids: set[str] | None = None) -> Config:
    """Read the config file; every problem becomes one line in ``Config.errors``."""
    path = config_path() if path is None else path
    cfg = Config(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return cfg
    except (OSError, UnicodeDecodeError) as exc:
        cfg.errors.append(f"config error: {path}: cannot read: {getattr(exc, 'strerror', None) or exc}")
        return cfg

    import yaml  # only when there is a config file

    try:
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        cfg.errors.append(f"config error: {where}: {problem} (using defaults)")
        return cfg
    if data is None:
        return cfg

    def line_of(*keys: str) -> int:
        node = root
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            for k, v in node.value:
                if k.value == key:
                    node = k if key == keys[-1] else v
                    break
            else:
                break
        return (node.start_mark.line + 1) if node is not None else 1

    def error(message: str, *keys: str) -> None:
        cfg.errors.append(f"config error: {path}:{line_of(*keys)}: {message}")

    if not isinstance(data, dict):
        error("expected a mapping with 'theme:' and 'keys:'")
        return cfg
    for key in data:
        if key not in ("theme", "keys"):
            error(f"unknown setting {str(key)!r} (known: theme, keys)", str(key))
    theme = data.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme.strip():
            cfg.theme = theme.strip()
        else:
            error("theme: expected a theme name", "theme")
    keys = data.get("keys")
    if keys is not None:
        if not isinstance(keys, dict):
            error("keys: expected a mapping of binding id to keys", "keys")
        else:
            for bid, value in keys.items():
                bid = str(bid)
                if known_ids is not None and bid not in known_ids:
                    error(f"keys: unknown binding id {bid!r} (the help screen, ?, lists them)", "keys", bid)
                    continue
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    value = ",".join(value)
                if not isinstance(value, str) or not value.strip():
                    error(f"keys: {bid}: expected a key or keys separated by commas", "keys", bid)
                    continue
                cfg.keys[bid] = ",".join(k.strip() for k in value.split(",") if k.strip())
    return cfg
