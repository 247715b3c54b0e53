"""Per-client rate limits in memory (one process: run one uvicorn worker, or limit in nginx too).

Each client key holds one number, its GCRA "theoretical arrival time" (the generic cell rate
algorithm of ATM networks, as in redis-cell): `limit` hits are allowed at once, then one per
`window / limit` seconds. A hit is O(1): a dict lookup, a move to the end of an LRU order, and
dropping at most two idle entries from its front. Memory is bounded by `cap` entries: past it
the least recently seen client is forgotten (it starts afresh — an attacker rotating through
more addresses than `cap` can do that anyway).

Clients are keyed by IPv4 address or IPv6 /64: one household or phone gets a whole /64 and can
rotate through it freely, so a full IPv6 address would be no limit at all."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict

DEFAULT_CAP = 100_000


def client_key(address: str) -> str:
    """The key a client is counted under: the IPv4 address, or the IPv6 /64 (an IPv4-mapped
    IPv6 address counts as its IPv4 address). Anything else (a Unix socket) as it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


class RateLimiter:
    def __init__(self, limit: int, window: float, *, cap: int = DEFAULT_CAP, clock=time.monotonic) -> None:
        self.limit, self.window, self.cap, self.clock = limit, window, cap, clock
        self.interval = window / limit
        self._tat: OrderedDict[str, float] = OrderedDict()  # key → theoretical arrival time
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tat)

    def hit(self, key: str) -> float:
        """Count one attempt by `key`; 0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            tat = max(self._tat.get(key, now), now) + self.interval
            if tat - now > self.window:
                self._tat.move_to_end(key)  # a client still knocking stays remembered
                return max(1.0, tat - self.window - now)
            self._tat[key] = tat
            self._tat.move_to_end(key)
            self._sweep(now)
            return 0.0

    def _sweep(self, now: float) -> None:
        """Drop up to two entries whose bucket is full again (as good as never seen), and the
        least recently seen ones while over the cap."""
        tat = self._tat
        for _ in range(2):
            oldest = next(iter(tat))
            if tat[oldest] > now:
                break
            del tat[oldest]
        while len(tat) > self.cap:
            tat.popitem(last=False)
