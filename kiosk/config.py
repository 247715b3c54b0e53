"""Settings: one TOML file, validated strictly, overridden by KIOSK_* environment variables.

The file's schema is declared once, here: a dataclass per section whose fields say, each with
`setting(...)`, what they hold, their key, type, default, checks and the environment variable that
overrides them. `parse_settings` walks those declarations. A bad value raises ConfigError naming the
file, the line and the field (or the environment variable it came from); never a traceback."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from db.reference import CATEGORIES, NON_PUBLIC, category_keys

from .errors import ConfigError, ValidationError
from .printer_settings import PrinterSettings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGUAGES = ("th", "en")
LAO_KINDS = ("subdistrict_municipality", "town_municipality", "city_municipality", "sao", "pattaya", "bma")
EMERGENCY_NUMBERS = {"medical": "1669", "fire": "199", "police": "191", "disaster": "1784"}


# -- the vocabulary of the schema -------------------------------------------------------------------

class Problem(ValueError):
    """What is wrong with a value, in words; the reader adds the file, line and field, or the
    environment variable. `key` names the key at fault when a check sees several (a group)."""

    def __init__(self, text: str, key: str | None = None) -> None:
        super().__init__(text)
        self.key = key


Check = Callable[[Any], Any]  # takes a value, returns it (perhaps converted) or raises Problem


@dataclass(frozen=True)
class Setting:
    """How one field is read. `key` is its key in the section's table (default: the field's name);
    a group reads several `keys` together and its checks get them as a dict of those present.
    `kind` is the TOML type(s) accepted (None: the checks judge). `env` names the environment
    variable that overrides the file; its text is read as `kind` (a list is comma-separated). The
    default is the dataclass field's own and is taken as it is, unchecked."""

    doc: str
    key: str | None = None
    kind: type | tuple[type, ...] | None = str
    env: str | None = None
    checks: tuple[Check, ...] = ()
    keys: tuple[str, ...] = ()


def setting(doc: str, default: Any = MISSING, *, key: str | None = None, kind: type | tuple[type, ...] | None = str,
            env: str | None = None, checks: tuple[Check, ...] = (), keys: tuple[str, ...] = ()) -> Any:
    """A dataclass field declared as a setting (see Setting)."""
    return field(default=default, metadata={"setting": Setting(doc, key, kind, env, checks, keys)})


def within(lo: float, hi: float, unit: str = "", *, problem: str = "") -> Check:
    problem = problem or f"must be {lo}–{hi}{' ' + unit if unit else ''}"

    def check(value: Any) -> Any:
        if not lo <= value <= hi:
            raise Problem(problem)
        return value
    return check


def one_of(choices: tuple[str, ...], problem: str) -> Check:
    def check(value: str) -> str:
        if value not in choices:
            raise Problem(problem)
        return value
    return check


def matching(pattern: str, problem: str) -> Check:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise Problem(problem)
        return value
    return check


def not_empty(value: str) -> str:
    if not value:
        raise Problem("must not be empty")
    return value


DOPA_CODE = matching(r"\d{6}", "must be the 6-digit DOPA subdistrict code")


def _phones(value: list) -> tuple[str, ...]:
    if not all(isinstance(p, str) and re.fullmatch(r"[0-9+\- ]{3,20}", p) for p in value):
        raise Problem('must be a list of phone numbers like ["053-731-000"]')
    return tuple(p.strip() for p in value)


def _http_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise Problem("must be an http:// or https:// address")
    return value.rstrip("/")


def _database_url(value: str) -> str:
    if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise Problem("must start with sqlite:/// or postgresql://")
    return value


def _api_keys(value: list) -> tuple[str, ...]:
    if not all(isinstance(k, str) and len(k) >= 16 for k in value):
        raise Problem("each key must be text of at least 16 characters")
    return tuple(value)


def _networks(value: list) -> tuple[str, ...]:
    for proxy in value:
        try:
            if not isinstance(proxy, str):
                raise TypeError(proxy)
            ipaddress.ip_network(proxy, strict=False)
        except (TypeError, ValueError):
            raise Problem('must be a list of addresses or networks like ["127.0.0.1", "10.0.0.0/8"]') from None
    return tuple(value)


def _dates(value: list) -> tuple[date, ...]:
    if not all(isinstance(d, date) for d in value):
        raise Problem("must be a list of dates like 2026-12-05 (no quotes)")
    return tuple(value)


