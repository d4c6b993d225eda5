"""The blog as publishers run it: feed title and full entries, live posts from `daily`, social
tags, and real Hugo and Jekyll builds (Debian's packages, installed by .ci/run) whose pages load
every chart in headless Chromium, Jekyll under a `baseurl`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from commentary.cli import cli

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISH = ["publish", "default", "--as-of", "2020-04-17", "--site-url", "https://blog.example.com"]


def _publish(site: Path, flavor: str, *extra: str) -> list[Path]:
    result = CliRunner().invoke(cli, [*PUBLISH, "--site", str(site), "--flavor", flavor, *extra])
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.splitlines()]


def test_the_feed_is_titled_for_the_playbook_and_carries_the_whole_article(tmp_path: Path) -> None:
    _publish(tmp_path, "hugo", "--no-draft")
    feed = ET.parse(tmp_path / "static" / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}title") == "The Market Pulse"
    [entry] = feed.findall(f"{ATOM}entry")
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    html = content.text or ""
    assert "<h2" in html and "Key Levels to Watch" in html and "The bottom line" in html
    images = re.findall(r'src="([^"]+)"', html)
    assert len(images) == 3
    assert all(src.startswith("https://blog.example.com/posts/") for src in images), images


def test_daily_with_publish_writes_a_live_post_that_the_feed_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    config = tmp_path / "config.toml"
    config.write_text(f'[blog]\nsite = "{site}"\nflavor = "jekyll"\n'
                      'site_url = "https://blog.example.com"\n')  # fmt: skip
    monkeypatch.setenv("COMMENTARY_CONFIG", str(config))
    args = ["daily", "default", "--date", "2020-04-17", "--out", str(tmp_path / "drafts"),
            "--no-email"]  # fmt: skip
    drafted = CliRunner().invoke(cli, args)
    assert drafted.exit_code == 0, drafted.output
    assert "feed: not written" in drafted.stderr  # configured, not asked: a draft
    live = CliRunner().invoke(cli, [*args, "--publish"])
    assert live.exit_code == 0, live.output
    [post] = (site / "_posts").iterdir()
    assert post.name.startswith("2020-04-17-") and post.name.count("2020") == 1
    assert "published: true" in post.read_text()
    feed = ET.parse(site / "feed.xml").getroot()
    [entry] = feed.findall(f"{ATOM}entry")
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href", "").count("2020") == 1  # the date once in the URL


def test_the_page_and_the_front_matter_carry_social_tags(tmp_path: Path) -> None:
    page = CliRunner().invoke(cli, ["generate", "--as-of", "2020-04-17", "--format", "html"])
    for tag in ('property="og:title"', 'property="og:description"', 'property="og:type"',
                'name="twitter:card"'):  # fmt: skip
        assert tag in page.stdout
    hugo = _publish(tmp_path / "h", "hugo")[0].read_text()
    assert "\nimages:\n- posts/" in hugo and "\ndescription: " in hugo
    jekyll = _publish(tmp_path / "j", "jekyll")[0].read_text()
    assert "\nimage: /assets/" in jekyll and "\ndescription: " in jekyll


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Debian's {name}; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return found


def _images_load(page: Path, root: Path, tmp_path: Path, prefix: str = "") -> None:
    """Serve ``root`` on 127.0.0.1 (under ``prefix``) and check in Chromium that every image of
    ``page`` loads."""
    import functools
    import http.server
    import threading

    from tests.test_browser import BROWSER

    if BROWSER is None:
        _tool("chromium")
    served = tmp_path / "served"
    target = served / prefix.strip("/") if prefix else served
    shutil.copytree(root, target)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}{prefix}/{page.relative_to(root).as_posix()}"
        probe = tmp_path / "probe.html"
        probe.write_text(
            '<!DOCTYPE html><title>pending</title><iframe id="f" src="' + url + '"></iframe>'
            "<script>document.getElementById('f').addEventListener('load', () => {"
            "const i = Array.from(document.getElementById('f').contentDocument.images);"
            "document.title = JSON.stringify({n: i.length, ok: i.filter(x => x.complete && "
            "x.naturalWidth > 0).length, src: i.map(x => x.src)}); });</script>"
        )
        # Same origin: the probe itself comes from the server.
        shutil.copy(probe, served / "probe.html")
        done = subprocess.run(
            [str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=8000", "--dump-dom",
             f"http://127.0.0.1:{server.server_port}/probe.html"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    found = re.search(r"<title>(\{.*?\})</title>", done.stdout)
    assert found, done.stderr[-2000:]
    import json

    result = json.loads(found.group(1).replace("&quot;", '"'))
    assert result["n"] == 3 and result["ok"] == 3, result


def test_hugo_builds_the_post_and_its_charts_load(tmp_path: Path) -> None:
    hugo = _tool("hugo")
    site = tmp_path / "site"
    _publish(site, "hugo", "--no-draft")
    (site / "hugo.toml").write_text('baseURL = "http://127.0.0.1/"\ntitle = "Pulse"\n')
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<!DOCTYPE html><html><body>{{ .Content }}</body></html>")
    (layouts / "list.html").write_text("<!DOCTYPE html><html><body></body></html>")
    done = subprocess.run([hugo, "--quiet"], cwd=site, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    [page] = (site / "public" / "posts").glob("*/index.html")
    _images_load(page, site / "public", tmp_path)


def test_jekyll_builds_the_post_under_a_baseurl_and_its_charts_load(tmp_path: Path) -> None:
    jekyll = _tool("jekyll")
    site = tmp_path / "site"
    _publish(site, "jekyll", "--no-draft")
    (site / "_config.yml").write_text('title: Pulse\nbaseurl: "/blog"\nmarkdown: kramdown\n')
    layouts = site / "_layouts"
    layouts.mkdir()
    (layouts / "post.html").write_text("<!DOCTYPE html><html><body>{{ content }}</body></html>")
    done = subprocess.run([jekyll, "build", "--quiet"], cwd=site, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    [page] = (site / "_site").rglob("*.html")
    assert page.relative_to(site / "_site").as_posix().count("2020") == 1
    html = page.read_text()
    assert "/blog/assets/" in html and "{%" not in html
    _images_load(page, site / "_site", tmp_path, prefix="/blog")
