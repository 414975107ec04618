"""HTML from a platform (a Mastodon status, a feed summary) as the plain text of a post.

nh3 (the ammonia sanitiser) parses the HTML and drops every tag and attribute but a
few block tags, and the contents of ``script`` and ``style``. What it returns is
well-formed and has every literal ``<`` escaped, so the block tags it kept can be
replaced by line breaks as exact strings; the entities are decoded last. No regex
ever reads the HTML itself.

Bidi and control characters are kept, as in every source's text: whatever shows a
post cleans them there (pages, the CLI), so the stored text stays the platform's.
"""

from __future__ import annotations

import html

# Tags whose boundaries separate words ("<p>a</p><p>b</p>" is "a b", not "ab").
_BLOCKS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "tr", "h1", "h2", "h3", "h4"}
)
_HIDDEN = {"script", "style", "template", "noscript"}  # dropped with their contents
_PARAGRAPH = "\x1e"  # the record separator: where a <p> begins or ends


def html_to_text(markup: str) -> str:
    """The words of ``markup`` without its markup: paragraphs are separated by a
    blank line, other blocks and ``<br>`` by a line break, entities decoded."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    import nh3  # here, not at the top: importing the source registry loads no parser

    kept = nh3.clean(
        markup,
        tags=set(_BLOCKS),
        clean_content_tags=_HIDDEN,
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    # Whitespace in HTML source, newlines included, is one space; only tags break lines.
    kept = " ".join(kept.split())
    kept = kept.replace("<p>", _PARAGRAPH).replace("</p>", _PARAGRAPH)
    for tag in _BLOCKS:
        kept = kept.replace(f"<{tag}>", "\n").replace(f"</{tag}>", "\n")
    paragraphs = []
    for block in kept.split(_PARAGRAPH):
        lines = [html.unescape(line).strip() for line in block.split("\n")]
        if any(lines):
            paragraphs.append("\n".join(line for line in lines if line))
    return "\n\n".join(paragraphs)
