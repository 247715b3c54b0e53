"""Pure-Python parsers and formatters for Thai data entry: IDs, phones, BE dates, names, addresses.

Submodules are imported on demand (`from kiosk.thai.ids import parse_national_id`) so importing
this package costs nothing; pythainlp is imported inside the functions that need it.
"""
