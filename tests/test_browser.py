"""End to end: the rubric playground in a real headless Chromium, in JupyterLab and as the standalone app.

Two tests drive the same panel through the browser, each in a temporary folder:

* **notebook**: JupyterLab on 127.0.0.1 (a free port, a random token) with a copy of
  ``notebooks/04-rubric-playground.ipynb`` whose outputs are cleared; all cells are run from the Run menu;
* **app**: ``smmrubric playground --no-browser --port N`` (Voilà on 127.0.0.1 with its own token), opened
  at the address it prints.

In both, the browser moves a weight slider with the keyboard (the table, the chart and the slider's number
box change; moved rows are highlighted), checks that no competency name is cut off, picks another preset to
start from while the comparison stays, uploads ``data/examples/ratings_example.csv`` (the table re-ranks its
12 candidates) and downloads the ranked table as CSV (the file holds those 12 candidates).

Chromium is Debian's ``chromium`` (path from the ``CHROMIUM`` environment variable, default
``/usr/bin/chromium``), driven by Playwright for Python with ``executable_path`` set (no browser download).
Screenshots of the panels after the slider move go to ``test-artifacts/`` (gitignored); with
``SMMRUBRIC_DOCS_SCREENSHOT=1`` the notebook's is also written to ``docs/playground.png`` for the README.
If chromium is missing the tests fail with a message saying how to install it: they never skip. Every wait
is bounded and every server is always shut down (REST shutdown for JupyterLab, then terminate, then kill).
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04-rubric-playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
DOCS_SCREENSHOT = ROOT / "docs" / "playground.png"
RATINGS = ROOT / "data" / "examples" / "ratings_example.csv"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_S = 90
RUN_ALL_S = 240
UPDATE_S = 30


def _chromium() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"chromium not found at {path!r}: the browser test needs Debian's chromium package. "
            "Install it with `make browser` (as root: apt-get install chromium) or set CHROMIUM=/path/to/chromium.",
            pytrace=False,
        )
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return response.read()


def _stripped_copy(source: Path, folder: Path) -> Path:
    """Copy the notebook with its outputs cleared, so that every widget on the page is a fresh one."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    target = folder / source.name
    nbformat.write(nb, target)
    return target


class JupyterLab:
    """A JupyterLab server on loopback, isolated in ``workdir`` (config, runtime, settings, workspaces)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "jupyterlab.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        home = self.workdir / "home"
        config = home / "config"
        (config / "labconfig").mkdir(parents=True)
        # no "would you like news?" toast over the notebook
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
        )
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        env.update(
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
            IPYTHONDIR=str(home / "ipython"),
            SMMRUBRIC_FIGURES=str(self.workdir / "figures"),
            SMMRUBRIC_NO_PROGRESS="1",
        )
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.workdir / 'lab'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            command.append("--allow-root")
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"JupyterLab exited with code {self.proc.returncode}:\n{self.tail()}")
            try:
                _get(f"{self.base}/api/status?token={self.token}", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise AssertionError(f"JupyterLab did not answer within {SERVER_START_S} s:\n{self.tail()}")

    def tail(self, n: int = 40) -> str:
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def wait_for_idle_kernel(self) -> None:
        """Wait until the page has started a kernel session and the kernel is idle."""
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            sessions = json.loads(_get(f"{self.base}/api/sessions?token={self.token}"))
            if any(s.get("kernel", {}).get("execution_state") == "idle" for s in sessions):
                return
            time.sleep(0.5)
        raise AssertionError(f"no idle kernel within {SERVER_START_S} s:\n{self.tail()}")

    def url(self, notebook: str) -> str:
        return f"{self.base}/lab/tree/{notebook}?token={self.token}&reset"

    def stop(self) -> None:
        """Shut the server and its kernels down: REST shutdown, then SIGTERM, then SIGKILL (bounded)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            request = urllib.request.Request(f"{self.base}/api/shutdown?token={self.token}", method="POST")
            urllib.request.urlopen(request, timeout=5).close()  # noqa: S310 (loopback only)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        _stop(self.proc, ((None, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)))


