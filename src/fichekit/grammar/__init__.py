"""The sheet grammar: one stream of lines in, fiche records out, whatever the reader."""
