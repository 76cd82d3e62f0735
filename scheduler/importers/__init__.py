"""Bring in what schools already have: FET timetables (`fet`) and sign-up sheets (`signups`)."""
