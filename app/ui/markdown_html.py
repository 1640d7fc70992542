"""Entry Markdown → safe HTML for the detail pane (Qt-free, so it is easy to test).

Two layers: Python-Markdown runs with its raw-HTML handling removed (raw tags come out as
escaped text, never as markup), and the result goes through nh3 with a strict allow-list:
no scripts, no styles, no event handlers, links only to http(s)/mailto.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown and nh3 are imported on first use (not needed for the first window)
    import markdown

ALLOWED_TAGS: frozenset[str] = frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "a", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


def _md() -> markdown.Markdown:
    import markdown

    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # No raw HTML at all: drop the block and inline HTML handlers so tags stay literal text.
    for registry, name in ((md.preprocessors, "html_block"), (md.inlinePatterns, "html")):
        if name in registry:
            registry.deregister(name)
    return md


def sanitize_html(fragment: str, tags: frozenset[str] = ALLOWED_TAGS) -> str:
    """Clean an HTML fragment with the strict allow-list (used for search snippets too)."""
    import nh3

    return nh3.clean(
        fragment,
        tags=set(tags),
        attributes={k: v for k, v in ALLOWED_ATTRIBUTES.items() if k in tags},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def markdown_to_safe_html(text: str) -> str:
    """Render entry Markdown to sanitised HTML."""
    return sanitize_html(_md().convert(text or ""))


def snippet_html(snippet: str) -> str:
    """A search snippet keeps only <b> highlighting; everything else is text."""
    import nh3

    return nh3.clean(snippet or "", tags={"b"}, attributes={}, strip_comments=True)


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str) -> str:
    """html.escape(text, quote=True), without importing html (and its entity tables) at start-up."""
    return (text or "").translate(_ESCAPES)
