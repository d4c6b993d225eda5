"""The HTML page in a real browser: headless Chromium at a phone's width (375 px).

The chart must load and nothing may overflow the viewport. Needs Debian's `chromium` (installed by
.ci/run); outside CI the test is skipped when the browser is missing, in CI it fails instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from commentary.outputs import standalone_html
from commentary.pipeline import write_article
from commentary.playbooks import load_playbook

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium will not make a window narrower than 500 px, so the page goes into a 375-px iframe
#: (srcdoc keeps it same-origin) and the harness measures inside it.
HARNESS = """<!DOCTYPE html><html><head><title>pending</title></head><body style="margin:0">
<iframe id="page" width="375" height="900" style="border:0"></iframe>
<script>
const frame = document.getElementById("page");
frame.addEventListener("load", () => {
  const doc = frame.contentDocument;
  const images = Array.from(doc.images);
  document.title = JSON.stringify({
    images: images.length,
    loaded: images.every((i) => i.complete && i.naturalWidth > 0),
    imageWidths: images.map((i) => i.getBoundingClientRect().width),
    scrollWidth: doc.documentElement.scrollWidth,
    innerWidth: frame.contentWindow.innerWidth,
  });
});
frame.srcdoc = PAGE;
</script></body></html>"""


def png(width: int, height: int) -> bytes:
    """A plain grey PNG of the given size (no imaging library needed)."""
    row = b"\x00" + b"\x80" * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def measure(page: str, tmp_path: Path) -> dict[str, object]:
    if BROWSER is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser test; .ci/run installs it")
        pytest.skip("chromium is not installed")
    path = tmp_path / "harness.html"
    path.write_text(HARNESS.replace("PAGE;", json.dumps(page).replace("</", "<\\/") + ";"),
                    encoding="utf-8")  # fmt: skip
    done = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=600,1000",
         "--virtual-time-budget=5000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    title = re.search(r"<title>(\{.*?\})</title>", done.stdout)
    assert title, done.stderr[-2000:]
    return json.loads(title.group(1).replace("&quot;", '"'))


def test_page_renders_at_phone_width_with_its_chart(tmp_path: Path) -> None:
    article = write_article(load_playbook("mega-caps"), as_of=dt.date(2020, 4, 17))
    page = standalone_html(article, charts={"AAPL": png(1000, 700)})
    found = measure(page, tmp_path)
    assert found["images"] == 1 and found["loaded"] is True
    assert found["innerWidth"] == 375
    assert found["scrollWidth"] <= found["innerWidth"], found


def test_email_html_renders_at_phone_width_with_its_charts(tmp_path: Path) -> None:
    """The email's HTML part, with the inline chart resolved as a mail client would."""
    import base64
    import email.policy

    from commentary.mailing import Sender, Subscriber, Unsubscribe, build_message
    from commentary.newsletter import issue_content

    article = write_article(load_playbook("mega-caps"), as_of=dt.date(2020, 4, 17))
    issue = issue_content(article, "mega-caps-2020-04-17")
    message = build_message(
        issue, Subscriber("ann@example.com", "Ann"), sender=Sender("desk@example.com", "Desk"),
        unsubscribe=Unsubscribe("https://example.com/u", "u@example.com", "secret"),
        now=dt.datetime(2020, 4, 17, 22, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    html = parsed.get_body(("html",)).get_content()
    for part in parsed.walk():
        if part.get_content_type() == "image/png":
            cid = part["Content-ID"].strip("<>")
            data = base64.b64encode(part.get_payload(decode=True)).decode()
            html = html.replace(f"cid:{cid}", f"data:image/png;base64,{data}")
    found = measure(html, tmp_path)
    # A chart under each instrument's section (mega-caps has five), every one loaded.
    assert found["images"] == 5 and found["loaded"] is True
    assert found["scrollWidth"] <= found["innerWidth"] == 375, found


def test_real_charts_at_phone_width_show_no_text_under_11_css_px(tmp_path: Path) -> None:
    """The page with its own charts in a 375 px frame: each chart fits the column, and the
    smallest text on it, scaled to the width the browser drew it at, is at least 11 CSS px."""
    from commentary.charts import MIN_CSS_PX, MIN_FONT_PT, WIDTH_IN
    from commentary.outputs import chart_images

    article = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17))
    page = standalone_html(article, charts=chart_images(article))
    found = measure(page, tmp_path)
    assert found["images"] == 3 and found["loaded"] is True
    assert found["scrollWidth"] <= found["innerWidth"] == 375, found
    widths = found["imageWidths"]
    assert isinstance(widths, list) and len(widths) == 3
    smallest = MIN_FONT_PT / 72 * min(widths) / WIDTH_IN
    assert smallest >= MIN_CSS_PX, (widths, smallest)


def test_a_screenshot_of_the_page_with_its_charts_at_phone_width(tmp_path: Path) -> None:
    """Chromium draws the page with its real charts at a phone's width and writes a screenshot:
    the picture a reader gets (kept beside the test's files for a look by eye)."""
    from commentary.outputs import chart_images

    if BROWSER is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser test; .ci/run installs it")
        pytest.skip("chromium is not installed")
    article = write_article(load_playbook("default"), as_of=dt.date(2020, 3, 16))
    page = tmp_path / "page.html"
    page.write_text(standalone_html(article, charts=chart_images(article)), encoding="utf-8")
    shot = tmp_path / "phone.png"
    subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=500,2400",
         "--virtual-time-budget=5000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    data = shot.read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and (width, height) == (500, 2400)
    # Not one blank page: the chart's candles and lines put many colours on it.
    assert len(set(zlib.decompress(b"".join(_idat(data)))[:200_000])) > 20


def _idat(png: bytes) -> list[bytes]:
    """The PNG's image data chunks."""
    chunks, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    return chunks
