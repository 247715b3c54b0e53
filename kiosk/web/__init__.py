"""The public web: the receipt's status page, /track, /info and /announcements, the Open311
GeoReport v2 API. Built on Starlette (see app.py); routes call the same kiosk services as the
screens."""
