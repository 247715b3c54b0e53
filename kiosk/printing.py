"""Sending receipts to an ESC/POS thermal printer as a raster image.

An image drawn with a Thai font prints the same on every ESC/POS model, whatever Thai code
pages it has. A printer problem never raises: the counter still shows the receipt on screen,
with a catalogue key saying why the paper did not come out:
receipt.printer_not_configured, receipt.printer_offline, receipt.printer_error,
receipt.printer_driver_missing, receipt.no_thai_font.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError, USBNotFoundError
from escpos.exceptions import Error as EscposError
from escpos.printer import Dummy, File, Network, Usb

from kiosk.errors import KioskError
from kiosk.printer_settings import PrinterSettings  # noqa: F401  (callers import it from here too)
from kiosk.receipt_drawing import Receipt, render_receipt_image

log = logging.getLogger(__name__)

NETWORK_TIMEOUT_S = 5


@dataclass(frozen=True)
class PrintResult:
    """What happened to a print job: `key` is a catalogue key, `detail` is for the log."""

    status: Literal["printed", "not_configured", "failed"]
    key: str = ""
    detail: str = ""

    @property
    def printed(self) -> bool:
        return self.status == "printed"


def open_printer(settings: PrinterSettings) -> Escpos | None:
    """A python-escpos printer for the settings (connected lazily on first write), or None."""
    match settings.kind:
        case "none":
            return None
        case "usb":
            if not Usb.is_usable():
                raise KioskError("receipt.printer_driver_missing", "USB printing needs pyusb installed")
            printer = Usb(settings.usb_vendor_id, settings.usb_product_id)
        case "network":
            printer = Network(settings.host, settings.port, timeout=NETWORK_TIMEOUT_S)
        case "file":
            printer = File(settings.device)
    _set_paper_width(printer, settings.width_px)
    return printer


def _set_paper_width(printer: Escpos, width_px: int) -> None:
    """Tell escpos the paper width (its default profile says "Unknown" and prints a warning)."""
    data = dict(printer.profile.profile_data)  # a copy: profiles are shared between printers
    data["media"] = {**data.get("media", {}), "width": {"mm": "Unknown", "pixels": width_px}}
    printer.profile.profile_data = data


def _send(printer: Escpos, receipt: Receipt, width_px: int) -> None:
    printer.hw("INIT")
    printer.image(render_receipt_image(receipt, width_px), impl="bitImageRaster")
    printer.cut()


def print_receipt(receipt: Receipt, settings: PrinterSettings) -> PrintResult:
    """Print the receipt; never raises for printer trouble, the result says what went wrong."""
    if settings.kind == "none":
        return PrintResult("not_configured", "receipt.printer_not_configured")
    printer = None
    try:
        printer = open_printer(settings)
        _send(printer, receipt, settings.width_px)
    except KioskError as exc:
        return _failed(exc.key, exc)
    except (DeviceNotFoundError, USBNotFoundError) as exc:
        return _failed("receipt.printer_offline", exc)
    except (EscposError, OSError) as exc:
        return _failed("receipt.printer_error", exc)
    finally:
        if printer is not None:
            try:
                printer.close()
            except (EscposError, OSError) as exc:
                log.warning("closing the receipt printer failed: %s", exc)
    return PrintResult("printed")


def _failed(key: str, exc: Exception) -> PrintResult:
    log.warning("receipt not printed (%s): %s", key, exc)
    return PrintResult("failed", key, str(exc))


def receipt_escpos_bytes(receipt: Receipt, paper_mm: Literal[58, 80] = 80) -> bytes:
    """The exact bytes a printer would get (escpos Dummy printer): for tests and debugging."""
    printer = Dummy()
    width_px = PrinterSettings(paper_mm=paper_mm).width_px
    _set_paper_width(printer, width_px)
    _send(printer, receipt, width_px)
    return printer.output
