"""`kiosk.py survey-team list|add|edit|member|member-edit|deactivate|activate`: the field survey
teams and their surveyors, scriptable by the machine's administrator (the same services as the
staff console's teams screen, audited as "cli"). A team is named by its name or its number
(as `list` shows it), a surveyor by their number."""

from __future__ import annotations

from .common import open_from, say, system_actor

KINDS = ("community_leader", "otl", "local_admin_volunteer", "civil_defence", "health_volunteer", "other")


def register(sub):
    p = sub.add_parser("survey-team", help="ทีมสำรวจภาคสนามและผู้สำรวจ: list add edit member member-edit deactivate "
                                           "activate / field survey teams and their surveyors")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="แสดงทีมและผู้สำรวจ / list teams and surveyors")
    add = actions.add_parser("add", help="เพิ่มทีม / add a team")
    add.add_argument("name", help="ชื่อทีม / team name")
    add.add_argument("--kind", choices=KINDS, default="other", help="ประเภททีม / kind of team")
    add.add_argument("--villages", default="", metavar="1,3,5", help="หมู่ที่รับผิดชอบ / หมู่ covered")
    edit = actions.add_parser("edit", help="แก้ไขทีม / change a team")
    edit.add_argument("team", help="ชื่อหรือหมายเลขทีม / team name or number")
    edit.add_argument("--name", help="ชื่อใหม่ / new name")
    edit.add_argument("--kind", choices=KINDS, help="ประเภททีม / kind of team")
    edit.add_argument("--villages", metavar="1,3,5", help="หมู่ที่รับผิดชอบ / หมู่ covered")
    for name, text in (("deactivate", "ปิดใช้ทีม (ผลสำรวจยังอยู่) / deactivate a team (its records stay)"),
                       ("activate", "เปิดใช้ทีมอีกครั้ง / reactivate a team")):
        q = actions.add_parser(name, help=text)
        q.add_argument("team", help="ชื่อหรือหมายเลขทีม / team name or number")
        q.add_argument("--member", type=int, metavar="N",
                       help="เฉพาะผู้สำรวจหมายเลข N ไม่ใช่ทั้งทีม / only surveyor number N, not the team")
    member = actions.add_parser("member", help="เพิ่มผู้สำรวจในทีม / add a surveyor to a team")
    member.add_argument("team", help="ชื่อหรือหมายเลขทีม / team name or number")
    member.add_argument("name", help="ชื่อ-สกุลผู้สำรวจ / the surveyor's name")
    member.add_argument("--phone", default="", help="โทรศัพท์ / phone")
    member.add_argument("--moo", default="", help="หมู่ที่ / หมู่")
    member.add_argument("--login", default="", metavar="USERNAME",
                        help="บัญชีอาสาสมัครของผู้สำรวจ / their volunteer login")
    medit = actions.add_parser("member-edit", help="แก้ไขผู้สำรวจ / change a surveyor")
    medit.add_argument("member", type=int, metavar="N", help="หมายเลขผู้สำรวจ / surveyor number")
    medit.add_argument("--name", help="ชื่อ-สกุล / name")
    medit.add_argument("--phone", help="โทรศัพท์ / phone")
    medit.add_argument("--moo", help="หมู่ที่ / หมู่")
    medit.add_argument("--login", metavar="USERNAME", help="บัญชีอาสาสมัคร (\"\" = ยกเลิก) / volunteer login (\"\" unlinks)")
    return p


def _team(org: str, given: str) -> int:
    """A team by its number or its name (as typed, spaces and case aside)."""
    from ..errors import NotFound
    from ..services import surveys

    teams = surveys.list_teams(system_actor(), org)
    if given.strip().isdigit() and any(t.id == int(given) for t in teams):
        return int(given)
    wanted = " ".join(given.split()).casefold()
    for t in teams:
        if t.name.casefold() == wanted:
            return t.id
    raise NotFound("survey.unknown_team", team=given)


def run(args, env) -> int:
    from ..i18n import translate
    from ..services import surveys

    settings = open_from(args)
    org = settings.host_lao.ticket_prefix
    actor = system_actor()
    action = args.action
    if action == "list":
        teams = surveys.list_teams(actor, org)
        if not teams:
            say("survey_entry.teams_none")
        for t in teams:
            state = "" if t.active else f"  [{translate('survey_entry.inactive', 'th')} / {translate('survey_entry.inactive', 'en')}]"
            print(f"{t.id}. {t.name} — {translate(f'survey.team_kind_{t.kind}', 'th')} "
                  f"({translate(f'survey.team_kind_{t.kind}', 'en')}) — หมู่ {t.villages or '-'}{state}")
            for m in t.members:
                extra = [m.phone, f"หมู่ {m.moo}" if m.moo else "", f"login {m.username}" if m.username else "",
                         "" if m.active else translate("survey_entry.inactive", "th")]
                print(f"    {m.id}. {m.name}" + "".join(f" · {x}" for x in extra if x))
        return 0
    if action == "add":
        team_id = surveys.create_team(actor, org, args.name, args.kind, args.villages)
        say("survey_entry.team_added", name=" ".join(args.name.split()), id=team_id)
    elif action == "edit":
        changed = surveys.update_team(actor, _team(org, args.team), name=args.name, kind=args.kind,
                                      villages=args.villages)
        say("survey_entry.team_changed" if changed else "survey_entry.nothing_changed", name=args.team)
    elif action in ("deactivate", "activate"):
        active = action == "activate"
        if args.member is not None:
            surveys.set_member_active(actor, args.member, active)
            say("survey_entry.member_changed", name=str(args.member))
        else:
            surveys.set_team_active(actor, _team(org, args.team), active)
            say("survey_entry.team_changed", name=args.team)
    elif action == "member":
        member_id = surveys.add_member(actor, _team(org, args.team), args.name, phone=args.phone, moo=args.moo,
                                       username=args.login)
        say("survey_entry.member_added", name=" ".join(args.name.split()), id=member_id)
    elif action == "member-edit":
        changed = surveys.update_member(actor, args.member, name=args.name, phone=args.phone, moo=args.moo,
                                        username=args.login)
        say("survey_entry.member_changed" if changed else "survey_entry.nothing_changed", name=str(args.member))
    return 0
