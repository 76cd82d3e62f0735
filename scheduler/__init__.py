"""afterschool: term timetables for schools' after-school services."""

__version__ = "0.1.0"
