"""Visits in the input (SPEC §8.4): venues, visit keys, and each refusal at file:line:col."""

from __future__ import annotations

from click.testing import CliRunner
from test_validation import at, edit, problems, warnings

from models.loader import load_text
from scheduler.cli import main

ROBOT = """\
      - {id: robot, name: 机器人, category: science, grades: [3], max_size: 20,
         room_type: lab, skill: robotics}
"""
VISIT = """\
      - {id: museum-visit, name: 博物馆参观, category: visit, venue: museum, grades: [1, 3],
         dates: [2027-04-15, 2027-05-20], minutes_at_venue: 60, max_size: 40,
         students_per_staff: 15, skill: football, transport_per_trip: 800}
"""
PLACES = """\
venues:
  - {id: museum, name: 深圳博物馆, capacity: 80}
travel_minutes:
  s1: {museum: 25}
schools:
"""


def with_visit(old: str = "", new: str = "") -> str:
    text = edit(ROBOT, VISIT).replace("choices: [robot]", "choices: [museum-visit]")
    text = edit("schools:\n", PLACES, text)
    return edit(old, new, text) if old else text


def test_a_visit_with_its_venue_loads_cleanly():
    loaded = load_text(with_visit(), "x.yaml")
    assert loaded.warnings == []
    visit = loaded.district.schools[0].activities[1]
    assert visit.is_visit and visit.venue == "museum" and visit.per_staff == 15
    assert loaded.district.venue("museum").capacity == 80
    assert loaded.district.trip_minutes(loaded.district.schools[0], visit) == 110


def test_a_date_outside_the_term():
    text = with_visit("2027-05-20", "2027-08-01")
    assert problems(text) == [f"{at(text, '2027-08-01')}: visit museum-visit on 2027-08-01: the "
                              "date is outside the term's service (2027-03-01 to 2027-07-09)"]


def test_a_date_on_a_holiday():
    text = with_visit("weekdays: [mon, tue, wed, thu, fri]",
                      "weekdays: [mon, tue, wed, thu, fri]\n  holidays: [2027-04-15]")
    assert problems(text) == [f"{at(text, '2027-04-15', 1)}: visit museum-visit on 2027-04-15: "
                              "the date is a holiday (term: holidays)"]


def test_a_date_on_a_weekday_without_service():
    text = with_visit("2027-05-20", "2027-04-17")
    assert problems(text) == [f"{at(text, '2027-04-17')}: visit museum-visit on 2027-04-17: the "
                              "date is a sat, not one of the term's weekdays (mon, tue, wed, "
                              "thu, fri)"]


def test_an_unknown_venue():
    text = with_visit("venue: museum,", "venue: musem,")
    assert problems(text) == [f"{at(text, 'musem')}: visit museum-visit: unknown venue 'musem'; "
                              "did you mean 'museum'? (venues: lists them)"]


def test_a_venue_closed_then():
    text = with_visit("capacity: 80}", "capacity: 80, opening_hours: {thu: [\"09:00-16:00\"]}}")
    assert problems(text) == [f"{at(text, '2027-04-15')}: visit museum-visit on 2027-04-15: venue "
                              "museum is closed then (thu: 09:00-16:00); the group would be there "
                              "from 16:15 for 60 min",
                              f"{at(text, '2027-05-20')}: visit museum-visit on 2027-05-20: venue "
                              "museum is closed then (thu: 09:00-16:00); the group would be there "
                              "from 16:15 for 60 min"]


def test_a_trip_that_cannot_be_back_by_latest_end():
    # Grade 1 is dismissed first, at 15:50: 25 + 100 + 25 min bring it back at 18:20.
    text = with_visit("minutes_at_venue: 60", "minutes_at_venue: 100")
    late = ("the group is back at 18:20, after latest_end 18:00")
    assert problems(text) == [
        f"{at(text, '2027-04-15')}: visit museum-visit on 2027-04-15: leaving at the earliest "
        f"dismissal 15:50 (thu), 25 min each way and 100 min there, {late}",
        f"{at(text, '2027-05-20')}: visit museum-visit on 2027-05-20: leaving at the earliest "
        f"dismissal 15:50 (thu), 25 min each way and 100 min there, {late}"]


def test_a_visit_names_its_venue():
    text = with_visit("venue: museum, ", "")
    assert problems(text) == [f"{at(text, '{id: museum-visit')}: missing required key 'venue' in "
                              "visit museum-visit"]


def test_visit_keys_on_a_weekly_activity():
    text = with_visit("room_type: classroom, skill: homework, fallback: true}",
                      "room_type: classroom, skill: homework, fallback: true, venue: museum}")
    assert problems(text) == [f"{at(text, 'museum}')}: activity study: venue is for off-campus "
                              "visits only (category: visit), this one is homework"]


def test_travel_to_an_unknown_place_names_schools_and_venues():
    text = with_visit("s1: {museum: 25}", "s1: {musuem: 25}")
    assert problems(text) == [f"{at(text, 'musuem')}: travel_minutes: unknown school or venue "
                              "'musuem'; did you mean 'museum'?"]


def test_a_weekly_activity_still_needs_a_room_type():
    text = edit("room_type: lab, ", "")
    assert problems(text) == [f"{at(text, '{id: robot')}: missing required key 'room_type' in "
                              "activity robot"]


def test_check_refuses_a_bad_visit_with_exit_2_and_no_traceback(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(with_visit("2027-05-20", "2027-08-01"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{path}:{at(path.read_text(), '2027-08-01').split(':', 1)[1]}" in result.output


def test_no_warning_for_a_visit_without_a_room():
    assert warnings(with_visit()) == []


def test_a_date_listed_twice():
    text = with_visit("2027-05-20", "2027-04-15")
    assert problems(text) == [f"{at(text, '2027-04-15', 1)}: visit museum-visit on 2027-04-15: "
                              "the date is listed twice; list each date once"]
