"""Files the user names, read and written safely: every layer uses these.

- :func:`open_regular` opens a path only if it is a regular file, without ever blocking on a
  FIFO or a device (``O_NONBLOCK``, then ``fstat``), and reads paths of any length (a path
  over the system's limit is opened folder by folder, each relative to its parent's
  descriptor).
- :func:`read_regular` reads such a file with a size bound.
- :func:`load_user_yaml` parses YAML written by a user with alias expansion bounded (a
  "billion laughs" file is refused, naming the file).
- :func:`atomic_output` writes a file through a temporary file in the same folder, renamed
  over the target only once complete: a failed write leaves the old file whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

#: config.yaml, gazetteers, query files: far below this
MAX_USER_FILE_BYTES = 64 * 1024 * 1024
#: nodes a user's YAML may expand to through aliases (a gazetteer of 100,000 entries is ~10^6)
MAX_YAML_NODES = 5_000_000
#: aliases (``*name``) in one user YAML file
MAX_YAML_ALIASES = 10_000


class UserFileError(ValueError):
    """A file the user named cannot be read; the message is one line naming the file."""


def describe_mode(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_long(path: str, flags: int) -> int:
    """Open a path longer than the system allows, one folder at a time (``dir_fd``)."""
    if os.open not in os.supports_dir_fd:
        raise OSError(errno.ENAMETOOLONG, "path too long for this system", path)
    parts = [p for p in path.split(os.sep) if p]
    fd = os.open(os.sep if os.path.isabs(path) else ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for part in parts[:-1]:
            nxt = os.open(part, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0), dir_fd=fd)
            os.close(fd)
            fd = nxt
        return os.open(parts[-1] if parts else ".", flags, dir_fd=fd)
    finally:
        os.close(fd)


def open_fd(path: str | os.PathLike[str], flags: int = _OPEN_FLAGS) -> int:
    """``os.open`` that also reaches paths over the system's length limit."""
    try:
        return os.open(path, flags)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
    return _open_long(os.fspath(path), flags)


def open_regular(path: str | os.PathLike[str]) -> tuple[IO[bytes], os.stat_result]:
    """Open ``path`` for reading if it is a regular file; never blocks on a FIFO or device.

    Raises :class:`UserFileError` (a FIFO, a device, a folder) or :class:`OSError`.
    """
    if os.fspath(path) in ("", b""):
        raise UserFileError("empty path")
    fd = open_fd(path)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UserFileError(f"not a regular file: {describe_mode(st.st_mode)}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], limit: int = MAX_USER_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; one-line errors naming it."""
    shown = os.fspath(path)
    try:
        fh, _st = open_regular(path)
    except UserFileError as exc:
        raise UserFileError(f"{shown}: cannot read: {exc}") from None
    except OSError as exc:
        raise UserFileError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    with fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
        raise UserFileError(f"{shown}: cannot read: larger than {size}")
    return data


def read_user_text(path: str | os.PathLike[str], limit: int = MAX_USER_FILE_BYTES) -> str:
    """A UTF-8 text file the user named (BOM accepted), read with a size bound."""
    data = read_regular(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserFileError(f"{os.fspath(path)}: cannot read: not UTF-8 (invalid byte at offset {exc.start})") from None


# -- YAML from users ----------------------------------------------------------------------


def yaml_loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_user_yaml(text: str, shown: str) -> yaml.Node | None:
    """The YAML node tree of a user's file, refused when aliases would blow it up.

    Aliases share one node, so the expanded size is counted over the node graph without
    expanding it. Raises :class:`UserFileError` for a bomb or a recursive alias and lets
    ``yaml.YAMLError`` through for malformed YAML (callers name the line).
    """
    loader = yaml_loader_class()(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        check_yaml_size(node, shown)
    return node


def check_yaml_size(root: Any, shown: str) -> None:
    import yaml

    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    seen_twice = 0
    # iterative post-order walk: (node, children expanded?)
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            in_progress.discard(key)
            if isinstance(node, yaml.MappingNode):
                children = [c for pair in node.value for c in pair]
            else:
                children = list(node.value)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_YAML_NODES:
                raise UserFileError(
                    f"{shown}: refused: its aliases expand to more than {MAX_YAML_NODES:,} values "
                    "(a 'billion laughs' file?)"
                )
            sizes[key] = total
            continue
        if key in sizes:
            seen_twice += 1
            if seen_twice > MAX_YAML_ALIASES:
                raise UserFileError(f"{shown}: refused: more than {MAX_YAML_ALIASES:,} aliases")
            continue
        if key in in_progress:
            line = node.start_mark.line + 1 if node.start_mark else 0
            raise UserFileError(f"{shown}:{line}: refused: a recursive alias (a value that contains itself)")
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
            continue
        in_progress.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            children = [c for pair in node.value for c in pair]
        else:
            children = list(node.value)
        stack.extend((c, False) for c in reversed(children))


def construct_yaml(node: Any) -> Any:
    """Python values of a node tree from :func:`compose_user_yaml` (safe constructors only)."""
    if node is None:
        return None
    import yaml

    loader = yaml.SafeLoader("")  # the pure-Python constructor: it takes a node tree
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_user_yaml(text: str, shown: str) -> Any:
    """Parse a user's YAML safely and with alias expansion bounded."""
    return construct_yaml(compose_user_yaml(text, shown))


def yaml_error_line(exc: Exception, shown: str, what: str = "malformed YAML") -> str:
    """``FILE:LINE: malformed YAML: problem`` for a ``yaml.YAMLError``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    return f"{shown}{where}: {what}: {problem}"


# -- writing ------------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write ``path`` whole or not at all: a temporary file in the same folder, renamed over
    it once complete (mode kept); on any error the old file stays as it was.

    A target that exists and is not a regular file (``/dev/null``, a FIFO, a terminal) is
    written directly: it cannot be replaced.
    """
    target = os.fspath(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "w", encoding=encoding) as fh:
            yield fh
        return
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def node_line(root: Any, *keys: str | int) -> int | None:
    """The line (1-based) of the value at ``keys`` in a YAML node tree (mapping keys and
    list indexes), or of the deepest part found; None without a tree."""
    import yaml

    if root is None:
        return None
    node = root
    line = root.start_mark.line + 1
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            for k, v in node.value:
                if getattr(k, "value", None) == key:
                    node, line = v, v.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def move_database(path: str | os.PathLike[str], aside: str | os.PathLike[str]) -> None:
    """Move an SQLite file and its write-ahead log and shared memory to ``aside`` (each one
    that cannot be moved is deleted: it must not be opened as the live database again)."""
    for suffix in ("", "-wal", "-shm"):
        p = os.fspath(path) + suffix
        if os.path.exists(p):
            try:
                os.replace(p, os.fspath(aside) + suffix)
            except OSError:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(p)
