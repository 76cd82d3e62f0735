"""What-if scenarios (SPEC §8.2) and minimal-change re-solves (§8.3) on top of the solver."""
