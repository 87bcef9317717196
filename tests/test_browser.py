"""End to end: the rubric playground in JupyterLab, driven in a real headless Chromium.

The test starts JupyterLab on 127.0.0.1 (a free port, a random token) in a temporary folder holding a
copy of ``notebooks/04-rubric-playground.ipynb`` with its outputs cleared, opens it in Debian's
``chromium`` (path from the ``CHROMIUM`` environment variable, default ``/usr/bin/chromium``) through
Playwright for Python with ``executable_path`` set (no browser download), runs all cells from the Run
menu, moves one weight slider with the keyboard and checks that the ranked candidate table changed.

A screenshot goes to ``test-artifacts/playground.png`` (gitignored); with ``SMMRUBRIC_DOCS_SCREENSHOT=1``
it is also written to ``docs/playground.png`` for the README. If chromium is missing the test fails
with a message saying how to install it: it never skips. Every wait is bounded and JupyterLab is always
shut down (REST shutdown, then terminate, then kill).
"""

from __future__ import annotations

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

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04-rubric-playground.ipynb"
ARTIFACT = ROOT / "test-artifacts" / "playground.png"
FAILURE_SCREENSHOT = ROOT / "test-artifacts" / "playground-failure.png"
DOCS_SCREENSHOT = ROOT / "docs" / "playground.png"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
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
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
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
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
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
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.workdir / 'lab'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            command.append("--allow-root")
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
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
        for sig, wait in ((None, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if sig is not None:
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[JupyterLab]:
    (tmp_path / "lab").mkdir()
    _stripped_copy(NOTEBOOK, tmp_path / "lab")
    server = JupyterLab(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _ranking_text(page) -> str:
    return page.locator(".smmrubric-ranking table").first.inner_text(timeout=UPDATE_S * 1000)


@pytest.fixture
def chromium() -> str:
    """The chromium executable; checked before JupyterLab starts (a missing browser fails the test)."""
    return _chromium()


def test_playground_in_chromium(chromium: str, lab: JupyterLab, tmp_path: Path) -> None:
    assert NOTEBOOK.is_file(), f"missing {NOTEBOOK}"
    FAILURE_SCREENSHOT.unlink(missing_ok=True)  # a stale one from an earlier run would mislead
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=chromium, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1700, "height": 1800})
        page = context.pages[0] if context.pages else context.new_page()
        try:
            page.set_default_timeout(UPDATE_S * 1000)
            page.goto(lab.url(NOTEBOOK.name), wait_until="domcontentloaded", timeout=SERVER_START_S * 1000)
            # the notebook is open and its kernel idle
            page.locator(".jp-Notebook").first.wait_for(timeout=SERVER_START_S * 1000)
            lab.wait_for_idle_kernel()
            page.wait_for_timeout(500)
            dialog = page.locator(".jp-Dialog .jp-mod-accept")  # "Select Kernel", should it still ask
            if dialog.count():
                dialog.first.click()
            # Run > Run All Cells
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator("#jp-mainmenu-run li[data-command='runmenu:run-all']").first.click()
            page.locator(".smmrubric-ranking table").first.wait_for(timeout=RUN_ALL_S * 1000)
            before = _ranking_text(page)
            chart_before = page.locator(".smmrubric-chart").first.get_attribute("src")
            assert "candidate" in before.lower(), before
            # the panel starts at the preset: no candidate has moved
            assert page.locator(".smmrubric-ranking .smmrubric-moved").count() == 0, before

            # move the first weight slider to its maximum with the keyboard (End on the focused handle)
            slider = page.locator(".smmrubric-weight .noUi-handle").first
            slider.scroll_into_view_if_needed()
            slider.focus()
            slider.press("End")
            deadline = time.monotonic() + UPDATE_S
            after = before
            while time.monotonic() < deadline and after == before:
                page.wait_for_timeout(250)
                after = _ranking_text(page)
            assert after != before, "the ranked table did not change after moving a weight slider"
            chart = page.locator(".smmrubric-chart").first
            while time.monotonic() < deadline and chart.get_attribute("src") == chart_before:
                page.wait_for_timeout(250)
            assert chart.get_attribute("src") != chart_before, "the weight chart did not change"
            readout = page.locator(".smmrubric-weight .widget-readout").first.inner_text()
            assert float(readout) == 100.0, readout
            # rows that moved against the preset are highlighted
            assert page.locator(".smmrubric-ranking .smmrubric-moved").count() > 0, after
            # no error output anywhere in the notebook
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.first.inner_text()

            ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
            panel = page.locator(".smmrubric-playground").first
            panel.scroll_into_view_if_needed()
            panel.screenshot(path=str(ARTIFACT))
            if os.environ.get("SMMRUBRIC_DOCS_SCREENSHOT"):
                DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ARTIFACT, DOCS_SCREENSHOT)
        except BaseException:
            FAILURE_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(FAILURE_SCREENSHOT))
            print(f"screenshot of the failure: {FAILURE_SCREENSHOT}\nJupyterLab log:\n{lab.tail()}")
            raise
        finally:
            context.close()
