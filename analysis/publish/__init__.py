"""Publishing: house style, charts and their catalogue, the chart pack, gallery, notebook runner, the book.

Top room: may import every room below it; nothing below imports it.
"""
