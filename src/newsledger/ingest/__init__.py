"""Readers that turn files, streams and records into Articles."""
