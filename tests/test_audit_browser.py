"""The audit page in a real headless Chromium (Debian's chromium + chromium-driver).

It loads with no console error and no request but its own file; the numbers
on the page equal the audit JSON's; sorting and filtering work; the XSS note
runs nothing. Screenshots go to pytest's temporary folder (printed; run
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


def audit(vault: Path, out: Path) -> tuple[Path, dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "audit", ".", "--html", str(out / "report.html"), "--json", str(out / "report.json")],
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
    # driver.get may return while the document is still loading: wait for the load event
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.readyState") == "complete")


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
    assert len(rows) == s["notes"] == len(data["notes"])
    assert driver.find_element("id", "note-count").text == f"{s['notes']} of {s['notes']} notes"
    # each row's numbers are the JSON's
    by_path = {n["path"]: n for n in data["notes"]}
    for row in rows:
        i = int(row.get_attribute("data-i"))
        n = data["notes"][i]
        cells = row.find_elements("tag name", "td")
        assert int(cells[2].text) == n["claims"]
        assert int(cells[4].text.replace(",", "")) == n["citations"]
        assert int(cells[5].text) == n["by_severity"]["error"]
        assert (int(cells[7].text), int(cells[8].text)) == (n["links_in"], n["links_out"])
        assert by_path[n["path"]] is n
    bars = driver.find_elements("css selector", "#chart-rules svg g.bar")
    assert len(bars) == min(12, len(s["by_rule"]))


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
    assert len(browser.find_elements("css selector", "#videos .video svg.strip")) == len(data["videos"]) == 60
    first = browser.find_element("css selector", "#wanted-table tbody tr td.title").text
    assert first == data["wanted"][[w["channel"] for w in data["wanted"]].index(False)]["target"]

    assert click_header(browser, "Errors") == "descending"
    errors = [float(v) for v in column(browser, 5)]
    assert errors == sorted(errors, reverse=True)
    assert errors[0] == max(n["by_severity"]["error"] for n in data["notes"])
    assert click_header(browser, "Errors") == "ascending"
    errors = [float(v) for v in column(browser, 5)]
    assert errors == sorted(errors)
    assert_clean_load_after_interaction(browser)

    browser.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "audit-corpus.png"
    browser.save_screenshot(str(shot))
    print(f"\nscreenshot: {shot}")
    assert shot.stat().st_size > 50_000  # a page with charts on it, not a blank one