def _opening_hours(given: dict[str, str]) -> dict[str, tuple[time, time] | None]:
    """Each day's "08:30-16:30" as (opens, closes); "closed" (or missing) as None."""
    hours: dict[str, tuple[time, time] | None] = {}
    for day in DAYS:
        spec = given.get(day, "closed")
        if spec.lower() in ("", "closed", "ปิด"):
            hours[day] = None
            continue
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)", spec)
        if not m:
            raise Problem('must look like "08:30-16:30" or "closed"', day)
        opens = time(int(m[1]), int(m[2]))
        closes = time(23, 59) if m[3] == "24" else time(int(m[3]), int(m[4]))
        if closes <= opens:
            raise Problem("closing time must be after opening time", day)
        hours[day] = (opens, closes)
    return hours


def _emergency_numbers(given: dict[str, str]) -> dict[str, str]:
    numbers = EMERGENCY_NUMBERS | given
    for key, number in numbers.items():
        if not re.fullmatch(r"[0-9\-]{3,12}", number):
            raise Problem("must be a phone number", key)
    return numbers


def _hidden_categories(given: dict[str, list]) -> frozenset[str]:
    """non_public_categories replaces the built-in set (db.reference.NON_PUBLIC); public_categories
    takes keys out of it. An area key stands for all its sub-types, so `non_public_categories =
    ["quality_of_life"]` with `public_categories = ["home_repair"]` hides the area but one
    sub-type. The same key in both lists is an error."""
    known = category_keys()
    for name, keys in given.items():
        unknown = [k for k in keys if not isinstance(k, str) or k not in known]
        if unknown:
            raise Problem(f"unknown category keys {', '.join(map(str, unknown))} (known: {', '.join(known)})", name)
    hidden, shown = given.get("non_public_categories"), given.get("public_categories", [])
    both = set(hidden or ()) & set(shown)
    if both:
        raise Problem(f"names categories that non_public_categories lists too: {', '.join(sorted(both))}",
                      "public_categories")
    base = NON_PUBLIC if hidden is None else {key for k in hidden for key in known[k]}
    return frozenset(base - {key for k in shown for key in known[k]})


def _printer(given: dict[str, Any]) -> PrinterSettings:
    try:
        return PrinterSettings(**given)
    except ValidationError as exc:
        raise Problem(exc.args[0].split(": ", 1)[-1], exc.field) from None


@dataclass(frozen=True)
class AidLimit:
    """The regulation's cap on one area (or sub-type) of help: at most `per_time` baht each time
    help is handed over, at most `times_per_year` times per family in a Thai fiscal year
    (1 Oct – 30 Sep). None: no cap of that kind."""

    per_time: Decimal | None = None
    times_per_year: int | None = None


# the regulation's areas of help (in_budget): the keys [aid_limits] may hold
AID_LIMIT_KEYS = tuple(area for area, (in_budget, _subs) in CATEGORIES.items() if in_budget)


def _aid_limits(given: dict[str, dict]) -> dict[str, AidLimit]:
    """Each `area = { per_time = 3000, times_per_year = 3 }` as an AidLimit (it covers every
    sub-type of the area: kiosk.services.aid_limits)."""
    limits: dict[str, AidLimit] = {}
    for key, table in given.items():
        unknown = sorted(set(table) - {"per_time", "times_per_year"})
        if unknown:
            raise Problem(f"unknown {', '.join(unknown)} (allowed: per_time, times_per_year)", key)
        per_time, times = table.get("per_time"), table.get("times_per_year")
        if per_time is not None and (isinstance(per_time, bool) or not isinstance(per_time, (int, float))
                                     or not 0 < per_time <= 10_000_000):
            raise Problem("per_time must be baht, more than 0 (like 3000)", key)
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= 366):
            raise Problem("times_per_year must be a whole number 1–366", key)
        if per_time is None and times is None:
            raise Problem("needs per_time, times_per_year or both", key)
        limits[key] = AidLimit(Decimal(str(per_time)).quantize(Decimal("0.01")) if per_time is not None else None,
                               times)
    return limits


# -- the schema -------------------------------------------------------------------------------------

# A section is declared for its fields' sake: Settings inherits them and is the one built, so a
# section needs none of the methods a dataclass would generate (fewer to make at import).
_section = dataclass(frozen=True, kw_only=True, init=False, repr=False, eq=False)


@_section
class TopLevel:
    """Keys outside any table."""

    SECTION: ClassVar[str] = ""
    sample: bool = setting('True while the file holds the example centre: the kiosk shows "sample data"', False,
                           kind=bool)


