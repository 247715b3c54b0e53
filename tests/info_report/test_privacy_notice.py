"""The privacy notice tells the truth about INFO: DLA receives a record of each person helped (the
monthly report's per-person sheet), not only anonymous totals."""

from __future__ import annotations

from kiosk.services.privacy_notice import privacy_notice


def test_the_notice_names_dlas_info_as_a_recipient_of_each_person_helped():
    th, en = privacy_notice("th"), privacy_notice("en")
    assert "ไม่ระบุตัวตนรายงานเข้าระบบ INFO" not in th and "Anonymous totals" not in en
    assert "info.dla.go.th" in th and "รายบุคคลของผู้ได้รับความช่วยเหลือทุกคน" in th and "กรมส่งเสริมการปกครองท้องถิ่น" in th
    assert "info.dla.go.th" in en and "each person helped" in en and "Department of" in en
