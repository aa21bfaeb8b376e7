"""Benchmarks (``make bench``) and the plain-Python reference the engine is timed against.

Top room: may import every room below it; nothing imports it.
"""
