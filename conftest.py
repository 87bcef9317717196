"""Settings for every pytest run, notebooks under nbval included.

Set before any kernel starts, so that the notebooks' kernels inherit them: no progress bars (their
timings would differ from the committed outputs) and figures saved to a temporary folder, never into
the repository's figures/. ``make test`` sets ``SMMRUBRIC_FIGURES`` itself, to compare the figures the
notebooks made with the committed ones afterwards; otherwise a temporary folder is made and removed.
"""

import atexit
import os
import shutil
import tempfile

os.environ["SMMRUBRIC_NO_PROGRESS"] = "1"
if not os.environ.get("SMMRUBRIC_FIGURES"):
    _FIGURES = tempfile.mkdtemp(prefix="smmrubric-test-figures-")
    os.environ["SMMRUBRIC_FIGURES"] = _FIGURES
    atexit.register(shutil.rmtree, _FIGURES, ignore_errors=True)
