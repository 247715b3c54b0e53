"""`kiosk.py migrate-db --to postgresql://…`: copy this centre's SQLite database (the one its
kiosk.toml names, or `--from sqlite:///path`) into a joint centre's PostgreSQL database, under
its LAO(s), verified per table; safe to run again (kiosk/services/migrate_db.py says how).

Prints counts and checksums only (no personal data); the report file (0600) also names staff
accounts copied under another username. Exit 0 when every table matches and the target's audit
chain is intact, 1 when something differs, 2 when refused (nothing written)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from .common import open_settings, say, settings_from


def register(sub):
    p = sub.add_parser("migrate-db", help="ย้ายฐานข้อมูล SQLite ของศูนย์ไปยัง PostgreSQL (ศูนย์ร่วม) / "
                                          "copy this centre's SQLite database into PostgreSQL (a joint centre)")
    p.add_argument("--to", required=True, metavar="URL",
                   help="ฐานข้อมูลปลายทาง postgresql://… / the target database, postgresql://…")
    p.add_argument("--from", dest="source", metavar="URL",
                   help="ฐานข้อมูลต้นทาง sqlite:///… (ค่าเริ่มต้น: ฐานข้อมูลใน kiosk.toml) / "
                        "the source database, sqlite:///… (default: the one kiosk.toml names)")
    p.add_argument("--report", metavar="FILE",
                   help="ไฟล์รายงาน (ค่าเริ่มต้น migrate-db-<เวลา>.txt ในโฟลเดอร์ของศูนย์ หรือของไฟล์ --from) / "
                        "report file (default migrate-db-<time>.txt in the centre's folder, or the --from file's)")
    return p


def _progress(table: str) -> None:
    print(f"… {table}", file=sys.stderr, flush=True)


def table_lines(result) -> list[str]:
    lines = [f"{'table':<20}{'source':>8}{'new':>8}{'before':>8}{'matched':>9}  {'sha256 source':<14}"
             f"{'sha256 target':<14}check"]
    for t in result.tables:
        lines.append(f"{t.table:<20}{t.source:>8}{t.new:>8}{t.before:>8}{t.matched:>9}  {t.source_sum[:12]:<14}"
                     f"{t.target_sum[:12]:<14}{'ok' if t.ok else f'DIFFERS {t.differs}'}")
    return lines


def run(args, env) -> int:
    from db.connection import DatabaseUnavailable, make_database, open_database, redact, sqlite_path

    from ..files import write_private
    from ..services import migrate_db
    from ..services.audit import verify_chain

    if not args.to.startswith(("postgresql://", "postgres://")):
        raise migrate_db.MigrateRefused("migrate_db.target_not_pg", f"{args.to}: not postgresql://",
                                        url=redact(args.to))
    if args.source:
        path = sqlite_path(args.source)
        if path is None:
            raise migrate_db.MigrateRefused("migrate_db.source_not_sqlite", f"{args.source}: not sqlite:///",
                                            url=redact(args.source))
        if not path.is_file():
            raise DatabaseUnavailable("migrate_db.source_missing", f"{path}: no such file", path=str(path))
        src = make_database(args.source)
        src.connect()
        home = path.parent
    else:
        settings = settings_from(args)
        if sqlite_path(settings.database_url) is None:
            raise migrate_db.MigrateRefused("migrate_db.source_not_sqlite", "kiosk.toml: not SQLite",
                                            url=redact(settings.database_url))
        open_settings(settings)  # the usual start-up: an older schema is backed up, then upgraded
        from db.models import database

        src = database.obj
        home = settings.home
    dst = open_database(args.to)  # binds the models to the target
    try:
        result = migrate_db.copy(src, dst, _progress)
        chain = verify_chain()
    finally:
        src.close()
    lines = table_lines(result)
    for line in lines:
        print(line)
    if result.copied == 0:
        say("migrate_db.already", laos=", ".join(result.laos))
    else:
        say("migrate_db.copied", count=result.copied, laos=", ".join(result.laos))
    for prefix, year, last in result.counters:
        print(f"ticket_counter {prefix} {year}: {last}")
    if result.renamed:
        say("migrate_db.renamed", count=len(result.renamed))
    if result.placed_staff:
        say("migrate_db.placed_staff", count=result.placed_staff, lao=result.laos[0])
    if result.shared_announcements:
        say("migrate_db.shared_announcements", count=result.shared_announcements)
    say("audit_verify.ok" if chain.ok else f"audit_verify.{chain.problem}", checked=chain.checked,
        id=chain.bad_id, at=f"{chain.bad_at:%Y-%m-%d %H:%M:%S} UTC" if chain.bad_at else "-")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = Path(args.report) if args.report else home / f"migrate-db-{stamp}.txt"
    text = [f"kiosk.py migrate-db  {stamp}", f"target: {redact(args.to)}", f"source key: {result.source_key}",
            f"LAOs: {', '.join(result.laos)}", f"source audit head (id:hash): {result.source_audit_head}",
            f"audit rows copied as ids: {result.audit_range or '-'}", "", *lines, "",
            *(f"ticket_counter {p} {y}: {n}" for p, y, n in result.counters),
            *(f"staff username taken by another person: {a} copied as {b}" for a, b in result.renamed),
            f"announcements without an LAO (shown to the whole centre): {result.shared_announcements}",
            f"target audit chain: {'intact' if chain.ok else chain.problem} ({chain.checked} rows), "
            f"anchor {chain.head_id}:{chain.head_hash}"]
    write_private(report, "\n".join(text) + "\n")
    say("migrate_db.report", path=str(report))
    if not result.ok:
        say("migrate_db.differs")
    return 0 if result.ok and chain.ok else 1