class PlaygroundApp:
    """``smmrubric playground`` on loopback in ``workdir``, read from the address it prints."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.log = workdir / "app.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        env.update(
            SMMRUBRIC_NO_PROGRESS="1",
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            IPYTHONDIR=str(self.workdir / "ipython"),
        )
        command = [sys.executable, "-m", "smmrubric.cli", "playground", "--no-browser", "--port", str(self.port)]
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"smmrubric playground exited with code {self.proc.returncode}:\n{self.tail()}")
            lines = [line for line in self.tail(200).splitlines() if line.startswith("Open http://127.0.0.1:")]
            if lines:
                self.url = lines[0].split()[1]
                try:  # listening? (a GET of the page would start a kernel)
                    socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
                    return
                except OSError:
                    pass
            time.sleep(0.5)
        raise AssertionError(f"smmrubric playground did not answer within {SERVER_START_S} s:\n{self.tail()}")

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:]) if self.log.exists() else "(no log)"

    def stop(self) -> None:
        """Interrupt (as Ctrl-C does), then terminate, then kill the server and its kernels (bounded)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        _stop(self.proc, ((signal.SIGINT, 10), (signal.SIGTERM, 10), (signal.SIGKILL, 5)))


def _stop(proc: subprocess.Popen[bytes], steps: tuple[tuple[signal.Signals | None, float], ...]) -> None:
    """Send each signal to the process group in turn (None: just wait) until the process has exited."""
    for sig, wait in steps:
        if sig is not None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def chromium() -> str:
    """The chromium executable; checked before any server starts (a missing browser fails the test)."""
    return _chromium()


