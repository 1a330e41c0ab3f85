"""The audit page in a real headless Chromium (Debian's chromium + chromium-driver).

It loads with no console error and no request but its own file; the numbers
on the page equal the audit JSON's; sorting, filtering and paging work; the XSS
note runs nothing; on the real 8,693-note vault (``../shared/corpus/tubegraph``)
the page stays small and its long parts come a page at a time (its size and
load times are printed, not asserted: run with ``-s`` to see them). Screenshots go to pytest's temporary folder (printed; run
``pytest -s tests/test_audit_browser.py`` to see where), never into the repo.

Without Chromium the tests are skipped on a developer's machine and fail in
CI (``CI`` set), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import CORPUS
from test_audit import XSS_TITLE, tiny_vault, write

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1440,1000")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = f"{CHROMIUM} and {CHROMEDRIVER} are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="notelint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def audit(vault: Path, out: Path, path: str = ".") -> tuple[Path, dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "audit", path, "--html", str(out / "report.html"), "--json", str(out / "report.json")],
        cwd=vault, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return out / "report.html", json.loads((out / "report.json").read_text(encoding="utf-8"))


# The browser's own pages and resources (its new-tab page, chrome-untrusted:// helpers): not
# requests of the report, whatever Chromium version loads them.
BROWSER_SCHEMES = ("chrome:", "chrome-untrusted:", "chrome-extension:", "devtools:", "about:")


def load(driver, page: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.get(page.as_uri())
    # driver.get may return while the document is still loading: wait for the load event, then
    # for the script to have unpacked its data and drawn the tables
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.readyState") == "complete")
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.body.dataset.ready") == "1")


def assert_clean_load(driver, page: Path) -> None:
    errors = [e for e in driver.get_log("browser")
              if e["level"] in ("SEVERE", "WARNING") and not e.get("message", "").startswith(BROWSER_SCHEMES)]
    assert errors == [], errors
    requests = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if not url.startswith(BROWSER_SCHEMES):
                requests.append(url)
    assert requests and set(requests) == {page.as_uri()}, requests  # nothing but the page itself


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", ""))


def assert_numbers_match(driver, data: dict) -> None:
    s = data["summary"]
    for metric in ("notes", "citations", "findings", "wanted", "orphans", "dead_ends"):
        el = driver.find_element("css selector", f'.kpi[data-metric="{metric}"] .value')
        assert number(el.text) == s[metric], metric
    for metric in ("claims", "cited_claims"):
        assert number(driver.find_element("css selector", f'span[data-metric="{metric}"]').text) == s[metric]
    cov = driver.find_element("css selector", '.kpi[data-metric="coverage"] .value').text
    assert cov == f"{s['coverage'] * 100:.1f}%"
    rows = driver.find_elements("css selector", "#notes-table tbody tr.note")
    assert len(rows) == min(PER_PAGE, s["notes"]) and s["notes"] == len(data["notes"])  # the first page
    assert driver.find_element("id", "note-count").text == f"{s['notes']:,} of {s['notes']:,} notes"
    # each row's numbers are the JSON's
    by_path = {n["path"]: n for n in data["notes"]}
    for row in rows:
        i = int(row.get_attribute("data-i"))
        n = data["notes"][i]
        cells = row.find_elements("tag name", "td")
        assert number(cells[2].text) == n["claims"]
        assert number(cells[4].text) == n["citations"]
        assert number(cells[5].text) == n["by_severity"]["error"]
        assert (number(cells[7].text), number(cells[8].text)) == (n["links_in"], n["links_out"])
        assert by_path[n["path"]] is n
    bars = driver.find_elements("css selector", "#chart-rules svg g.bar")
    assert len(bars) == min(12, len(s["by_rule"]))


PER_PAGE = 100  # notes a page of the table


def column(driver, index: int) -> list:
    script = ("return Array.from(document.querySelectorAll('#notes-table tbody tr.note'))"
              ".map(r => r.cells[arguments[0]].dataset.v)")
    return driver.execute_script(script, index)


def click_header(driver, label: str) -> str:
    button = driver.find_element("xpath", f"//table[@id='notes-table']//th/button[normalize-space()='{label}']")
    button.click()
    return button.find_element("xpath", "..").get_attribute("aria-sort")


def test_tiny_vault_page(browser, tmp_path):
    vault = tmp_path / "vault"
    write(vault, tiny_vault())
    page, data = audit(vault, tmp_path)
    load(browser, page)
    assert_clean_load(browser, page)
    assert_numbers_match(browser, data)

    # the XSS note: its title is text, and nothing ran
    assert browser.execute_script("return window.__xss") is None
    titles = [e.text for e in browser.find_elements("css selector", "#notes-table .title")]
    assert XSS_TITLE in titles
    row = browser.find_element("xpath", f"//tr[contains(@class,'note')][.//div[@class='title' and text()={json.dumps(XSS_TITLE)}]]")
    row.click()  # the details (built by the script from the JSON block) hold the <img ...> message
    detail = browser.find_element("css selector", "tr.detail")
    assert '<img src=x onerror="window.__xss=2">' in detail.text
    assert len(detail.find_elements("css selector", "ul.findings li")) == 3
    assert not browser.find_elements("css selector", "img")
    assert browser.execute_script("return window.__xss") is None

    # sorting: numbers descending first, then ascending; notes without a value last
    assert click_header(browser, "Coverage") == "descending"
    assert [float(v) for v in column(browser, 3)] == [1.0, 0.666667, 0.5]
    assert not browser.find_elements("css selector", "tr.detail")  # sorting closes the details
    assert click_header(browser, "Coverage") == "ascending"
    assert [float(v) for v in column(browser, 3)] == [0.5, 0.666667, 1.0]
    assert click_header(browser, "Note") == "ascending"
    assert column(browser, 0) == sorted(column(browser, 0))

    # filtering
    search = browser.find_element("id", "note-search")
    search.send_keys("beta")
    visible = browser.find_elements("css selector", "#notes-table tbody tr.note:not([hidden])")
    assert [r.find_element("css selector", ".title").text for r in visible] == ["Beta"]
    assert browser.find_element("id", "note-count").text == "1 of 3 notes"
    search.clear()
    browser.execute_script("arguments[0].dispatchEvent(new Event('input'))", search)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "note-filter")).select_by_value("orphan")
    visible = browser.find_elements("css selector", "#notes-table tbody tr.note:not([hidden])")
    assert len(visible) == data["summary"]["orphans"] == 1
    assert browser.find_element("id", "note-count").text == "1 of 3 notes"
    assert_clean_load_after_interaction(browser)
    shot = tmp_path / "audit-tiny.png"
    browser.save_screenshot(str(shot))
    print(f"\nscreenshot: {shot}")


def assert_clean_load_after_interaction(driver) -> None:
    errors = [e for e in driver.get_log("browser")
              if e["level"] in ("SEVERE", "WARNING") and not e.get("message", "").startswith(BROWSER_SCHEMES)]
    assert errors == [], errors


def test_corpus_page(browser, tmp_path):
    """The 147 real notes: the page a team would get."""
    vault = tmp_path / "vault"
    shutil.copytree(CORPUS, vault, ignore=shutil.ignore_patterns("*.tsv"))
    page, data = audit(vault, tmp_path)
    load(browser, page)
    assert_clean_load(browser, page)
    assert_numbers_match(browser, data)
    # ten strips a page, the pager says how many in all, each run of minutes links to its moment
    assert len(browser.find_elements("css selector", "#videos .video svg.strip")) == 10 and len(data["videos"]) == 60
    assert "rows 1–10 of 60 · page 1 of 6" in browser.find_element("css selector", "#video-list .pager").text
    links = [a.get_dom_attribute("href") for a in browser.find_elements("css selector", "#videos svg.strip a")]
    assert links and all(h.startswith("https://www.youtube.com/watch?v=") and "&t=" in h for h in links)
    first = browser.find_element("css selector", "#wanted-table tbody tr td.title").text
    assert first == data["wanted"][[w["channel"] for w in data["wanted"]].index(False)]["target"]

    assert click_header(browser, "Errors") == "descending"
    errors = [float(v) for v in column(browser, 5)]
    assert errors == sorted(errors, reverse=True)
    assert errors[0] == max(n["by_severity"]["error"] for n in data["notes"])
    assert click_header(browser, "Errors") == "ascending"
    errors = [float(v) for v in column(browser, 5)]
    assert errors == sorted(errors)
    # the second page goes on where the first stopped
    browser.find_element("css selector", "#notes-pager button.next").click()
    more = [float(v) for v in column(browser, 5)]
    assert len(more) == 147 - PER_PAGE and more == sorted(more) and more[0] >= errors[-1]
    assert_clean_load_after_interaction(browser)

    browser.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "audit-corpus.png"
    browser.save_screenshot(str(shot))
    print(f"\nscreenshot: {shot}")
    assert shot.stat().st_size > 50_000  # a page with charts on it, not a blank one


TUBEGRAPH = CORPUS.parent / "tubegraph"


def test_real_vault_page(browser, tmp_path):
    """The whole published vault (8,693 notes): small, painted at once, its tables paged."""
    site = tmp_path / "tubegraph"
    shutil.copytree(TUBEGRAPH, site)
    page, data = audit(site, tmp_path, "content")
    s = data["summary"]
    size = page.stat().st_size
    # at most 10 MB for 21,273 notes (the public wiki): about 470 bytes a note
    assert size <= s["notes"] * 10_000_000 // 21_273, size
    load(browser, page)
    timing = browser.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "var p = performance.getEntriesByType('paint').filter(e => e.name === 'first-contentful-paint')[0];"
        "return [p ? p.startTime : null, n.domContentLoadedEventEnd, n.loadEventEnd, performance.now()]")
    print(f"\n{s['notes']} notes: page {size / 1e6:.2f} MB; first contentful paint {timing[0]:.0f} ms, "
          f"DOMContentLoaded {timing[1]:.0f} ms, load {timing[2]:.0f} ms, tables drawn by {timing[3]:.0f} ms")
    assert_clean_load(browser, page)
    assert_numbers_match(browser, data)
    assert f"page 1 of {-(-s['notes'] // PER_PAGE)}" in browser.find_element("id", "notes-pager").text
    # every number on the first screen is whole: no text of a chart leaves its box
    clipped = browser.execute_script("""
        var out = [];
        document.querySelectorAll('#overview svg text').forEach(function (t) {
          var svg = t.ownerSVGElement, box = t.getBBox(), view = svg.viewBox.baseVal;
          if (box.x < view.x - 0.5 || box.x + box.width > view.x + view.width + 0.5) out.push(t.textContent);
        });
        return out;""")
    assert clipped == []
    # a filter runs over every note, not the page shown
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "note-filter")).select_by_value("orphan")
    assert browser.find_element("id", "note-count").text == f"{s['orphans']:,} of {s['notes']:,} notes"
    shown = browser.find_elements("css selector", "#notes-table tbody tr.note")
    assert len(shown) == min(PER_PAGE, s["orphans"]) and all("orphan" in r.text for r in shown)
    # a link to a note (the least cited, on the first screen) brings its page of the table and
    # opens the note's findings
    link = browser.find_element("css selector", "#overview ul.least a[data-note]")
    wanted = int(link.get_dom_attribute("href")[2:])
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    opened = browser.find_element("css selector", "tr.note.open")
    assert opened.get_attribute("data-i") == str(wanted)
    page_of = wanted // PER_PAGE + 1
    assert f"page {page_of} of" in browser.find_element("id", "notes-pager").text
    assert browser.find_element("id", "note-count").text == f"{s['notes']:,} of {s['notes']:,} notes"
    assert_clean_load_after_interaction(browser)
    browser.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "audit-tubegraph.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
