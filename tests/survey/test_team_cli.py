"""`kiosk.py survey-team`: an IT person scripts the field teams and their surveyors — add, edit,
link a volunteer login, deactivate, list — with bilingual sentences, audited as "cli"; a mistake
(an unknown login, an unknown team) is a sentence and exit 2, never a traceback."""

from __future__ import annotations

from db.models import AuditLog, SurveyTeam, SurveyTeamMember
from kiosk.cli.survey_team import KINDS
from kiosk.services.survey_rows import TEAM_KINDS
from tests.conftest import add_actor
from tests.survey.test_template import kiosk


def test_kinds_are_the_survey_catalogue_s():
    assert KINDS == TEAM_KINDS


def test_teams_scripted_from_the_shell(db, config_file):
    add_actor("kob", "volunteer")
    run = kiosk(config_file, "survey-team", "list")
    assert run.returncode == 0 and "ยังไม่มีทีมสำรวจ" in run.stdout
    run = kiosk(config_file, "survey-team", "add", "อสม. หมู่ 3", "--kind", "health_volunteer", "--villages", "๓, 4")
    assert run.returncode == 0 and "เพิ่มทีม อสม. หมู่ 3 แล้ว" in run.stdout, run.stderr
    run = kiosk(config_file, "survey-team", "member", "อสม.  หมู่ 3", "กบ ใจกล้า", "--phone", "081-234-5678",
                "--moo", "3", "--login", "kob")
    assert run.returncode == 0, run.stderr
    member = SurveyTeamMember.get()
    assert (member.name, member.phone, member.moo, member.staff.username) == ("กบ ใจกล้า", "+66812345678", 3, "kob")

    run = kiosk(config_file, "survey-team", "member", "อสม. หมู่ 3", "ใครสักคน", "--login", "nobody")
    assert run.returncode == 2 and 'ไม่พบบัญชีผู้ใช้ "nobody"' in run.stderr and "Traceback" not in run.stderr
    run = kiosk(config_file, "survey-team", "edit", "ทีมที่ไม่มี", "--villages", "1")
    assert run.returncode == 2 and "ไม่พบทีมสำรวจชื่อ" in run.stderr
    run = kiosk(config_file, "survey-team", "edit", str(SurveyTeam.get().id), "--name", "อสม. หมู่ 3 และ 4")
    assert run.returncode == 0 and SurveyTeam.get().name == "อสม. หมู่ 3 และ 4"
    run = kiosk(config_file, "survey-team", "member-edit", str(member.id), "--login", "")
    assert run.returncode == 0 and SurveyTeamMember.get().staff_id is None
    run = kiosk(config_file, "survey-team", "deactivate", "อสม. หมู่ 3 และ 4")
    assert run.returncode == 0 and not SurveyTeam.get().active

    run = kiosk(config_file, "survey-team", "list")
    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        f"{SurveyTeam.get().id}. อสม. หมู่ 3 และ 4 — อสม. (อาสาสมัครสาธารณสุขประจำหมู่บ้าน) "
        "(Village health volunteer (อสม.)) — หมู่ 3,4  [ปิดใช้ / inactive]",
        f"    {member.id}. กบ ใจกล้า · +66812345678 · หมู่ 3"]
    assert {a.actor for a in AuditLog.select().where(AuditLog.action.startswith("survey_"))} == {"cli"}
