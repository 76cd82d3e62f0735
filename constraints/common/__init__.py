"""What every rule family builds on: typed keys, the registration record, the solution
index and words for checks and explanations, and the model's variables and terms."""
