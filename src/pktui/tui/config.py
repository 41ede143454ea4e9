"""The user's config file: ``$XDG_CONFIG_HOME/pktui/config.yaml`` (``~/.config/pktui/config.yaml``).

```yaml
theme: nord
keys:
  search: "ctrl+f,slash"    # binding id -> one key or several, comma separated
  next_mark: "n,ctrl+down"
```

A config that cannot be read gives one error line naming the file and the line; the app
then starts with its defaults (or with the parts of the file that were fine). ``fields:``
(record field names) belongs to the corpus reader: see :mod:`pktui.userconfig`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pktui.userconfig import SECTIONS, config_fields, config_path, read_config

__all__ = ["Config", "config_path", "load_config"]


@dataclass
class Config:
    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    errors: list[str] = field(default_factory=list)


def load_config(path: Path | None = None, known_ids: set[str] | None = None) -> Config:
    """Read the config file; every problem becomes one line in ``Config.errors``.

    Read through :mod:`pktui.userconfig` (a regular file only, size- and alias-bounded);
    ``fields:`` is the corpus reader's section: checked here so that its errors show too.
    """
    file = read_config(path)
    cfg = Config(file.path, errors=list(file.errors))
    data = file.data
    if not data:
        return cfg
    error = lambda message, *keys: cfg.errors.append(file.error(message, *keys))
    for key in data:
        if key not in SECTIONS:
            error(f"unknown setting {key!r} (known: {', '.join(SECTIONS)})", key)
    cfg.errors.extend(config_fields(file)[1])
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
