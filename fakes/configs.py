"""The smallest config amends runs with: one brand, one responder paged to a file.

Tests and benchmarks append the sections they need (``[sources.x]``, more people).
Fill it with ``.format(db=..., cache=..., pages=...)``; literal braces in what is
appended must be doubled, as in any ``str.format`` template.
"""

MINIMAL_CONFIG = """\
[general]
database = "{db}"
cache_dir = "{cache}"

[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana"
[[responders.contacts]]
url = "file://{pages}"
tags = ["email"]
"""
