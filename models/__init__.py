"""Solver-free domain models: the input district and the output solution."""

from .district import (
    Activity,
    District,
    Grade,
    Policy,
    Provider,
    Room,
    School,
    Student,
    Teacher,
    Term,
)
from .problems import InputError, Location, Problem
from .solution import SectionOut, Solution, StaffRef, Unserved

__all__ = [
    "Activity",
    "District",
    "Grade",
    "InputError",
    "Location",
    "Policy",
    "Problem",
    "Provider",
    "Room",
    "School",
    "SectionOut",
    "Solution",
    "StaffRef",
    "Student",
    "Teacher",
    "Term",
    "Unserved",
]
