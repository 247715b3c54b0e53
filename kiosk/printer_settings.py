"""The [printer] table of the config: which receipt printer, checked when the config is read.
Kept apart from kiosk.printing so reading the config does not load the printing libraries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from kiosk.errors import ValidationError

PIXELS_PER_PAPER = {58: 384, 80: 576}  # printable dots at 203 dpi


def _check(ok: bool, name: str, message: str) -> None:
    if not ok:
        raise ValidationError("printer.invalid_setting", f"{name}: {message}", field=name)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class PrinterSettings:
    """Which receipt printer to use (the [printer] table of the kiosk config)."""

    kind: Literal["none", "usb", "network", "file"] = "none"
    paper_mm: Literal[58, 80] = 80
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None
    host: str | None = None
    port: int = 9100
    device: str | None = None  # kind "file": a device node such as /dev/usb/lp0

    def __post_init__(self) -> None:
        _check(self.kind in ("none", "usb", "network", "file"), "kind", "one of none, usb, network, file")
        _check(_is_int(self.paper_mm) and self.paper_mm in PIXELS_PER_PAPER, "paper_mm", "58 or 80")
        for name in ("usb_vendor_id", "usb_product_id"):
            value = getattr(self, name)
            _check(value is None or (_is_int(value) and 0 <= value <= 0xFFFF), name, "an integer 0..0xFFFF")
            _check(self.kind != "usb" or value is not None, name, "needed for a usb printer")
        for name in ("host", "device"):
            value = getattr(self, name)
            _check(value is None or (isinstance(value, str) and value.strip() != ""), name, "a non-empty string")
        _check(_is_int(self.port) and 0 < self.port < 65536, "port", "an integer 1..65535")
        _check(self.kind != "network" or self.host is not None, "host", "needed for a network printer")
        _check(self.kind != "file" or self.device is not None, "device", "needed for a file printer")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PrinterSettings:
        """Settings from a config table; a ValidationError names the first bad field."""
        known = {f.name for f in fields(cls)}
        for name in data:
            _check(name in known, str(name), "unknown setting")
        return cls(**data)

    @property
    def width_px(self) -> int:
        return PIXELS_PER_PAPER[self.paper_mm]
