"""Staff roles, lowest to highest: each may do what the ones before it may."""

ROLES = ("volunteer", "officer", "supervisor", "admin")
