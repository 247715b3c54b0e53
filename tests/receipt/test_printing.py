"""ESC/POS printing: the job's bytes, settings validation, and failures that never raise."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kiosk.errors import ValidationError
from kiosk.printing import PrinterSettings, print_receipt, receipt_escpos_bytes
from kiosk.receipt_drawing import Receipt

ESC_INIT, RASTER, CUT = b"\x1b@", b"\x1dv0", b"\x1dV"


@pytest.mark.parametrize("paper_mm, width_px", [(58, 384), (80, 576)])
def test_escpos_job_is_init_raster_image_and_cut(receipt: Receipt, paper_mm: int, width_px: int) -> None:
    job = receipt_escpos_bytes(receipt, paper_mm)
    assert job.startswith(ESC_INIT)
    raster = job.index(RASTER)
    assert int.from_bytes(job[raster + 4 : raster + 6], "little") == width_px // 8  # bytes per row
    assert CUT in job[raster:]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "serial"}, "kind"),
        ({"paper_mm": 72}, "paper_mm"),
        ({"paper_mm": "80"}, "paper_mm"),
        ({"kind": "usb", "usb_vendor_id": 0x04B8}, "usb_product_id"),
        ({"usb_vendor_id": True}, "usb_vendor_id"),
        ({"usb_product_id": 0x1_0000}, "usb_product_id"),
        ({"kind": "network"}, "host"),
        ({"kind": "network", "host": "10.0.0.9", "port": 70000}, "port"),
        ({"kind": "file"}, "device"),
        ({"kind": "file", "device": ""}, "device"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_from_mapping_names_the_bad_field(data: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        PrinterSettings.from_mapping(data)
    assert err.value.field == field
    assert err.value.key == "printer.invalid_setting"


def test_from_mapping_accepts_good_settings() -> None:
    settings = PrinterSettings.from_mapping({"kind": "usb", "paper_mm": 58, "usb_vendor_id": 0x04B8, "usb_product_id": 0x0202})
    assert settings.width_px == 384
    assert PrinterSettings.from_mapping({}) == PrinterSettings()


def test_not_configured(receipt: Receipt) -> None:
    result = print_receipt(receipt, PrinterSettings())
    assert (result.status, result.key, result.printed) == ("not_configured", "receipt.printer_not_configured", False)


def test_file_printer_gets_the_whole_job(receipt: Receipt, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    result = print_receipt(receipt, PrinterSettings(kind="file", paper_mm=58, device=str(device)))
    assert result.printed
    assert device.read_bytes() == receipt_escpos_bytes(receipt, 58)


def test_missing_device_fails_without_raising(receipt: Receipt, tmp_path: Path) -> None:
    device = tmp_path / "no-such-dir" / "lp0"
    result = print_receipt(receipt, PrinterSettings(kind="file", device=str(device)))
    assert (result.status, result.key) == ("failed", "receipt.printer_offline")
    assert str(device) in result.detail


def test_unreachable_network_printer_fails_without_raising(receipt: Receipt) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = print_receipt(receipt, PrinterSettings(kind="network", host="127.0.0.1", port=port))
    assert (result.status, result.key) == ("failed", "receipt.printer_offline")
