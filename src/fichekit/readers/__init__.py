"""Readers: one module per input kind, each turning an input into fiche records."""
