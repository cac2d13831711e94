#!/usr/bin/python3
"""Drives `gradlog serve`'s pages in Chromium with JavaScript running, and reports what it saw.

Usage: serve_pages.py GRADLOG FOLDER

Writes three finished runs of the lesson (5, 60 and 20 epochs) and a failed one into FOLDER/serve.db,
starts `GRADLOG serve --port 0` on 127.0.0.1 and a run logged by `GRADLOG log` from this script (its
steps written in batches, each once the page has shown the one before), and opens the pages in
Debian's chromium through chromium-driver and Selenium (python3-selenium, installed by
scripts/setup). Prints one JSON object of observations: the run page's live line before and after
a batch and after the run ended (a mark set in the page tells that it was never reloaded), the
runs page's rows after its filter form and after one and two clicks on a heading, the compare page
of two runs ticked on the runs page, the run page's loss chart while another run is written and
zoomed (`charts`), the pages as
drawn with JavaScript disabled (and the same two runs compared), the browser's console errors, and
(`runs_live`) the open runs page while a run starts, logs and ends in another process: its new row,
its cells, the page sorted by latest_loss and then by epoch, and its final status without a reload. The Swift test
(ServeBrowserTests) judges them. Every wait polls with a timeout; none is a fixed sleep.
"""
import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

# Long enough for a loaded two-core machine; an event normally arrives within a second.
TIMEOUT = 30


def wait_for(condition, what, timeout=TIMEOUT):
    """Polls `condition` until it returns something true, and returns that; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except StaleElementReferenceException:
            # The live page replaced or removed the element between finding it and reading it: look again.
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def gradlog(binary, database, *arguments, stdin=None, code=0):
    """Runs one gradlog command on the database and fails unless it exits with `code`."""
    done = subprocess.run([binary, arguments[0], "--db", database, *arguments[1:]], input=stdin, text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != code:
        raise RuntimeError(f"gradlog {arguments[0]} exited with {done.returncode}: {done.stderr}")


def address_of(server):
    """The address `gradlog serve` prints on its first line of standard output."""
    line = {}
    reader = threading.Thread(target=lambda: line.setdefault("text", server.stdout.readline()), daemon=True)
    reader.start()
    reader.join(TIMEOUT)
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line.get("text", ""))
    if not match:
        raise RuntimeError(f"gradlog serve printed no address: {line.get('text')!r}")
    return f"http://127.0.0.1:{match.group(1)}"


def committed_steps(database, name):
    """The id and step count of the run called `name`, read from the file read-only, or None."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute("SELECT id, step_count FROM runs WHERE name = ?", (name,)).fetchone()
    finally:
        connection.close()


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def runs_rows(driver):
    """The runs page's rows: id, name and final_loss cell of each, in order. Read in one call: a
    WebDriver round trip per cell made reading the page most of the test's time."""
    return driver.execute_script("""
        var headings = Array.from(document.querySelectorAll("#runs th"), function (cell) {
            return cell.innerText.replace(/[\s\u00A0\u25B2\u25BC]+$/, "").trim(); });
        return Array.from(document.querySelectorAll("#runs tr[data-run]"), function (row) {
            var values = {};
            Array.from(row.querySelectorAll("td")).forEach(function (cell, i) {
                if (i < headings.length) { values[headings[i]] = cell.innerText.trim(); } });
            var value = function (key) { return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : null; };
            return {id: parseInt(row.getAttribute("data-run"), 10), name: value("name"), final_loss: value("final_loss")};
        });""")


def steps(first, last):
    """JSON Lines for steps `first` to `last` of a one-parameter run, each its own epoch."""
    lines = []
    for step in range(first, last + 1):
        loss = 0.7 / step
        lines.append(json.dumps({"step": step, "loss": loss, "params": {"w": 0.5 + step / 100, "b": -1.0}}))
    return "\n".join(lines) + "\n"


