"""The like-for-charity research kit.

What does a Facebook "like" bought with a charity pledge really buy, and does connection pay
better than audience? Helper modules behind the numbered notebooks in ``notebooks/``.

Importing the package changes no global state (no plotting style, no seeding, no warnings
filters). Call :func:`analysis.publish.charts.use_house_style` to style charts.
"""

__version__ = "0.1.0"
