"""The weekly review as one HTML file: numbers, charts as inline SVG, the period's
most urgent complaints.

Self-contained (no script, no font, no stylesheet or image from anywhere) and
strict about it: its Content-Security-Policy loads nothing at all, so a post that
got past the escaping still could not fetch or run anything. Post text is cleaned
as pages clean it (controls, bidi overrides, look-alikes; links defanged) and
escaped by Jinja2's autoescape.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from jinja2 import Environment
from markupsafe import Markup

from monitor.page.render import clean_text
from monitor.report import svg
from monitor.report.summary import headline, minutes, period_label
from monitor.store import Complaint
from monitor.store.stats import Stats

POST_CHARS = 400
CATEGORIES_CHARTED = 8  # the rest are summed as "other categories"

_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>{{ title }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem .2rem 0; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { width: 100%; height: auto; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; }
.card { border: 1px solid #ccc; border-radius: .4rem; padding: .5rem .8rem; min-width: 11rem; }
.card b { display: block; font-size: 1.3rem; }
blockquote { margin: .3rem 0 1rem; padding-left: .8rem; border-left: 3px solid #ccc;
             white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="meta">{{ span }} · generated {{ generated }} UTC</p>
<div class="cards">
{% for what, value in cards %}<div class="card">{{ what }}<b>{{ value }}</b></div>
{% endfor %}</div>
<h2>Complaints per {{ by }}</h2>
{{ trend }}
{% for heading, chart, rows in breakdowns %}
<h2>{{ heading }}</h2>
{% if rows %}{{ chart }}{% else %}<p>None in this period.</p>{% endif %}
{% endfor %}
<h2>Top causes</h2>
{% if causes %}<table>{% for text, n in causes %}
<tr><td class="n">{{ n }}</td><td>{{ text }}</td></tr>{% endfor %}
</table>{% else %}<p>No causes recorded in resolutions.</p>{% endif %}
<h2>Lessons</h2>
{% if lessons %}<table>{% for text, n in lessons %}
<tr><td class="n">{{ n }}</td><td>{{ text }}</td></tr>{% endfor %}
</table>{% else %}<p>No lessons recorded in resolutions.</p>{% endif %}
<h2>Most urgent complaints</h2>
{% for c in notable %}
<p class="meta">#{{ c.id }} · {{ c.priority }} · {{ c.status }} · {{ c.category }} ·
{{ c.platform }} · {{ c.author }} · {{ c.posted }} UTC{% if c.acked %} · acknowledged in
{{ c.acked }}{% endif %}</p>
<blockquote>{{ c.text }}</blockquote>
{% else %}<p>No complaints in this period.</p>{% endfor %}
</body>
</html>
"""

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render_report(
    stats: Stats, notable: Sequence[Complaint], *, generated: datetime, title: str
) -> str:
    breakdowns = [
        ("By category", stats.by_category),
        ("By platform", stats.by_platform),
        ("By brand", {brand or "(no brand)": n for brand, n in stats.by_brand.items()}),
    ]
    return _ENV.from_string(_TEMPLATE).render(
        title=title,
        span=f"{stats.since:%Y-%m-%d %H:%M} – {stats.until:%Y-%m-%d %H:%M} UTC",
        generated=f"{generated:%Y-%m-%d %H:%M}",
        by=stats.by,
        cards=headline(stats),
        trend=Markup(_trend(stats)),
        breakdowns=[
            (
                heading,
                Markup(svg.horizontal_bars(list(counts.items())[:10], title=heading)),
                counts,
            )
            for heading, counts in breakdowns
        ],
        causes=stats.causes,
        lessons=stats.lessons,
        notable=[_notable(c) for c in notable],
    )


def _trend(stats: Stats) -> str:
    """Complaints per period stacked by category: the biggest categories each get a
    colour, the rest share one."""
    charted = list(stats.by_category)[:CATEGORIES_CHARTED]
    series = [(name, [p.by_category.get(name, 0) for p in stats.periods]) for name in charted]
    rest = [sum(n for k, n in p.by_category.items() if k not in charted) for p in stats.periods]
    if any(rest):
        series.append(("other categories", rest))
    labels = [period_label(stats, i) for i in range(len(stats.periods))]
    return svg.stacked_bars(labels, series, title=f"complaints per {stats.by}")


def _notable(c: Complaint) -> dict[str, str]:
    acked = None
    if c.acked_at is not None and c.created_at is not None:
        acked = minutes((c.acked_at - c.created_at).total_seconds() / 60)
    return {
        "id": str(c.id),
        "priority": c.priority.level,
        "status": c.status,
        "category": clean_text(c.category_label, 60),
        "platform": clean_text(c.mention.platform, 30),
        "author": clean_text(c.mention.author, 80),
        "posted": f"{c.mention.created_at:%Y-%m-%d %H:%M}",
        "acked": acked or "",
        "text": clean_text(c.mention.text, POST_CHARS),
    }
