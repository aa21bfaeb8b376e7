"""Publishing: house style, charts and their catalogue, the chart pack, gallery, notebook runner, site.

Top room: may import every room below it; nothing below imports it.
"""