@dataclass(frozen=True, kw_only=True)
class Lao:
    """One [[lao]] table: a local administrative organisation this centre serves (the first is the host)."""

    SECTION: ClassVar[str] = "lao"
    subdistrict_code: str = setting("The LAO's 6-digit DOPA subdistrict code", checks=(DOPA_CODE,))
    name_th: str = setting("The LAO's name in Thai", checks=(not_empty,))
    name_en: str = setting("The LAO's name in English", "")
    kind: str = setting(f"What kind of LAO it is: {', '.join(LAO_KINDS)}",
                        checks=(one_of(LAO_KINDS, f"must be one of {', '.join(LAO_KINDS)}"),))
    ticket_prefix: str = setting("2–5 Latin letters that begin its ticket numbers (WPK-69-00123)",
                                 checks=(str.upper, matching(r"[A-Z]{2,5}", "must be 2–5 Latin letters, different for each LAO")))
    phones: tuple[str, ...] = setting('Its own phone numbers, like ["053-731-001"] (a joint centre shows them '
                                      "on the status page and the info screen)", (), kind=list, checks=(_phones,))
    line_id: str = setting("Its own LINE official account, like @wiangphangkham", "")

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th


@dataclass(frozen=True, kw_only=True)
class Agency:
    """One [[agency]] table: an agency outside the joint centre that a case can be referred to
    (kiosk.services.referral). None given: the four of DEFAULT_AGENCIES."""

    SECTION: ClassVar[str] = "agency"
    key: str = setting("A short stable key, Latin letters, digits or _ (kept in each referral)",
                       checks=(matching(r"[a-z][a-z0-9_]{1,29}", "must be 2–30 lower-case letters, digits or _"),))
    name_th: str = setting("The agency's name in Thai (shown on the public timeline)", checks=(not_empty,))
    name_en: str = setting("The agency's name in English", "")
    phone: str = setting("Its hotline or phone number, as people dial it", "")


DEFAULT_AGENCIES = (
    Agency(key="msdhs", name_th="กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์ (พม.)",
           name_en="Ministry of Social Development and Human Security", phone="1300"),
    Agency(key="damrongdhamma", name_th="ศูนย์ดำรงธรรม", name_en="Damrongdhamma Centre", phone="1567"),
    Agency(key="district_office", name_th="ที่ว่าการอำเภอ", name_en="District Office", phone=""),
    Agency(key="hospital", name_th="โรงพยาบาล", name_en="Hospital", phone=""),
)


@_section
class CentreSection:
    """[centre]: the centre's public face: names, contacts, where it is."""

    SECTION: ClassVar[str] = "centre"
    centre_name_th: str = setting("The centre's name in Thai", key="name_th", checks=(not_empty,))
    centre_name_en: str = setting("The centre's name in English (Thai is shown when empty)", "", key="name_en")
    phones: tuple[str, ...] = setting('Phone numbers, like ["053-731-000"]', (), kind=list, checks=(_phones,))
    line_id: str = setting("The LINE official account, like @centre", "")
    facebook: str = setting("The Facebook page", "")
    latitude: float = setting("Where the centre is (degrees north, inside Thailand)", kind=(int, float),
                              checks=(float, within(5.0, 21.0, problem="must be inside Thailand (5–21)")))
    longitude: float = setting("Where the centre is (degrees east, inside Thailand)", kind=(int, float),
                               checks=(float, within(97.0, 106.0, problem="must be inside Thailand (97–106)")))
    directions_th: str = setting("How to find the counter, in Thai", "")
    directions_en: str = setting("How to find the counter, in English", "")
    public_base_url: str = setting("Address of the status web page the receipt's QR code points to",
                                   "http://127.0.0.1:8080", env="KIOSK_PUBLIC_BASE_URL", checks=(_http_url,))


@_section
class AddressSection:
    """[address]: the centre's postal address."""

    SECTION: ClassVar[str] = "address"
    house_no: str = setting("House number", "")
    moo: int | None = setting("Village number (หมู่), 1–99", None, kind=int, checks=(within(1, 99),))
    road: str = setting("Road", "")
    subdistrict_code: str = setting("The 6-digit DOPA subdistrict code (gives subdistrict, district, province)",
                                    checks=(DOPA_CODE,))


@_section
class HoursSection:
    """[hours]: when the centre is open."""

    SECTION: ClassVar[str] = "hours"
    hours: dict[str, tuple[time, time] | None] = setting(
        'Each day\'s opening hours, "08:30-16:30" or "closed" (the default)', keys=DAYS, checks=(_opening_hours,))
    holidays: tuple[date, ...] = setting("Days the centre is closed, as TOML dates (2026-12-05, no quotes)", (),
                                         kind=list, checks=(_dates,))


