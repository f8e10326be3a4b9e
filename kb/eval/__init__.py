"""Evaluation commands (`kb eval <name>`): each module scores one capability on labelled data and
defines `register(group)` adding its click command."""
