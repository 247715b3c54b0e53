"""Settings: one TOML file, validated strictly, overridden by KIOSK_* environment variables.

A bad value raises ConfigError naming the file, the line and the field; never a traceback."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from db.reference import NON_PUBLIC, category_keys

from .errors import ConfigError, ValidationError
from .printer_settings import PrinterSettings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGUAGES = ("th", "en")
LAO_KINDS = ("subdistrict_municipality", "town_municipality", "city_municipality", "sao", "pattaya", "bma")


@dataclass(frozen=True)
class Lao:
    subdistrict_code: str
    name_th: str
    name_en: str
    kind: str
    ticket_prefix: str


@dataclass(frozen=True)
class Settings:
    path: Path
    sample: bool
    centre_name_th: str
    centre_name_en: str
    laos: tuple[Lao, ...]
    house_no: str
    moo: int | None
    road: str
    subdistrict_code: str
    phones: tuple[str, ...]
    line_id: str
    facebook: str
    latitude: float
    longitude: float
    directions_th: str
    directions_en: str
    hours: dict[str, tuple[time, time] | None]
    holidays: tuple[date, ...]
    public_base_url: str
    default_language: str
    idle_timeout: int
    database_url: str
    web_host: str
    web_port: int
    api_keys: tuple[str, ...]
    emergency: dict[str, str]
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    # [web] proxies whose X-Forwarded-For is believed (addresses or networks)
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    # [web] public Open311 GETs one client (IPv4 address, IPv6 /64) may make per minute
    open311_per_minute: int = 60
    # [privacy] category keys whose cases the public Open311 API never shows
    non_public_categories: frozenset[str] = NON_PUBLIC
    retention_years: int = 10  # [privacy]: `kiosk.py purge` anonymises people after this long
    backup_keep: int = 14  # [backup] keep: how many backups `kiosk.py backup` keeps in <home>/backups

    @property
    def home(self) -> Path:
        return self.path.parent

    @property
    def host_lao(self) -> Lao:
        return self.laos[0]

    def centre_name(self, lang: str = "th") -> str:
        """The centre's name in `lang` (Thai when no English name is configured)."""
        return self.centre_name_en if lang == "en" and self.centre_name_en else self.centre_name_th


class _Reader:
    """Reads typed fields out of the parsed TOML, remembering where each one stands."""

    def __init__(self, path: Path, text: str, data: dict) -> None:
        self.path, self.lines, self.data = path, text.splitlines(), data

    def line_of(self, section: str, key: str | None) -> int | None:
        current = ""
        for n, line in enumerate(self.lines, 1):
            header = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
            if header:
                current = header.group(1)
                if key is None and current == section:
                    return n
                continue
            if key and current == section and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return n
        return None

    def fail(self, section: str, key: str | None, problem: str, **params: Any) -> ConfigError:
        name = f"{section}.{key}" if section and key else (key or section)
        line = self.line_of(section, key) or (self.line_of(section, None) if section else None)
        return ConfigError("errors.config", f"{self.path}:{line or '?'}: {name}: {problem.format(**params)}",
                           file=str(self.path), line=line or "?", field=name, problem=problem.format(**params))

    def table(self, section: str) -> dict:
        value = self.data.get(section, {})
        if not isinstance(value, dict):
            raise self.fail("", section, "must be a table [{section}]", section=section)
        return value

    def get(self, section: str, key: str, kind: type | tuple[type, ...], default: Any = ..., *, table: dict | None = None) -> Any:
        src = table if table is not None else (self.table(section) if section else self.data)
        if key not in src:
            if default is ...:
                raise self.fail(section, key, "is required")
            return default
        value = src[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(section, key, "must be {kind}", kind=_kind_name(kind))
        if not isinstance(value, kind):
            raise self.fail(section, key, "must be {kind}", kind=_kind_name(kind))
        if isinstance(value, str):
            value = value.strip()
        return value

    def text(self, section: str, key: str, default: Any = ..., *, required_nonempty: bool = False) -> str:
        value = self.get(section, key, str, default)
        if required_nonempty and not value:
            raise self.fail(section, key, "must not be empty")
        return value

    def unknown_keys(self, section: str, allowed: set[str], table: dict | None = None) -> None:
        src = table if table is not None else (self.table(section) if section else self.data)
        for key in src:
            if key not in allowed:
                raise self.fail(section, key, "unknown setting (allowed: {allowed})", allowed=", ".join(sorted(allowed)))


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list",
             dict: "a table", date: "a date (YYYY-MM-DD)"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _hours(r: _Reader) -> tuple[dict[str, tuple[time, time] | None], tuple[date, ...]]:
    src = r.table("hours")
    r.unknown_keys("hours", set(DAYS) | {"holidays"})
    hours: dict[str, tuple[time, time] | None] = {}
    for day in DAYS:
        spec = r.text("hours", day, "closed")
        if spec.lower() in ("", "closed", "ปิด"):
            hours[day] = None
            continue
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)", spec)
        if not m:
            raise r.fail("hours", day, 'must look like "08:30-16:30" or "closed"')
        opens = time(int(m[1]), int(m[2]))
        closes = time(23, 59) if m[3] == "24" else time(int(m[3]), int(m[4]))
        if closes <= opens:
            raise r.fail("hours", day, "closing time must be after opening time")
        hours[day] = (opens, closes)
    holidays = r.get("hours", "holidays", list, [], table=src)
    for h in holidays:
        if not isinstance(h, date):
            raise r.fail("hours", "holidays", "must be a list of dates like 2026-12-05 (no quotes)")
    return hours, tuple(holidays)


