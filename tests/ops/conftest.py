"""The operations tests share the receipt tests' Thai receipt."""

from tests.receipt.conftest import receipt  # noqa: F401
