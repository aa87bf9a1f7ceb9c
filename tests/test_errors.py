"""Error messages quote the user's text, but never much of it."""

from __future__ import annotations

from d3k2.errors import ELLIPSIS, MAX_ECHO_CHARS, MAX_MESSAGE_CHARS, InputError, shorten, shown


def test_shorten_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert shorten("calcium") == "calcium"
    cut = shorten("x" * 10_000)
    assert len(cut) == MAX_ECHO_CHARS and cut.endswith(ELLIPSIS)


def test_shown_is_a_short_repr_and_describes_huge_integers() -> None:
    assert shown("femal") == "'femal'"
    assert len(shown("y" * 20_000)) == MAX_ECHO_CHARS
    assert shown(10**5000) == "<a number of about 5000 digits>"  # repr() would raise


def test_an_input_error_prints_at_most_the_maximum_per_part() -> None:
    error = InputError("m" * 50_000, where="w" * 50_000, hint="h" * 50_000)
    assert len(str(error)) < 3 * MAX_MESSAGE_CHARS + 20
