"""Help Centre Kiosk core: config, services, Thai helpers, QR, i18n. Never imports Textual."""

import os

# pythainlp must never write ~/pythainlp-data nor reach the network (see design notes).
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