@_section
class KioskSection:
    """[kiosk]: the counter."""

    SECTION: ClassVar[str] = "kiosk"
    default_language: str = setting('The language the counter starts in: "th" or "en"', "th",
                                    env="KIOSK_DEFAULT_LANGUAGE", checks=(one_of(LANGUAGES, 'must be "th" or "en"'),))
    idle_timeout: int = setting('Seconds without a touch before "are you still there?"', 90, kind=int,
                                env="KIOSK_IDLE_TIMEOUT", checks=(within(15, 3600, "seconds"),))


@_section
class DatabaseSection:
    """[database]: where the cases are kept."""

    SECTION: ClassVar[str] = "database"
    database_url: str = setting("sqlite:///file (relative to the config file's folder) or postgresql://user@host/db",
                                "sqlite:///kiosk.sqlite3", key="url", env="KIOSK_DATABASE_URL", checks=(_database_url,))


@_section
class WebSection:
    """[web]: the status page and the Open311 API (`kiosk.py serve`)."""

    SECTION: ClassVar[str] = "web"
    web_host: str = setting("The address the web server binds to", "127.0.0.1", key="host", env="KIOSK_WEB_HOST")
    web_port: int = setting("The port the web server listens on", 8080, key="port", kind=int, env="KIOSK_WEB_PORT",
                            checks=(within(1, 65535),))
    api_keys: tuple[str, ...] = setting("Keys (≥16 characters) that may POST Open311 requests and read non-public "
                                        "categories and exact times", (), kind=list, env="KIOSK_API_KEYS",
                                        checks=(_api_keys,))
    trusted_proxies: tuple[str, ...] = setting("Proxies (addresses or networks) whose X-Forwarded-For is believed",
                                               ("127.0.0.1", "::1"), kind=list, checks=(_networks,))
    open311_per_minute: int = setting("Public Open311 GETs one client (IPv4 address, IPv6 /64) may make per minute",
                                      60, kind=int, checks=(within(1, 100000),))


@_section
class PrinterSection:
    """[printer]: the receipt printer (kiosk.printer_settings checks the combination)."""

    SECTION: ClassVar[str] = "printer"
    printer: PrinterSettings = setting("kind (none, usb, network, file), paper_mm (58 or 80), usb_vendor_id and "
                                       "usb_product_id (usb), host and port (network), device (file)",
                                       kind=None, keys=tuple(f.name for f in fields(PrinterSettings)),
                                       checks=(_printer,))


@_section
class PrivacySection:
    """[privacy]: what is kept, and what the public API never shows."""

    SECTION: ClassVar[str] = "privacy"
    retention_years: int = setting("`kiosk.py purge` anonymises people whose every case ended this many years ago",
                                   10, kind=int, checks=(within(1, 100, "years"),))
    non_public_categories: frozenset[str] = setting(
        "Category keys whose cases the public Open311 API never shows: non_public_categories replaces the "
        "built-in list, public_categories takes keys out of it", kind=list,
        keys=("non_public_categories", "public_categories"), checks=(_hidden_categories,))


@_section
class BackupSection:
    """[backup]: `kiosk.py backup`."""

    SECTION: ClassVar[str] = "backup"
    backup_keep: int = setting("How many backups `kiosk.py backup` keeps in <home>/backups", 14, key="keep", kind=int,
                               checks=(within(1, 1000, "backups"),))


@_section
class EmergencySection:
    """[emergency]: the numbers the counter shows for emergencies."""

    SECTION: ClassVar[str] = "emergency"
    emergency: dict[str, str] = setting("Phone numbers for medical, fire, police and disaster emergencies "
                                        "(default 1669, 199, 191, 1784)", keys=tuple(EMERGENCY_NUMBERS),
                                        checks=(_emergency_numbers,))


@_section
class AidLimitsSection:
    """[aid_limits]: the caps of the MoI regulation on help expenses (B.E. 2560 and amendments),
    checked when help is handed over; going over takes a supervisor and a reason."""

    SECTION: ClassVar[str] = "aid_limits"
    aid_limit_source: str = setting("Where the figures come from (regulation, clause, amendment), printed with them",
                                    "", key="source")
    aid_limits: dict[str, AidLimit] = setting(
        f"Per area of help ({', '.join(AID_LIMIT_KEYS)}): {{ per_time = baht, times_per_year = N }} (either or "
        "both); an area not listed is not checked",
        kind=dict, keys=AID_LIMIT_KEYS, checks=(_aid_limits,))


