"""The kit's number formatters for prose (analysis/formats.py)."""

from __future__ import annotations

import pytest

from analysis.formats import count_words


@pytest.mark.parametrize("n,text", [(0, "no"), (1, "one"), (4, "four"), (10, "ten"),
                                    (11, "11"), (1234, "1,234")])
def test_count_words_spells_small_counts(n, text):
    assert count_words(n) == text

