"""Extractors (one module each) and the pipeline that assembles them."""
