"""``make screenshots``: the inbox and a complaint page on the demo's data, at phone
(390×844) and desktop (1280×800) size, as PNGs in docs/screenshots/.

    python -m tests.web.screenshots [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.web.browser import DESKTOP, PHONE, chromium, demo_inbox, have_chromium, sign_in


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    if not have_chromium():
        sys.exit(
            "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium "
            "chromium-driver)"
        )
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, demo_inbox(Path(tmp), real_model=True) as demo:
        with demo.store() as store:
            # The inbox's first row: the most urgent, oldest first.
            shown = min(store.list_complaints(limit=None), key=lambda c: (c.priority.level, c.id))
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            with chromium(size) as driver:
                sign_in(driver, demo.url, shown.assignee)
                driver.get(f"{demo.url}/")
                driver.save_screenshot(str(out / f"inbox-{label}.png"))
                driver.get(f"{demo.url}/c/{shown.id}")
                driver.save_screenshot(str(out / f"complaint-{label}.png"))
    for path in sorted(out.glob("*.png")):
        print(path)


if __name__ == "__main__":
    main()
