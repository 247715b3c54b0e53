"""The rate limiter on its own (real HTTP checks are in test_open311_public.py and
test_pages.py): bounded memory, idle clients forgotten a few at a time, the allowance itself,
IPv6 counted by /64. A clock is passed in so time can be stepped, not waited for."""

from __future__ import annotations

from kiosk.web.base import AnswerCache
from kiosk.web.ratelimit import DEFAULT_CAP, RateLimiter, client_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_stays_bounded_past_100k_clients():
    """250,000 different clients within one second, none idle long enough to be forgotten: the
    limiter never holds more than its cap (100,000), and the most recent clients are kept."""
    clock = Clock()
    limiter = RateLimiter(10, 600.0, clock=clock)
    assert limiter.cap == DEFAULT_CAP == 100_000
    sizes = []
    for i in range(250_000):
        assert limiter.hit(f"client-{i}") == 0.0
        clock.now += 0.000004
        if i % 1000 == 0:
            sizes.append(len(limiter))
    assert len(limiter) == DEFAULT_CAP and max(sizes) <= DEFAULT_CAP
    assert "client-249999" in limiter._tat and "client-0" not in limiter._tat


def test_idle_clients_are_forgotten_as_new_ones_arrive():
    clock = Clock()
    limiter = RateLimiter(10, 600.0, cap=10**9, clock=clock)
    for i in range(1000):
        limiter.hit(f"old-{i}")
    clock.now += 601  # every old bucket is full again: as good as never seen
    for i in range(600):
        limiter.hit(f"new-{i}")
    assert len(limiter) == 600 and all(k.startswith("new-") for k in limiter._tat)


def test_ten_at_once_then_one_a_minute():
    clock = Clock()
    limiter = RateLimiter(10, 600.0, clock=clock)
    assert [limiter.hit("a") for _ in range(10)] == [0.0] * 10
    assert limiter.hit("a") == 60.0
    assert limiter.hit("b") == 0.0  # another client is not affected
    clock.now += 59
    assert limiter.hit("a") == 1.0
    clock.now += 1
    assert limiter.hit("a") == 0.0 and limiter.hit("a") == 60.0


def test_ipv6_counts_by_64_and_mapped_ipv4_as_ipv4():
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("fe80::1%eth0") == "fe80::/64"
    assert client_key("::ffff:192.0.2.7") == client_key("192.0.2.7") == "192.0.2.7"
    assert client_key("unix-socket") == "unix-socket"


def test_answer_cache_keeps_answers_for_its_ttl_and_a_bounded_number():
    clock = Clock()
    cache = AnswerCache(ttl=5.0, size=3, clock=clock)
    cache.put("a", 1)
    clock.now += 4.9
    assert cache.get("a") == 1
    clock.now += 0.2
    assert cache.get("a") is None
    for key in "bcde":
        cache.put(key, key)
    assert cache.get("b") is None and [cache.get(k) for k in "cde"] == ["c", "d", "e"]


def test_one_fill_for_everyone_asking_the_same_question():
    """Ten requests for the same expired answer: one fill runs, all ten get its answer; an
    error is shared as Busy (a 503, logged once by the request that met it)."""
    import anyio

    from kiosk.web.base import Busy

    cache = AnswerCache(ttl=5.0)
    fills = []

    async def fill():
        fills.append(1)
        await anyio.sleep(0.05)
        return "answer", True

    async def failing():
        fills.append(1)
        await anyio.sleep(0.05)
        raise RuntimeError("database gone")

    async def main():
        got, errors = [], []

        async def ask(key, how):
            try:
                got.append(await cache.get_or_fill(key, how))
            except (Busy, RuntimeError) as exc:
                errors.append(type(exc).__name__)

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(ask, "q", fill)
        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(ask, "bad", failing)
        return got, errors

    got, errors = anyio.run(main)
    assert got == ["answer"] * 10 and len(fills) == 2
    assert sorted(errors) == ["Busy"] * 9 + ["RuntimeError"]
    assert cache.get("q") == "answer" and cache.get("bad") is None
