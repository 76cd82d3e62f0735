"""The CP-SAT pipeline: instance -> model (+ hint) -> solve -> timetable (docs/architecture.md)."""