SECTIONS = (TopLevel, CentreSection, AddressSection, HoursSection, KioskSection, DatabaseSection, WebSection,
            PrinterSection, PrivacySection, BackupSection, EmergencySection, AidLimitsSection)


@dataclass(frozen=True, kw_only=True)
class Settings(*SECTIONS):  # type: ignore[misc]
    """Every section's fields in one object, under the flat names the code uses (`settings.web_port`);
    the sections above are where each is declared. Built only by `parse_settings`."""

    path: Path
    laos: tuple[Lao, ...]
    agencies: tuple[Agency, ...] = DEFAULT_AGENCIES

    @property
    def home(self) -> Path:
        return self.path.parent

    @property
    def host_lao(self) -> Lao:
        return self.laos[0]

    @property
    def joint(self) -> bool:
        """A joint operations centre: several member LAOs (public pages then name the LAO)."""
        return len(self.laos) > 1

    def lao(self, prefix: str) -> Lao | None:
        """The member LAO of a ticket prefix, or None (one this config does not list)."""
        return next((x for x in self.laos if x.ticket_prefix == prefix), None)

    @property
    def public_url_is_local(self) -> bool:
        """The QR codes (receipt, poster) point at this machine itself (127.0.0.1, localhost):
        no citizen's phone can open them. Staff and admins are told; citizens are not."""
        from urllib.parse import urlsplit

        host = (urlsplit(self.public_base_url).hostname or "").lower()
        if host in ("localhost", "") or host.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return address.is_loopback or address.is_unspecified

    @property
    def is_sample(self) -> bool:
        """The example centre, or QR codes no phone can open: printed matter says "sample"."""
        return self.sample or self.public_url_is_local

    def centre_name(self, lang: str = "th") -> str:
        """The centre's name in `lang` (Thai when no English name is configured)."""
        return self.centre_name_en if lang == "en" and self.centre_name_en else self.centre_name_th


@cache
def _declared(cls: type) -> tuple[tuple[tuple[str, str, Any, Setting], ...], frozenset[str]]:
    """A section's fields as (name, key, default, Setting), and every key its table may hold."""
    declared = tuple((f.name, f.metadata["setting"].key or f.name, f.default, f.metadata["setting"])
                     for f in fields(cls))
    return declared, frozenset(k for _, key, _, s in declared for k in s.keys or (key,))


def schema() -> Iterator[tuple[str, str, Setting]]:
    """Every key the file may hold, as (section, key, its Setting), in the file's order."""
    for cls in (SECTIONS[0], Lao, Agency, *SECTIONS[1:]):
        for _, key, _, s in _declared(cls)[0]:
            for k in s.keys or (key,):
                yield cls.SECTION, k, s


# -- reading ----------------------------------------------------------------------------------------

