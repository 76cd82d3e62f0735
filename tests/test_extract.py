"""Spreading a slot's students over its sections: sizes always fit, classes kept together."""

from hypothesis import given
from hypothesis import strategies as st

from scheduler.solver.extract import _split


@st.composite
def splits(draw: st.DrawFn) -> tuple[list[str], dict[str, str], int, int, int]:
    parts = draw(st.integers(1, 8))
    low = draw(st.integers(1, 5))
    high = draw(st.integers(low, 50))
    count = draw(st.integers(parts * low, parts * high))
    classes = draw(st.lists(st.integers(0, 5), min_size=count, max_size=count))
    items = [f"s{i}" for i in range(count)]
    class_of = {item: f"c{c}" for item, c in zip(items, sorted(classes), strict=True)}
    return items, class_of, parts, low, high


@given(splits())
def test_every_section_size_fits(case):
    items, class_of, parts, low, high = case
    chunks = _split(items, class_of, parts, low, high)
    assert len(chunks) == parts
    assert all(low <= len(chunk) <= high for chunk in chunks)
    assert [x for chunk in chunks for x in chunk] == items


def test_cuts_follow_class_boundaries_when_sizes_allow():
    items = [f"a{i}" for i in range(30)] + [f"b{i}" for i in range(40)]
    class_of = {x: x[0] for x in items}
    chunks = _split(items, class_of, 2, 1, 45)
    assert [len(c) for c in chunks] == [30, 40]


def test_regression_overfull_section():
    # 216 students, 5 sections of at most 45: an earlier version gave a group of 46.
    items = [f"s{i:03d}" for i in range(216)]
    bounds = {17, 49, 63, 84, 181, 187}
    class_of, current = {}, 0
    for i, item in enumerate(items):
        current += i in bounds
        class_of[item] = str(current)
    assert max(len(c) for c in _split(items, class_of, 5, 1, 45)) <= 45