def _laos(r: _Reader) -> tuple[Lao, ...]:
    rows = r.data.get("lao")
    if not isinstance(rows, list) or not rows or not all(isinstance(x, dict) for x in rows):
        raise r.fail("", "lao", "needs at least one [[lao]] table")
    laos, prefixes = [], set()
    for row in rows:
        r.unknown_keys("lao", {"subdistrict_code", "name_th", "name_en", "kind", "ticket_prefix"}, table=row)
        code = r.get("lao", "subdistrict_code", str, table=row)
        if not re.fullmatch(r"\d{6}", code):
            raise r.fail("lao", "subdistrict_code", "must be the 6-digit DOPA subdistrict code")
        kind = r.get("lao", "kind", str, table=row)
        if kind not in LAO_KINDS:
            raise r.fail("lao", "kind", "must be one of {kinds}", kinds=", ".join(LAO_KINDS))
        prefix = r.get("lao", "ticket_prefix", str, table=row).upper()
        if not re.fullmatch(r"[A-Z]{2,5}", prefix) or prefix in prefixes:
            raise r.fail("lao", "ticket_prefix", "must be 2–5 Latin letters, different for each LAO")
        prefixes.add(prefix)
        name_th = r.get("lao", "name_th", str, table=row)
        if not name_th:
            raise r.fail("lao", "name_th", "must not be empty")
        laos.append(Lao(code, name_th, r.get("lao", "name_en", str, "", table=row), kind, prefix))
    return tuple(laos)