class _Reader:
    """Reads the parsed TOML, and says where in the file a problem stands."""

    def __init__(self, path: Path, text: str, data: dict, environ: Mapping[str, str]) -> None:
        self.path, self.lines, self.data, self.environ = path, text.splitlines(), data, environ

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

    def fail(self, section: str, key: str | None, problem: str, *, message: str = "errors.config") -> ConfigError:
        name = f"{section}.{key}" if section and key else (key or section)
        line = self.line_of(section, key) or (self.line_of(section, None) if section else None)
        return ConfigError(message, f"{self.path}:{line or '?'}: {name}: {problem}",
                           file=str(self.path), line=line or "?", field=name, problem=problem)

    def missing(self, section: str, key: str) -> ConfigError:
        """A required setting not in the file: the line where it belongs (its table's header; a
        top-level one before the first table; a missing table at the end of the file), in a
        sentence of each language (errors.config_required)."""
        name = f"{section}.{key}" if section else key
        if section:
            line = self.line_of(section, None) or len(self.lines) + 1
        else:
            line = next((n for n, text in enumerate(self.lines, 1) if re.match(r"\s*\[", text)), len(self.lines) + 1)
        return ConfigError("errors.config_required", f"{self.path}:{line}: {name}: is required",
                           file=str(self.path), line=line, field=name, table=f"[{section}]" if section else "")

    def table(self, section: str) -> dict:
        value = self.data.get(section, {})
        if not isinstance(value, dict):
            raise self.fail("", section, f"must be a table [{section}]")
        return value

    def section(self, cls: type, table: dict, *, tables: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The values of `cls`'s fields from `table` (and the environment); `tables` are the other
        keys the table may hold."""
        declared, allowed = _declared(cls)
        for key in table:
            if key not in allowed and key not in tables:
                allowed_here = ", ".join(sorted(allowed | tables))
                raise self.fail(cls.SECTION, key, f"unknown setting (allowed: {allowed_here})")
        return {name: self.value(cls.SECTION, key, default, s, table) for name, key, default, s in declared}

    def value(self, section: str, key: str, default: Any, s: Setting, table: dict) -> Any:
        if s.keys:
            given = {k: self.typed(section, k, s.kind, table[k]) for k in s.keys if k in table}
            return self.checked(section, s.keys[0], s.checks, given)
        if s.env and self.environ.get(s.env):
            return _from_environment(s, self.environ[s.env])
        if key not in table:
            if default is MISSING:
                raise self.missing(section, key)
            return default
        return self.checked(section, key, s.checks, self.typed(section, key, s.kind, table[key]))

    def typed(self, section: str, key: str, kind: type | tuple[type, ...] | None, value: Any) -> Any:
        if kind is None:
            return value
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            raise self.fail(section, key, f"must be {_kind_name(kinds)}")
        return value.strip() if isinstance(value, str) else value

    def checked(self, section: str, key: str, checks: tuple[Check, ...], value: Any) -> Any:
        try:
            return _checked(checks, value)
        except Problem as exc:
            raise self.fail(section, exc.key or key, str(exc)) from None


def _checked(checks: tuple[Check, ...], value: Any) -> Any:
    for check in checks:
        value = check(value)
    return value


def _from_environment(s: Setting, text: str) -> Any:
    """An environment variable's value, read as the setting's kind and checked; a problem is blamed
    on the variable, not on the file."""
    try:
        if s.kind is int:
            if not (text.isascii() and text.isdigit()):
                raise Problem("must be a whole number")
            value: Any = int(text)
        elif s.kind is list:
            value = [item.strip() for item in text.split(",") if item.strip()]
        else:
            value = text.strip()
        return _checked(s.checks, value)
    except Problem as exc:
        raise ConfigError("errors.config_environment", f"{s.env} (environment): {exc}", file="(environment)",
                          line="-", field=s.env, variable=s.env, problem=str(exc)) from None


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list",
             dict: "a table", date: "a date (YYYY-MM-DD)"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _tables(r: _Reader, name: str, kind: type, key: str, missing: str, twice: str) -> tuple:
    """A list of [[name]] tables read as `kind`, each with its own `key`."""
    rows = r.data.get(name)
    if not isinstance(rows, list) or not rows or not all(isinstance(x, dict) for x in rows):
        raise r.fail("", name, missing)
    items: list = []
    for row in rows:
        item = kind(**r.section(kind, row))
        if any(getattr(item, key) == getattr(other, key) for other in items):
            raise r.fail(name, key, twice)
        items.append(item)
    return tuple(items)


def _laos(r: _Reader) -> tuple[Lao, ...]:
    return _tables(r, "lao", Lao, "ticket_prefix", "needs at least one [[lao]] table",
                   "must be 2–5 Latin letters, different for each LAO")


def _agencies(r: _Reader) -> tuple[Agency, ...]:
    if r.data.get("agency") is None:
        return DEFAULT_AGENCIES
    return _tables(r, "agency", Agency, "key", "must be [[agency]] tables", "must be different for each agency")


def _beside(path: Path, url: str) -> str:
    """A relative sqlite:/// URL made absolute against the config file's folder."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        return "sqlite:///" + str((path.parent / url[len("sqlite:///"):]).resolve())
    return url


def parse_settings(path: Path, text: str, environ: Mapping[str, str] | None = None) -> Settings:
    """Validate a configuration text; `environ` (default os.environ) supplies KIOSK_* overrides."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = m.group(1) if m else "?"
        raise ConfigError("errors.config", f"{path}:{line}: TOML syntax: {exc}", file=str(path), line=line,
                          field="(syntax)", problem=str(exc)) from None
    r = _Reader(path, text, data, os.environ if environ is None else environ)
    values = r.section(TopLevel, data, tables=frozenset(cls.SECTION for cls in (Lao, Agency, *SECTIONS[1:])))
    for cls in SECTIONS[1:]:
        values |= r.section(cls, r.table(cls.SECTION))
    values["database_url"] = _beside(path, values["database_url"])
    return Settings(path=path, laos=_laos(r), agencies=_agencies(r), **values)


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
