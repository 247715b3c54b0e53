"""`kiosk.py serve`: the status web page and Open311 API under uvicorn (one worker: the rate
limits live in memory). Put nginx with TLS in front for the public address. X-Forwarded-For is
applied by the app itself, from `[web] trusted_proxies` (kiosk/web/app.py), not by uvicorn."""

from __future__ import annotations

from .common import open_from


def register(sub):
    p = sub.add_parser("serve", help="เว็บสถานะคำขอและ Open311 API / status web page and Open311 API")
    p.add_argument("--host", help="ที่อยู่ที่รับการเชื่อมต่อ (ค่าเริ่มต้นจาก [web] host) / bind address")
    p.add_argument("--port", type=int, help="พอร์ต (ค่าเริ่มต้นจาก [web] port) / port")
    return p


def run(args, env) -> int:
    import uvicorn

    from ..web.app import make_web_app

    settings = open_from(args, create_sample=True)  # fail early, in words, if the database is not usable
    host, port = args.host or settings.web_host, args.port or settings.web_port
    print(f"http://{host}:{port}/  (Ctrl+C หยุด / to stop)", flush=True)
    # log_config=None: uvicorn's own messages go to <home>/logs/web.jsonl (kiosk.logs) like the app's;
    # its access log stays off: kiosk.web.access_log writes one without query strings or tokens
    uvicorn.run(make_web_app(settings, open_db=False), host=host, port=port, workers=1, access_log=False,
                server_header=False, proxy_headers=False, log_config=None)
    return 0