def _url(r: _Reader, section: str, key: str, value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise r.fail(section, key, "must be an http:// or https:// address")
    return value.rstrip("/")


def parse_settings(path: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    """Validate a configuration text; `environ` (default os.environ) supplies KIOSK_* overrides."""
    env = os.environ if environ is None else environ
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = m.group(1) if m else "?"
        raise ConfigError("errors.config", f"{path}:{line}: TOML syntax: {exc}", file=str(path), line=line,
                          field="(syntax)", problem=str(exc)) from None
    r = _Reader(path, text, data)
    r.unknown_keys("", {"sample", "centre", "lao", "address", "hours", "kiosk", "database", "web", "printer", "emergency",
                        "privacy", "backup"})
    for section, allowed in {
        "centre": {"name_th", "name_en", "phones", "line_id", "facebook", "latitude", "longitude",
                   "directions_th", "directions_en", "public_base_url"},
        "address": {"house_no", "moo", "road", "subdistrict_code"},
        "kiosk": {"default_language", "idle_timeout"},
        "database": {"url"},
        "web": {"host", "port", "api_keys", "trusted_proxies", "open311_per_minute"},
        "emergency": {"medical", "fire", "police", "disaster"},
        "privacy": {"non_public_categories", "public_categories", "retention_years"},
        "backup": {"keep"},
    }.items():
        r.unknown_keys(section, allowed)

    phones = r.get("centre", "phones", list, [])
    if not all(isinstance(p, str) and re.fullmatch(r"[0-9+\- ]{3,20}", p) for p in phones):
        raise r.fail("centre", "phones", 'must be a list of phone numbers like ["053-731-000"]')
    lat = float(r.get("centre", "latitude", (int, float)))
    lon = float(r.get("centre", "longitude", (int, float)))
    if not (5.0 <= lat <= 21.0):
        raise r.fail("centre", "latitude", "must be inside Thailand (5–21)")
    if not (97.0 <= lon <= 106.0):
        raise r.fail("centre", "longitude", "must be inside Thailand (97–106)")
    moo = r.get("address", "moo", int, None)
    if moo is not None and not (1 <= moo <= 99):
        raise r.fail("address", "moo", "must be 1–99")
    sub = r.text("address", "subdistrict_code")
    if not re.fullmatch(r"\d{6}", sub):
        raise r.fail("address", "subdistrict_code", "must be the 6-digit DOPA subdistrict code")
    hours, holidays = _hours(r)

    language = env.get("KIOSK_DEFAULT_LANGUAGE") or r.text("kiosk", "default_language", "th")
    if language not in LANGUAGES:
        raise r.fail("kiosk", "default_language", 'must be "th" or "en"')
    idle_raw = env.get("KIOSK_IDLE_TIMEOUT")
    idle = r.get("kiosk", "idle_timeout", int, 90)
    if idle_raw is not None:
        if not idle_raw.isascii() or not idle_raw.isdigit():
            raise ConfigError("errors.config", "KIOSK_IDLE_TIMEOUT: must be a whole number", file="(environment)",
                              line="-", field="KIOSK_IDLE_TIMEOUT", problem="must be a whole number")
        idle = int(idle_raw)
    if not (15 <= idle <= 3600):
        raise r.fail("kiosk", "idle_timeout", "must be 15–3600 seconds")

    db_url = env.get("KIOSK_DATABASE_URL") or r.text("database", "url", "sqlite:///kiosk.sqlite3")
    if db_url.startswith("sqlite:///") and not db_url.startswith("sqlite:////"):
        db_url = "sqlite:///" + str((path.parent / db_url[len("sqlite:///"):]).resolve())
    if not db_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise r.fail("database", "url", "must start with sqlite:/// or postgresql://")

    base = env.get("KIOSK_PUBLIC_BASE_URL") or r.text("centre", "public_base_url", "http://127.0.0.1:8080")
    base = _url(r, "centre", "public_base_url", base)
    web_host = env.get("KIOSK_WEB_HOST") or r.text("web", "host", "127.0.0.1")
    port = r.get("web", "port", int, 8080)
    if env.get("KIOSK_WEB_PORT"):
        port = int(env["KIOSK_WEB_PORT"]) if env["KIOSK_WEB_PORT"].isascii() and env["KIOSK_WEB_PORT"].isdigit() else -1
    if not (1 <= port <= 65535):
        raise r.fail("web", "port", "must be 1–65535")
    keys = r.get("web", "api_keys", list, [])
    if env.get("KIOSK_API_KEYS"):
        keys = [k.strip() for k in env["KIOSK_API_KEYS"].split(",") if k.strip()]
    if not all(isinstance(k, str) and len(k) >= 16 for k in keys):
        raise r.fail("web", "api_keys", "each key must be text of at least 16 characters")

    proxies = r.get("web", "trusted_proxies", list, ["127.0.0.1", "::1"])
    for proxy in proxies:
        try:
            if not isinstance(proxy, str):
                raise TypeError(proxy)
            ipaddress.ip_network(proxy, strict=False)
        except (TypeError, ValueError):
            raise r.fail("web", "trusted_proxies", 'must be a list of addresses or networks like ["127.0.0.1", "10.0.0.0/8"]') from None
    per_minute = r.get("web", "open311_per_minute", int, 60)
    if not (1 <= per_minute <= 100_000):
        raise r.fail("web", "open311_per_minute", "must be 1–100000")

    emergency = {"medical": "1669", "fire": "199", "police": "191", "disaster": "1784"}
    for key in emergency:
        value = r.text("emergency", key, emergency[key])
        if not re.fullmatch(r"[0-9\-]{3,12}", value):
            raise r.fail("emergency", key, "must be a phone number")
        emergency[key] = value
    retention_years = r.get("privacy", "retention_years", int, 10)
    if not (1 <= retention_years <= 100):
        raise r.fail("privacy", "retention_years", "must be 1–100 years")
    backup_keep = r.get("backup", "keep", int, 14)
    if not (1 <= backup_keep <= 1000):
        raise r.fail("backup", "keep", "must be 1–1000 backups")
    try:
        printer = PrinterSettings.from_mapping(r.table("printer"))
    except ValidationError as exc:
        raise r.fail("printer", exc.field, exc.args[0].split(": ", 1)[-1]) from None

    return Settings(
        path=path,
        sample=r.get("", "sample", bool, False),
        centre_name_th=r.text("centre", "name_th", required_nonempty=True),
        centre_name_en=r.text("centre", "name_en", ""),
        laos=_laos(r),
        house_no=r.text("address", "house_no", ""),
        moo=moo,
        road=r.text("address", "road", ""),
        subdistrict_code=sub,
        phones=tuple(p.strip() for p in phones),
        line_id=r.text("centre", "line_id", ""),
        facebook=r.text("centre", "facebook", ""),
        latitude=lat,
        longitude=lon,
        directions_th=r.text("centre", "directions_th", ""),
        directions_en=r.text("centre", "directions_en", ""),
        hours=hours,
        holidays=holidays,
        public_base_url=base,
        default_language=language,
        idle_timeout=idle,
        database_url=db_url,
        web_host=web_host,
        web_port=port,
        api_keys=tuple(keys),
        emergency=emergency,
        printer=printer,
        trusted_proxies=tuple(proxies),
        open311_per_minute=per_minute,
        non_public_categories=_non_public(r),
        retention_years=retention_years,
        backup_keep=backup_keep,
    )


def _non_public(r: _Reader) -> frozenset[str]:
    """[privacy] non_public_categories replaces the built-in set (db.reference.NON_PUBLIC);
    public_categories takes keys out of it. An area key stands for all its sub-types, so
    `non_public_categories = ["quality_of_life"]` with `public_categories = ["home_repair"]`
    hides the area but one sub-type. The same key in both lists is an error."""
    known = category_keys()

    def listed(name: str) -> list[str] | None:
        value = r.get("privacy", name, list, None)
        unknown = [k for k in value or () if not isinstance(k, str) or k not in known]
        if unknown:
            raise r.fail("privacy", name, "unknown category keys {keys} (known: {known})",
                         keys=", ".join(map(str, unknown)), known=", ".join(known))
        return value

    hidden, shown = listed("non_public_categories"), listed("public_categories")
    both = set(hidden or ()) & set(shown or ())
    if both:
        raise r.fail("privacy", "public_categories", "names categories that non_public_categories lists too: {keys}",
                     keys=", ".join(sorted(both)))
    base = NON_PUBLIC if hidden is None else {key for k in hidden for key in known[k]}
    return frozenset(base - {key for k in shown or () for key in known[k]})


def default_home() -> Path:
    """Where config and the SQLite file live: $KIOSK_HOME, else ./var beside kiosk.py."""
    return Path(os.environ.get("KIOSK_HOME") or Path(__file__).resolve().parent.parent / "var")


def config_path() -> Path:
    return Path(os.environ.get("KIOSK_CONFIG") or default_home() / "kiosk.toml")


SAMPLE_CONFIG = Path(__file__).parent / "deploy" / "kiosk.sample.toml"


def load_settings(path: Path | None = None, *, create_sample: bool = False) -> Settings:
    """Read and validate the config file; with create_sample, write the sample centre first if
    there is none (the quick start)."""
    path = path or config_path()
    if not path.exists():
        if not create_sample:
            raise ConfigError("errors.config_missing", f"{path}: no such file", file=str(path))
        from .files import write_private

        try:
            write_private(path, SAMPLE_CONFIG.read_text(encoding="utf-8"))  # it will hold keys: 0600, folder 0700
        except OSError as exc:
            raise ConfigError("errors.config_unwritable", f"{path}: {exc.strerror}", file=str(path)) from None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("errors.config_unreadable", f"{path}: {exc}", file=str(path)) from None
    return parse_settings(path, text)
