"""Visualisation: one chart style with a shipped CJK font, the chart builders, notebook display.

Belongs here: ``style`` (fonts, palette, deterministic rendering), ``charts`` (frame in, figure
out, with a text twin for nbval) and ``display`` (tables and text in notebooks). May import:
``errors``, ``paths``, ``normalize``, ``reference``, ``indicators`` — never products, outputs or
the CLI.
"""
