"""The staff queue's next/previous pages read by the sort key (kiosk.services.queue.Cursor), on
both backends: every row once, in the order of the whole list, also when cases are added between
two page loads (OFFSET paging showed a row twice then)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.models import Case, utcnow
from kiosk.services import queue
from kiosk.services.demo import fake_people
from kiosk.services.queue import QueueFilter

from ..conftest import make_actors
from .conftest import new_case

SIZE = 4


@pytest.fixture
def cases(any_db):
    """23 cases with ties in every sort key (created_at, updated_at) and mixed urgencies."""
    people = fake_people(23, seed=16)
    ids = [new_case(person=next(people), urgency=("normal", "urgent", "emergency")[i % 3] if i % 4 else "normal")
           for i in range(23)]
    now = utcnow().replace(microsecond=0)
    for i, cid in enumerate(ids):  # groups of three share a creation time; updates in another order
        Case.update(created_at=now - timedelta(hours=i // 3), updated_at=now - timedelta(minutes=(i * 7) % 5)) \
            .where(Case.id == cid).execute()
    return ids


def whole(me, f: QueueFilter) -> list[int]:
    return [r.id for r in queue.list_cases(me, f, page_size=1000).rows]


def walk_forward(me, f: QueueFilter, between=lambda page: None) -> list[int]:
    page = queue.list_cases(me, f, page_size=SIZE)
    seen = [r.id for r in page.rows]
    while page.page + 1 < page.pages:
        between(page)
        page = queue.list_cases(me, f, page.page + 1, SIZE, cursor=page.next())
        seen += [r.id for r in page.rows]
    return seen


@pytest.mark.parametrize("sort", queue.SORTS)
def test_next_and_previous_cover_every_row_once_in_order(cases, sort):
    me = make_actors()["officer"]
    f = QueueFilter(sort=sort)
    everything = whole(me, f)
    assert sorted(everything) == sorted(cases)
    assert walk_forward(me, f) == everything
    last = queue.list_cases(me, f, page=99, page_size=SIZE)  # the last page (by number), then back
    assert last.page == 5 and [r.id for r in last.rows] == everything[20:]
    back, page = [r.id for r in last.rows], last
    while page.page > 0:
        page = queue.list_cases(me, f, page.page - 1, SIZE, cursor=page.previous())
        assert [r.id for r in page.rows] == everything[page.page * SIZE:(page.page + 1) * SIZE]
        back = [r.id for r in page.rows] + back
    assert back == everything


@pytest.mark.parametrize("sort", ["newest", "urgency", "oldest"])
def test_cases_added_between_page_loads_do_not_repeat_a_row(cases, sort):
    me = make_actors()["officer"]
    f = QueueFilter(sort=sort)
    people = fake_people(6, seed=61)
    added: list[int] = []

    def add(page):  # a new urgent case arrives while the officer reads the queue
        if len(added) < 6:
            added.append(new_case(person=next(people), urgency="emergency"))

    seen = walk_forward(me, f, add)
    assert len(seen) == len(set(seen)), "a row shown twice"
    now = whole(me, f)
    assert [i for i in seen if i in cases] == [i for i in now if i in cases]  # every earlier case, once, in order
    assert set(seen) <= set(now)


def test_a_previous_page_that_comes_back_short_is_the_first_page(cases):
    me = make_actors()["officer"]
    f = QueueFilter()
    second = queue.list_cases(me, f, 1, SIZE, cursor=queue.list_cases(me, f, 0, SIZE).next())
    top = whole(me, f)[:SIZE]
    Case.update(status="closed").where(Case.id.in_(top[1:])).execute()  # three of page 1 closed
    f = QueueFilter(status="open")
    back = queue.list_cases(me, f, 0, SIZE, cursor=second.previous())
    assert back.page == 0 and [r.id for r in back.rows] == whole(me, f)[:SIZE]


def test_a_next_page_whose_cases_were_closed_is_read_by_its_number(cases):
    me = make_actors()["officer"]
    f = QueueFilter(status="open", sort="oldest")
    page = queue.list_cases(me, f, 4, SIZE)
    Case.update(status="closed").where(Case.id.in_(whole(me, f)[20:])).execute()  # the last page's cases
    after = queue.list_cases(me, f, 5, SIZE, cursor=page.next())
    assert after.page == 4 and [r.id for r in after.rows] == whole(me, f)[16:20]