@pytest.fixture
def lab(chromium: str, tmp_path: Path) -> Iterator[JupyterLab]:
    (tmp_path / "lab").mkdir()
    _stripped_copy(NOTEBOOK, tmp_path / "lab")
    server = JupyterLab(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def app(chromium: str, tmp_path: Path) -> Iterator[PlaygroundApp]:
    server = PlaygroundApp(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _browser(playwright, chromium: str, profile: Path):
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium,
        headless=True,
        args=CHROMIUM_FLAGS,
        accept_downloads=True,
        viewport={"width": 1700, "height": 1800},
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(UPDATE_S * 1000)
    return context, page


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text(timeout=UPDATE_S * 1000)


def _until(page, check, what: str) -> None:
    """Poll ``check()`` until it is true (bounded), else fail saying ``what`` did not happen."""
    deadline = time.monotonic() + UPDATE_S
    while time.monotonic() < deadline:
        if check():
            return
        page.wait_for_timeout(200)
    raise AssertionError(what)


def drive_panel(page, downloads: Path, screenshot: str) -> None:
    """Move a slider, check the outputs and the labels, change the start, upload ratings, export the table.

    The panel's screenshot (``test-artifacts/<screenshot>``) is taken once the slider has moved.
    """
    page.locator(".smmrubric-ranking table").first.wait_for(timeout=RUN_ALL_S * 1000)
    before = _text(page, ".smmrubric-ranking table")
    chart_before = page.locator(".smmrubric-chart").first.get_attribute("src")
    assert "candidate" in before.lower() and "stays in top 10" in before.lower(), before
    # the panel starts where it compares: no candidate has moved, RBO^b is 1
    assert page.locator(".smmrubric-ranking .smmrubric-moved").count() == 0, before
    assert "rank-biased overlap 1.00" in _text(page, ".smmrubric-agreement")

    # move the first weight slider to its end with the keyboard (End on the focused handle)
    handle = page.locator(".smmrubric-weight .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press("End")
    _until(
        page,
        lambda: _text(page, ".smmrubric-ranking table") != before,
        "the ranked table did not change after moving a weight slider",
    )
    chart = page.locator(".smmrubric-chart").first
    _until(page, lambda: chart.get_attribute("src") != chart_before, "the weight chart did not change")
    end = float(handle.get_attribute("aria-valuemax"))
    box = page.locator(".smmrubric-points input").first
    _until(
        page,
        lambda: box.input_value() != "" and float(box.input_value()) == end,
        f"the number box does not show the slider's end {end}: {box.input_value()!r}",
    )
    assert 20 <= end <= 30, end  # scaled to the weights: twice the largest (10.3 points) -> 25, not 100
    assert page.locator(".smmrubric-ranking .smmrubric-moved").count() > 0
    # no competency name is cut off, and the chart is shown at its own size (its text is not shrunk)
    clipped = page.evaluate("""() => [...document.querySelectorAll('.smmrubric-name')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 || e.closest('.widget-html').scrollWidth >
                     e.closest('.widget-html').clientWidth + 1).map(e => e.textContent)""")
    assert page.locator(".smmrubric-name").count() == 30 and clipped == [], clipped
    natural = page.evaluate("""() => { const i = document.querySelector('.smmrubric-chart');
        return [i.naturalWidth, i.getBoundingClientRect().width]; }""")
    assert natural[0] >= 560 and abs(natural[0] - natural[1]) <= 2, natural
    _screenshot(page, screenshot)

    # start from Buffer: the comparison stays with the consensus, so Buffer's differences show
    page.locator(".smmrubric-start select").first.select_option(label="Buffer (2017)")
    compare = page.locator(".smmrubric-compare select").first
    _until(
        page,
        lambda: "Weights of Buffer (2017) loaded" in _text(page, ".smmrubric-status"),
        "starting from Buffer did not load its weights",
    )
    shown = compare.evaluate("e => e.options[e.selectedIndex].text").replace("\xa0", " ")  # ipywidgets' spaces
    assert shown == "Consensus of the experts' lists", shown
    assert page.locator(".smmrubric-ranking .smmrubric-moved").count() > 0

    # upload the example ratings: the table ranks their 12 candidates
    with page.expect_file_chooser() as chooser:  # the button opens the browser's file dialog
        page.locator(".smmrubric-upload-ratings").first.click()
    chooser.value.set_files(str(RATINGS))
    _until(
        page,
        lambda: "12 candidates from ratings_example.csv" in _text(page, ".smmrubric-status"),
        f"the uploaded ratings were not loaded: {_text(page, '.smmrubric-status')!r}",
    )
    assert "top 10 of 12" in _text(page, ".smmrubric-ranking")

    # export the ranked table as CSV through the download link
    page.locator(".smmrubric-export-csv").first.click()
    link = page.locator(".smmrubric-download a").first
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    target = downloads / info.value.suggested_filename
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert target.name == "ranked-consensus-of-the-experts-lists.csv"
    assert len(rows) == 12 and rows[0]["rank"] == "1" and {"candidate_id", "total", "chance_top_10"} <= set(rows[0])


def _screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel = page.locator(".smmrubric-playground").first
    panel.scroll_into_view_if_needed()
    path = ARTIFACTS / name
    panel.screenshot(path=str(path))
    return path


def _on_failure(page, name: str, log: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    print(f"screenshot of the failure: {ARTIFACTS / name}\nserver log:\n{log}")


def test_notebook_panel_in_chromium(chromium: str, lab: JupyterLab, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context, page = _browser(playwright, chromium, tmp_path / "chromium-profile")
        try:
            page.goto(lab.url(NOTEBOOK.name), wait_until="domcontentloaded", timeout=SERVER_START_S * 1000)
            page.locator(".jp-Notebook").first.wait_for(timeout=SERVER_START_S * 1000)
            lab.wait_for_idle_kernel()
            page.wait_for_timeout(500)
            dialog = page.locator(".jp-Dialog .jp-mod-accept")  # "Select Kernel", should it still ask
            if dialog.count():
                dialog.first.click()
            # Run > Run All Cells
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator("#jp-mainmenu-run li[data-command='runmenu:run-all']").first.click()
            drive_panel(page, tmp_path, "playground.png")
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.first.inner_text()
            if os.environ.get("SMMRUBRIC_DOCS_SCREENSHOT"):
                shutil.copyfile(ARTIFACTS / "playground.png", DOCS_SCREENSHOT)
        except BaseException:
            _on_failure(page, "playground-failure.png", lab.tail())
            raise
        finally:
            context.close()


def test_standalone_app_in_chromium(chromium: str, app: PlaygroundApp, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert app.url.startswith("http://127.0.0.1:") and "token=" in app.url
    with sync_playwright() as playwright:
        context, page = _browser(playwright, chromium, tmp_path / "chromium-profile")
        try:
            page.goto(app.url, wait_until="domcontentloaded", timeout=SERVER_START_S * 1000)
            drive_panel(page, tmp_path, "playground-app.png")
            assert page.locator("text=Traceback").count() == 0
            assert not page.get_by_text("import panel").is_visible()  # the page shows no code
        except BaseException:
            _on_failure(page, "playground-app-failure.png", app.tail())
            raise
        finally:
            context.close()
