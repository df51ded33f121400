"""Readers: one module per input kind, each turning a document into the line stream of :mod:`fichekit.grammar.lines`."""
