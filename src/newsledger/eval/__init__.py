"""Scorers against gold formats (``newsledger eval ...``)."""
