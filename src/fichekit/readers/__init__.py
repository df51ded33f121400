"""Readers: one module per input kind, each turning its input into the line stream of :mod:`fichekit.grammar.lines`.

Word and PDF readers are adapters (document -> lines with hints), not second
parsers: one sheet grammar reads every stream.
"""
