"""Sphinx configuration of the kit's book (``make html``; see analysis/publish/book.py).

The book is built from a staged copy of this folder (``build/html-src/``) that also holds the
executed notebooks, the glossary and the charts. Nothing here loads anything from the network.
"""

from analysis.publish import book

project = "The like-for-charity research kit"
author = "The like-for-charity research kit contributors"
copyright = "the kit's contributors; code MIT, charts CC BY 4.0"
version = release = book.kit_version()

extensions = [
    "myst_nb",
    "sphinxcontrib.bibtex",
    "analysis.publish.book",  # MathML, chart alt text, folded solutions, the notebook list
]
exclude_patterns = ["_build", "_kit", "**.ipynb_checkpoints"]
root_doc = "index"

# --- notebooks: rendered from the executed copies, never re-executed ---------------------------
nb_execution_mode = "off"
nb_merge_streams = True  # progress bars arrive as many chunks
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3  # links to a section of another page, e.g. glossary.md#homophily

# --- references ---------------------------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"

# --- maths: MathML written at build time (analysis.publish.book), no MathJax ---------------------
html_math_renderer = "mathml"

# --- theme: sphinx-book-theme, offline ----------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "The like-for-charity research kit"
html_last_updated_fmt = None
html_copy_source = True  # the "download .ipynb" button serves the page's source
html_sourcelink_suffix = ""
html_show_sourcelink = False
html_show_sphinx = False
html_show_search_summary = False  # summaries are fetched, and fetch() is refused on file://
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "toc_title": "On this page",
    "extra_footer": book.footer_html(),
    "footer_content_items": ["extra-footer.html"],
    "navigation_with_keys": False,
    "icon_links": [],
}
# The charts are drawn on white: the book opens in light mode (the reader can switch).
html_context = {"default_mode": "light"}
