"""The operations log: JSON lines in <home>/logs/<process>.jsonl (counter, staff, web,
web-access, cli), rotated at 5 MiB keeping 5 old files, owner-only (0600) like every file here.

One line per event, for whoever keeps the machine running: starts and stops, schema upgrades,
cases created and moved on, receipts printed or not, staff sign-ins (by account id), the web
server's requests. Never personal data: messages name records by their numeric id, never a
name, document number, phone or address; the web access log keeps the path without its query
string and with the tracking token of /t/<token> replaced by "-", and the client's network
(IPv4 /24, IPv6 /48), not its address. An exception is logged by its class only: its message can
quote a citizen's data, and its traceback goes to the fault log (kiosk-error.log, kiosk.faults).

Only the fields listed in FIELDS are copied from a record's `extra`: a field nobody vetted never
reaches the file. Several processes of one kind (staff consoles over SSH) share a file; at a
rotation a process may write a few more lines into the renamed file until it next opens it."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import UTC, datetime
from pathlib import Path

from .files import private_dir, private_opener

LOG_DIR = "logs"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
# extra fields a record may carry into the file (anything else is dropped)
FIELDS = ("event", "command", "version", "schema", "from_schema", "to_schema", "backup", "case_id", "action",
          "status", "category", "channel", "staff_id", "role", "printed", "reason", "method", "path", "code",
          "ms", "net", "lang", "count", "columns", "rows", "term", "colorterm", "thai_columns")
ACCESS_LOGGER = "kiosk.web.access"
_installed: list[tuple[logging.Logger, logging.Handler]] = []


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        for name in FIELDS:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__  # the class only; the traceback is in kiosk-error.log
        return json.dumps(line, ensure_ascii=False, default=str)

    def formatException(self, ei) -> str:  # never called by format above; kept empty on purpose
        return ""


class PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files are created 0600 whatever the umask."""

    def _open(self):
        return open(self.baseFilename, self.mode, encoding=self.encoding, opener=private_opener)  # noqa: SIM115


def log_folder(home: Path) -> Path:
    return home / LOG_DIR


class _Stderr(logging.StreamHandler):
    """Standard error as it is when a record comes (a test harness swaps sys.stderr)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _file_handler(folder: Path | None, name: str) -> logging.Handler:
    if folder is None:
        return logging.NullHandler()  # no log folder: and lastResort must not draw on a full-screen app
    handler = PrivateRotatingFile(folder / f"{name}.jsonl", maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                  encoding="utf-8", delay=True)
    handler.setFormatter(JsonLines())
    handler.setLevel(logging.INFO)
    return handler


def configure(home: Path, process: str, *, stderr: bool = False) -> Path | None:
    """Send this process's log records to <home>/logs/<process>.jsonl (replacing what an earlier
    call set up); for the web server, requests to web-access.jsonl. With `stderr`, warnings also
    go to standard error as text (never for the two full-screen apps: Textual draws on stderr).
    Returns the file, or None when it cannot be made (the program runs on without its log)."""
    root, access = logging.getLogger(), logging.getLogger(ACCESS_LOGGER)
    for logger, handler in _installed:
        logger.removeHandler(handler)
        handler.close()
    _installed.clear()
    try:
        folder: Path | None = private_dir(log_folder(home))
    except OSError:
        folder = None
    _installed.append((root, _file_handler(folder, process)))
    if stderr:
        text = _Stderr()
        text.setLevel(logging.WARNING)
        text.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        _installed.append((root, text))
    if process == "web":
        _installed.append((access, _file_handler(folder, "web-access")))
    access.propagate = False  # requests go to web-access.jsonl only (nowhere outside the web server)
    access.setLevel(logging.INFO)
    for logger, handler in _installed:
        logger.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    for noisy in ("asyncio", "PIL", "fontTools", "urllib3", "httpx", "httpcore", "multipart"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return None if folder is None else folder / f"{process}.jsonl"


def event(logger: logging.Logger | str, message: str, **fields: object) -> None:
    """Log one INFO event with vetted fields (see FIELDS); never raises."""
    try:
        target = logging.getLogger(logger) if isinstance(logger, str) else logger
        target.info(message, extra={k: v for k, v in fields.items() if k in FIELDS})
    except Exception:
        pass


def process_name(command: str) -> str:
    """The log file a command writes: the two apps and the web server their own, the rest cli."""
    return {"counter": "counter", "staff": "staff", "serve": "web"}.get(command, "cli")
