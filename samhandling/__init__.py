"""Samhandling: the working platform of a Swedish regional EU-funds partnership."""
