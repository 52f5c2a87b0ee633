"""With `[model] enabled = false` (the default) the daemon loads nothing of the learned routing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _fresh_python(code: str) -> str:
    """What `code` prints in a new interpreter: what it imports is then its own doing, not other tests'."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_daemon_imports_neither_numpy_nor_scikit_learn_while_the_model_is_off() -> None:
    code = ("import sys; import postdesk.daemon.process.service, postdesk.daemon.pipeline.runner, "
            "postdesk.daemon.process.jobs, postdesk.daemon.cli.main, postdesk.daemon.process.worker; "
            "print(sorted(m for m in ('numpy', 'sklearn', 'scipy', 'postdesk.routing.classifier', "
            "'postdesk.daemon.learning.fit') "
            "if m in sys.modules))")
    assert _fresh_python(code) == "[]"


def test_the_model_section_is_validated_like_the_others(tmp_path: Path) -> None:
    from support import Center

    c = Center(tmp_path, extra='[model]\nenabled = "yes"\nprecision = 2\nmin_new = 0\nthreshold = 0.9\n')
    out = c.cli("check-config", check=False)
    assert out.returncode == 2
    for key in ("model.enabled", "model.precision", "model.min_new", "model.threshold: unknown key"):
        assert key in out.stderr


def test_the_nightly_refit_fits_in_a_process_of_its_own_and_hands_back_only_the_weights() -> None:
    """Fitting a big desk peaks at ~1.6 GB with scikit-learn loaded; the worker must keep neither."""
    code = ("import sys\n"
            "from postdesk.daemon.learning import fit\n"
            "from postdesk.daemon.learning.refit import _fit_apart\n"
            "words = {'it': 'принтер пароль vpn почта ноутбук', 'hr': 'отпуск справка приказ увольнение кадры'}\n"
            "examples = [fit.Example(f'{w} {i}', label) for label, ws in words.items()\n"
            "            for i in range(6) for w in ws.split()]\n"
            "fitted = _fit_apart(fit, examples, 0.95)\n"
            "print(sorted(fitted.meta['labels']), 'sklearn' in sys.modules)\n")
    assert _fresh_python(code) == "['hr', 'it'] False"
