"""Whatever is typed, search answers with a list: FTS5 query syntax, LIKE wildcards and SQL
in the query are searched for as text, never run."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import Person
from kiosk.services import search

INJECTIONS = ['"', '""', "'", "*", "ณัฐ*", "NEAR(", "NEAR(a b)", "a AND b", "OR", "NOT", "AND", "-", "^",
              "search_text:x", "name_key : \"x\"", "{search_text}: a", "(", ")", ":", "\"ณัฐพล\" OR \"",
              "'; DROP TABLE person; --", "%", "_", "\\", "%%%", "__", "a%b", "\x00", "\u200b", "ก\u0000ข",
              "๊๊๊", "(((((", "a" * 5000, "+", "++66", "()", "0-", "ณ" * 3]


def test_syntax_in_a_query_is_only_text(town):
    count = Person.select().count()
    for query in INJECTIONS:
        assert isinstance(search.people_matching(query), list), query
        assert isinstance(search.case_ids_matching(query), list), query
    assert search.people_matching("%") == search.people_matching("__") == []  # wildcards are literal
    assert Person.select().count() == count


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40) | st.text(alphabet="ณัฐพลบุญมีนัท่้๊๋์ \"*():-+%_^ANDORNEAR0123456789๐๑", max_size=20))
def test_any_query_returns_a_list(sqlite_town, query):
    people = search.people_matching(query)
    cases = search.case_ids_matching(query)
    assert all(isinstance(i, int) for i in people + cases)
    assert len(people) <= 50 and len(cases) <= 200
