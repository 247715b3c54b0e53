"""Real writer processes for the backup and audit tests (each its own process and connection,
as the kiosk, the console and the web server are):

    python -m tests.writers cases CONFIG ACK STOP   cases through the intake service until STOP
                                                    exists; each ticket is appended to ACK only
                                                    after submit() returned (committed)
    python -m tests.writers audit CONFIG N          N audit rows through kiosk.services.audit
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from kiosk.config import load_settings  # noqa: E402
from kiosk.services import audit, intake  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402


def form(n: int) -> intake.IntakeForm:
    return intake.IntakeForm(consent=True, area="disaster", subtype="flood", prefix="นาย", first_name="สมชาย",
                             last_name=f"ทดสอบ{n}", doc_type="none", phone="081-234-5678", house_no=f"{n}/1",
                             moo="1", subdistrict_code="570906", description=f"น้ำท่วมบ้าน หลังที่ {n}")


def main(argv: list[str]) -> int:
    kind, config = argv[0], Path(argv[1])
    settings = load_settings(config)
    open_kiosk(settings)
    if kind == "cases":
        ack, stop = Path(argv[2]), Path(argv[3])
        with ack.open("a", encoding="utf-8") as out:
            n = 0
            while not stop.exists():
                created = intake.submit(settings, form(n))
                out.write(created.ticket_no + "\n")
                out.flush()
                n += 1
    elif kind == "audit":
        for i in range(int(argv[2])):
            audit.record("test_write", actor=f"w{os.getpid()}", detail=f"แถว {i}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
