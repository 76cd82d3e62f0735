"""One module per rule family; each `add(model, instance, vars)` returns its objective terms."""
