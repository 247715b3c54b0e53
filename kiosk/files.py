"""Private files. What the program writes under <home> holds personal data or secrets (the
database, the config with API keys and perhaps a database password, receipts, the error log,
backups), and the server may have other Unix accounts (the SSH setup adds some). So every file
is created 0600 and every folder 0700 whatever the umask, and files that others can already
reach are named with the `chmod` that fixes them (`exposed_files`, also for `doctor`)."""

from __future__ import annotations

import os
import shlex
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Settings

FILE_MODE = 0o600
DIR_MODE = 0o700
ERROR_LOG = "kiosk-error.log"


def private_dir(path: str | os.PathLike[str]) -> Path:
    """The folder `path`, created 0700 (parents as usual) when missing; an existing folder is left
    as it is (`exposed_files` names it if others can read it)."""
    path = Path(path)
    if path.is_dir():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        if path.is_dir():  # another process made it just now
            return path
        raise
    os.chmod(path, DIR_MODE)  # mkdir's mode passes through the umask; say it exactly
    return path


def private_opener(path: str | os.PathLike[str], flags: int) -> int:
    """For `open(..., opener=private_opener)`: a file this call creates is 0600."""
    return os.open(path, flags, FILE_MODE)


def touch_private(path: str | os.PathLike[str]) -> Path:
    """Create an empty 0600 file if there is none (SQLite then keeps that mode, and gives the
    same to its -wal and -shm files)."""
    path = Path(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    return path


def write_private(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Replace `path` atomically with `data` (str as UTF-8): a 0600 file written beside it,
    flushed to disk, then renamed over it. Readers see the old file or the new, never half."""
    path = Path(path)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def is_exposed(path: Path) -> bool:
    """True when group or others have any permission on `path` (a missing path is not exposed)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(stat.S_IMODE(mode) & 0o077)


def private_paths(settings: Settings) -> list[Path]:
    """Every file and folder the program writes that must stay private (present or not)."""
    from db.connection import sqlite_path

    home = settings.home
    paths = [home, settings.path, home / "receipts", home / "forms", home / "backups", home / "exports",
             home / "logs", home / ERROR_LOG]
    db_file = sqlite_path(settings.database_url)
    if db_file is not None:
        paths += [db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")]  # its folder may be shared
    return list(dict.fromkeys(paths))


def exposed_files(settings: Settings) -> list[Path]:
    """Files and folders of this installation that group or others can read or write."""
    return [p for p in private_paths(settings) if is_exposed(p)]


def fix_command(path: Path) -> str:
    """The shell command that makes `path` private."""
    return f"chmod {'700' if path.is_dir() else '600'} {shlex.quote(str(path))}"
