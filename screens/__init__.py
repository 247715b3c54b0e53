"""Textual screens and widgets. Screens call services in `kiosk/`; they never touch peewee."""