def chart_state(driver, name):
    """The run page's chart `name` as the script left it: its x domain, columns, last epoch and line."""
    return driver.execute_script("""
        var box = document.querySelector(".live-chart[data-chart='" + arguments[0] + "']");
        if (!box) { return null; }
        var lines = box.querySelectorAll("polyline.line"), points = [];
        for (var i = 0; i < lines.length; i += 1) { points = points.concat(lines[i].getAttribute("points").split(" ")); }
        return {x: JSON.parse(box.dataset.x), columns: JSON.parse(box.dataset.columns), last: box.dataset.last || null,
                points: points, from: box.dataset.from || null, to: box.dataset.to || null};""", name)


def series(base, run_id, query):
    """The server's envelope of a chart over a range (`/runs/ID/series?...`), as JSON."""
    with urllib.request.urlopen(f"{base}/runs/{run_id}/series?{query}", timeout=TIMEOUT) as answer:
        return json.loads(answer.read())


def live_charts(binary, database, base, driver):
    """The run page's charts while a run is written: the loss chart's last point advances without a
    reload (its x domain widening past the first one drawn), its columns stay the server's envelope
    over the same domain, and a zoom redraws it with the range's points only."""
    seen = {}
    producer = subprocess.Popen([binary, "log", "--db", database, "--name", "live-chart", "--quiet"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        producer.stdin.write(steps(1, 5))
        producer.stdin.flush()
        run_id, _ = wait_for(lambda: (lambda row: row if row and row[1] >= 5 else None)(committed_steps(database, "live-chart")),
                             "the chart run's first five steps in the file")
        driver.get(f"{base}/runs/{run_id}")
        driver.execute_script("window.gradlogProbe = 'not reloaded';")
        seen["first"] = chart_state(driver, "loss")
        producer.stdin.write(steps(6, 30))
        producer.stdin.flush()
        # Epoch 30 stays open until the run ends: the chart's last epoch is 29.
        seen["grown"] = wait_for(lambda: (lambda state: state if state and state["last"] == "29" else None)(chart_state(driver, "loss")),
                                 "the loss chart's epoch 29")
        domain = seen["grown"]["x"]
        seen["server"] = series(base, run_id, f"chart=loss&from={int(domain[0])}&to={int(domain[1])}")
        seen["probe"] = driver.execute_script("return window.gradlogProbe || null;")
        driver.find_element(By.CSS_SELECTOR, "#zoom input[name=from]").send_keys("5")
        driver.find_element(By.CSS_SELECTOR, "#zoom input[name=to]").send_keys("15")
        driver.find_element(By.CSS_SELECTOR, "#zoom button").click()
        seen["zoomed"] = wait_for(lambda: (lambda state: state if state and state["to"] == "15" else None)(chart_state(driver, "loss")),
                                  "the loss chart zoomed to epochs 5 to 15")
        seen["zoom_server"] = series(base, run_id, "chart=loss&from=5&to=15")
        seen["zoom_url"] = driver.current_url[len(base):]
        seen["zoom_probe"] = driver.execute_script("return window.gradlogProbe || null;")
        producer.stdin.write('{"end": "finished"}\n')
        producer.stdin.close()
        seen["producer_exit"] = producer.wait(TIMEOUT)
    finally:
        if producer.poll() is None:
            producer.kill()
            producer.wait()
    return seen


def runs_cells(driver, run_id):
    """The cells of run `run_id`'s row on the runs page, by column, or None when it has no row (read
    in one call, as `runs_rows`)."""
    return driver.execute_script("""
        var row = document.querySelector("#runs tr[data-run='" + arguments[0] + "']");
        if (!row) { return null; }
        var cells = {};
        row.querySelectorAll("td[data-col]").forEach(function (cell) { cells[cell.getAttribute("data-col")] = cell.innerText.trim(); });
        return cells;""", str(run_id))


def runs_live(driver, base, binary, database):
    """The runs page while a run starts, logs and ends in another process: the row it gets without
    a reload, its cells as they change, the page sorted by latest_loss (a progress column) while it
    runs, its final status on that page without a reload, then the page sorted by epoch."""
    seen = {}
    driver.get(f"{base}/")
    driver.execute_script("window.gradlogProbe = 'runs page not reloaded';")
    seen["count_before"] = text(driver, "runs-count")
    producer = subprocess.Popen([binary, "log", "--db", database, "--name", "runs-live", "--tag", "kind=<b>live</b>", "--quiet",
                                 "--user", "tester"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        producer.stdin.write(steps(1, 3))
        producer.stdin.flush()
        run_id, _ = wait_for(lambda: committed_steps(database, "runs-live"), "the runs-live run in the file")
        started = time.monotonic()
        cells = wait_for(lambda: runs_cells(driver, run_id), "the new run's row on the open runs page")
        seen["appeared"] = {"cells": cells, "seconds": round(time.monotonic() - started, 2),
                            "last": int(driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]")[-1].get_attribute("data-run")),
                            "tags": [a.get_attribute("title") for a in driver.find_elements(By.CSS_SELECTOR, f"#runs tr[data-run='{run_id}'] a.tag")],
                            "count": text(driver, "runs-count")}
        producer.stdin.write(steps(4, 8))
        producer.stdin.flush()
        wait_for(lambda: (runs_cells(driver, run_id) or {}).get("steps") == "8", "the new run's steps reaching 8")
        seen["moved"] = {"cells": runs_cells(driver, run_id), "probe": driver.execute_script("return window.gradlogProbe || null;")}
        for click in ["ascending", "descending"]:
            driver.find_element(By.XPATH, "//table[@id='runs']//th/a[starts-with(normalize-space(.), 'latest_loss')]").click()
            wanted = "order=desc" if click == "descending" else "sort=latest_loss"
            wait_for(lambda: wanted in driver.current_url and driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]"),
                     f"the runs page sorted by latest_loss, {click}")
        rows = driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]")
        seen["sorted"] = {"url": driver.current_url[len(base):], "first": int(rows[0].get_attribute("data-run")),
                          "latest_loss": runs_cells(driver, run_id).get("latest_loss")}
        driver.execute_script("window.gradlogProbe = 'sorted page not reloaded';")
        producer.stdin.write('{"end": "finished"}\n')
        producer.stdin.close()
        seen["exit"] = producer.wait(TIMEOUT)
        ended = time.monotonic()
        wait_for(lambda: (runs_cells(driver, run_id) or {}).get("status") == "finished", "the run's final status on the sorted page")
        seen["ended"] = {"cells": runs_cells(driver, run_id), "seconds": round(time.monotonic() - ended, 2),
                         "probe": driver.execute_script("return window.gradlogProbe || null;")}
        driver.find_element(By.XPATH, "//table[@id='runs']//th/a[normalize-space(.)='epoch']").click()
        wait_for(lambda: "sort=epoch" in driver.current_url, "the runs page sorted by epoch")
        seen["by_epoch"] = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#runs td[data-col='epoch']")]
        seen["run"] = run_id
        seen["console"] = [entry["message"] for entry in driver.get_log("browser")
                           if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]
    finally:
        if producer.poll() is None:
            producer.kill()
            producer.wait()
    return seen


def runs_leaving(driver, base, binary, database):
    """The runs page filtered to running runs while one of them ends: its row leaves the page and
    the run count goes down, without a reload."""
    seen = {}
    producer = subprocess.Popen([binary, "log", "--db", database, "--name", "runs-leaving", "--quiet"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        producer.stdin.write(steps(1, 3))
        producer.stdin.flush()
        run_id, _ = wait_for(lambda: committed_steps(database, "runs-leaving"), "the runs-leaving run in the file")
        driver.get(f"{base}/?status=running")
        driver.execute_script("window.gradlogProbe = 'filtered page not reloaded';")
        wait_for(lambda: runs_cells(driver, run_id), "the running run's row on the page of running runs")
        seen["before"] = {"count": text(driver, "runs-count"), "rows": len(driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]"))}
        producer.stdin.write('{"end": "finished"}\n')
        producer.stdin.close()
        seen["exit"] = producer.wait(TIMEOUT)
        wait_for(lambda: runs_cells(driver, run_id) is None, "the finished run's row leaving the page of running runs")
        seen["after"] = {"count": text(driver, "runs-count"), "rows": len(driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]")),
                         "probe": driver.execute_script("return window.gradlogProbe || null;")}
    finally:
        if producer.poll() is None:
            producer.kill()
            producer.wait()
    return seen


def refreshed_chart(driver, name, step):
    """The run page's chart `name` as the script swapped it in at `step` (an image, loaded), or None."""
    return driver.execute_script("""
        var image = document.querySelector(".refresh-chart[data-chart='" + arguments[0] + "'] img[data-step='" + arguments[1] + "']");
        return image && image.complete && image.naturalWidth > 0 ? image.getAttribute("src") : null;""", name, str(step))


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    database = f"{folder}/serve.db"
    gradlog(binary, database, "run", "--epochs", "5", "--name", "lesson-short")
    gradlog(binary, database, "run", "--epochs", "60", "--name", "lesson-long")
    gradlog(binary, database, "run", "--epochs", "20", "--name", "lesson-mid")
    gradlog(binary, database, "log", "--name", "crashed", "--quiet",
            stdin='{"step": 1, "loss": 0.5}\n{"end": "failed", "error": "out of memory"}\n', code=1)
    seen = {}
    server = producer = driver = None
    try:
        server = subprocess.Popen([binary, "serve", "--db", database, "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        base = address_of(server)
        producer = subprocess.Popen([binary, "log", "--db", database, "--name", "live", "--quiet"],
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        producer.stdin.write(steps(1, 3))
        producer.stdin.flush()
        run_id, _ = wait_for(lambda: (lambda row: row if row and row[1] >= 3 else None)(committed_steps(database, "live")),
                             "the producer's first three steps in the file")
        seen["live_run"] = run_id

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(TIMEOUT)

        # The run page, live: a mark set in the page survives only if it is never reloaded.
        started = time.monotonic()
        driver.get(f"{base}/runs/{run_id}")
        driver.execute_script("window.gradlogProbe = 'not reloaded';")
        epoch_rows = lambda: len(driver.find_elements(By.CSS_SELECTOR, "#epochs table tr")) - 1
        seen["first"] = {"status": text(driver, "live-status"), "step": text(driver, "live-step"), "rows": epoch_rows()}
        producer.stdin.write(steps(4, 12))
        producer.stdin.flush()
        WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(lambda d: text(d, "live-step") == "12")
        # Epoch 12 stays open (no row yet) until a later step or the end of the run.
        WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(lambda d: epoch_rows() == 11)
        seen["second"] = {"status": text(driver, "live-status"), "step": text(driver, "live-step"),
                          "epoch": text(driver, "live-epoch"), "loss": text(driver, "live-loss"), "rows": epoch_rows(),
                          "probe": driver.execute_script("return window.gradlogProbe || null;"),
                          "seconds": round(time.monotonic() - started, 2)}
        producer.stdin.write('{"end": "finished"}\n')
        producer.stdin.close()
        seen["producer_exit"] = producer.wait(TIMEOUT)
        WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(lambda d: text(d, "live-status") != "running")
        WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(lambda d: epoch_rows() == 12)
        source = wait_for(lambda: refreshed_chart(driver, "params", 12), "the parameters chart drawn again at step 12")
        with urllib.request.urlopen(f"{base}{source}", timeout=TIMEOUT) as answer:
            seen["params_chart"] = {"src": source, "type": answer.headers["Content-Type"], "svg": answer.read().decode()}
        seen["ended"] = {"status": text(driver, "live-status"), "note": text(driver, "live-note"), "rows": epoch_rows(),
                         "epochs": [row.find_element(By.TAG_NAME, "td").text
                                    for row in driver.find_elements(By.CSS_SELECTOR, "#epochs table tr")[1:]],
                         "probe": driver.execute_script("return window.gradlogProbe || null;"),
                         "seconds": round(time.monotonic() - started, 2)}

        # The runs page: the filter form (finished runs whose name contains "lesson"), then a heading twice.
        driver.get(f"{base}/")
        seen["all_rows"] = runs_rows(driver)
        Select(driver.find_element(By.NAME, "status")).select_by_visible_text("finished")
        driver.find_element(By.NAME, "name").send_keys("lesson")
        driver.find_element(By.CSS_SELECTOR, "form.filter button").click()
        wait_for(lambda: "name=lesson" in driver.current_url, "the filtered runs page")
        seen["filtered"] = {"url": driver.current_url[len(base):], "rows": runs_rows(driver)}
        for click in ["ascending", "descending"]:
            heading = driver.find_element(By.XPATH, "//table[@id='runs']//th/a[starts-with(normalize-space(.), 'final_loss')]")
            heading.click()
            wanted = "order=desc" if click == "descending" else "sort=final_loss"
            wait_for(lambda: wanted in driver.current_url and driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]"),
                     f"the runs page sorted by final_loss, {click}")
            seen[click] = {"url": driver.current_url[len(base):], "rows": runs_rows(driver),
                           "heading": driver.find_element(By.XPATH, "//table[@id='runs']//th/a[starts-with(normalize-space(.), 'final_loss')]").text}
        # The compare page: tick two runs on the runs page and submit its compare form.
        driver.get(f"{base}/")
        ids = {row["name"]: row["id"] for row in runs_rows(driver)}
        for name in ["lesson-short", "lesson-long"]:
            driver.find_element(By.CSS_SELECTOR, f"#runs tr[data-run='{ids[name]}'] input[type=checkbox]").click()
        driver.find_element(By.CSS_SELECTOR, "form#compare button").click()
        wait_for(lambda: "/compare?" in driver.current_url, "the compare page")
        table = driver.find_elements(By.XPATH, "//h2[.='Comparison']/following::table[1]//tr")
        seen["compare"] = {"url": driver.current_url[len(base):],
                           "ids": [ids["lesson-short"], ids["lesson-long"]],
                           "rows": [row.find_element(By.TAG_NAME, "td").text for row in table[1:]],
                           "charts": len(driver.find_elements(By.CSS_SELECTOR, "svg"))}
        seen["charts"] = live_charts(binary, database, base, driver)
        seen["console"] = [entry["message"] for entry in driver.get_log("browser")
                           if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]

        seen["runs_live"] = runs_live(driver, base, binary, database)
        seen["runs_leaving"] = runs_leaving(driver, base, binary, database)

        # With JavaScript disabled: the same pages, complete as the server drew them.
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        driver.get(f"{base}/runs/{run_id}")
        seen["static_run"] = {
            "status": text(driver, "live-status"), "step": text(driver, "live-step"), "rows": epoch_rows(),
            "charts": len(driver.find_elements(By.CSS_SELECTOR, "svg")),
            "headings": [h.text for h in driver.find_elements(By.TAG_NAME, "h2")],
            "exports": [a.get_attribute("href")[len(base):] for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/epochs.']")],
        }
        driver.get(f"{base}/?status=failed")
        seen["static_runs"] = runs_rows(driver)
        driver.get(f"{base}/")
        for run in seen["compare"]["ids"]:
            driver.find_element(By.CSS_SELECTOR, f"#runs tr[data-run='{run}'] input[type=checkbox]").click()
        driver.find_element(By.CSS_SELECTOR, "form#compare button").click()
        wait_for(lambda: "/compare?" in driver.current_url, "the compare page without JavaScript")
        seen["static_compare"] = [row.find_element(By.TAG_NAME, "td").text
                                  for row in driver.find_elements(By.XPATH, "//h2[.='Comparison']/following::table[1]//tr")[1:]]
    finally:
        if driver:
            driver.quit()
        for process in (producer, server):
            if process and process.poll() is None:
                process.kill()
                process.wait()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
