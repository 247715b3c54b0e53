"""ThaiInput: the cursor moves over whole clusters and never stands inside one; Backspace
removes the last code point; paste works; Latin typed on the wrong layout is a ctrl+t fix.
Thai is typed with one events.Key per character (Pilot's press drops tone marks)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual.app import App

from kiosk.thai.clusters import clusters, is_boundary, next_boundary, previous_boundary, snap
from screens.widgets.thai_input import ThaiInput

from .helpers import key_for


class OneInput(App):
    def compose(self):
        yield ThaiInput(id="field", layout_hint=True)


def test_clusters_keep_marks_with_their_base():
    assert clusters("น้ำท่วม") == ["น้ำ", "ท่", "ว", "ม"]
    assert clusters("ที่นี่") == ["ที่", "นี่"]
    assert clusters("้ก") == ["้", "ก"]  # a mark with no base stands alone
    assert clusters("e\u0301a") == ["e\u0301", "a"]


@given(st.text(alphabet=st.sampled_from("กขนมท่้๊๋ิีึืุูัำ็์ abé\u0301"), max_size=20), st.integers(-3, 25))
def test_boundaries_are_consistent(text, index):
    assert "".join(clusters(text)) == text
    assert is_boundary(text, snap(text, index))
    assert is_boundary(text, next_boundary(text, index)) and is_boundary(text, previous_boundary(text, index))
    if 0 < index <= len(text):
        assert previous_boundary(text, index) < index


async def test_typing_thai_keeps_tone_marks_and_cursor_moves_by_cluster():
    app = OneInput()
    async with app.run_test() as pilot:
        field = app.query_one(ThaiInput)
        field.focus()
        for ch in "น้ำท่วม":
            field.post_message(key_for(ch))
        await pilot.pause()
        assert field.value == "น้ำท่วม" and field.cursor_position == 7
        positions = []
        for _ in range(5):
            await pilot.press("left")
            positions.append(field.cursor_position)
        assert positions == [6, 5, 3, 0, 0]
        for expected in (3, 5, 6, 7, 7):
            await pilot.press("right")
            assert field.cursor_position == expected
        field.cursor_position = 1  # inside น้ำ: snapped to the cluster's end
        assert field.cursor_position == 3


async def test_backspace_removes_the_last_code_point_delete_the_whole_cluster():
    app = OneInput()
    async with app.run_test() as pilot:
        field = app.query_one(ThaiInput)
        field.focus()
        for ch in "ท่าน้ำ":
            field.post_message(key_for(ch))
        await pilot.pause()
        await pilot.press("backspace")
        assert field.value == "ท่าน้" and field.cursor_position == 5
        await pilot.press("backspace")
        assert field.value == "ท่าน" and field.cursor_position == 4
        await pilot.press("home", "delete")
        assert field.value == "าน" and field.cursor_position == 0


async def test_tone_mark_typed_after_moving_lands_on_the_right_cluster():
    app = OneInput()
    async with app.run_test() as pilot:
        field = app.query_one(ThaiInput)
        field.focus()
        for ch in "ทวม":  # tone mark forgotten
            field.post_message(key_for(ch))
        await pilot.pause()
        await pilot.press("home", "right")
        field.post_message(key_for("\u0e48"))  # ่ after ท
        await pilot.pause()
        assert field.value == "ท่วม" and field.cursor_position == 2
        await pilot.press("left")
        assert field.cursor_position == 0  # ท่ is one cluster now


async def test_paste_inserts_at_the_cursor_first_line_only():
    app = OneInput()
    async with app.run_test() as pilot:
        field = app.query_one(ThaiInput)
        field.focus()
        field.post_message(events.Paste("บ้านเลขที่\nบรรทัดสอง"))
        await pilot.pause()
        assert field.value == "บ้านเลขที่" and field.cursor_position == len("บ้านเลขที่")
        await pilot.press("home")
        field.post_message(events.Paste("ที่ "))
        await pilot.pause()
        assert field.value == "ที่ บ้านเลขที่" and field.cursor_position == 4


async def test_wrong_layout_is_offered_and_fixed_with_ctrl_t():
    app = OneInput()
    async with app.run_test() as pilot:
        field = app.query_one(ThaiInput)
        field.focus()
        await pilot.press(*"l;ylfu")
        assert field.layout_suggestion == "สวัสดี"
        assert "สวัสดี" in str(field.border_subtitle)
        await pilot.press("ctrl+t")
        assert field.value == "สวัสดี" and field.border_subtitle is None
        field.value = "John"
        await pilot.pause()
        assert field.layout_suggestion is None


class SuggestingInput(App):
    def compose(self):
        from textual.suggester import SuggestFromList

        yield ThaiInput(id="field", suggester=SuggestFromList(["สมชาย", "สมหญิง"]))


async def test_right_at_the_end_accepts_a_suggestion_and_otherwise_stays():
    """→ at the end of the text is Input's own: it takes the suggestion shown, if any."""
    app = SuggestingInput()
    async with app.run_test() as pilot:
        field = app.query_one(ThaiInput)
        field.focus()
        for ch in "สมช":
            field.post_message(key_for(ch))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("right")
        assert field.value == "สมชาย" and field.cursor_position == 5
        await pilot.press("right")  # nothing more to suggest: the cursor stays at the end
        assert field.value == "สมชาย" and field.cursor_position == 5
        await pilot.press("shift+left", "shift+left")  # a selection up to the end collapses to it
        await pilot.press("right")
        assert field.selection.is_empty and field.cursor_position == 5
