"""Russian word vectors in a small Russian history's model: fitted, saved as a name (not as weights of ours),
loaded back to the same predictions, and refused with a clear error when the named vectors are not here."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from postdesk.daemon.learning import fit as learning
from postdesk.daemon.learning import vectors
from postdesk.routing.classifier import VECTORS, mean_vector, model_text, predict

if not vectors.available():
    pytest.skip("the word vectors (navec, natasha) are not installed", allow_module_level=True)

RU = {
    "treasury": ["Оплатите счёт поставщику сегодня", "Платёжное поручение не ушло в банк",
                 "Прошу провести оплату по реестру платежей", "Когда поступят деньги на расчётный счёт"],
    "it": ["Не работает принтер в бухгалтерии", "Забыл пароль от почты, сбросьте",
           "Компьютер не включается после обновления", "Нужен доступ к сетевой папке"],
    "hr": ["Нужна справка с места работы", "Хочу оформить отпуск с понедельника",
           "Прошу выдать копию трудовой книжки", "Документы для приёма нового сотрудника"],
}


def _examples(data: dict[str, list[str]]) -> list[learning.Example]:
    return [learning.Example(model_text("", t), label) for label, texts in data.items() for t in texts]


def test_a_small_russian_history_uses_the_vectors_and_the_file_keeps_only_their_name(tmp_path: Path) -> None:
    fitted = learning.fit(_examples(RU), 0.9)
    kinds = [b["kind"] for b in fitted.meta["blocks"]]
    assert kinds == ["words", "chars", VECTORS]
    assert fitted.meta["blocks"][-1]["table"] == vectors.NAVEC
    path = tmp_path / "queue.npz"
    learning.save(fitted, path)
    with zipfile.ZipFile(path) as z:
        assert not any(VECTORS in name for name in z.namelist())  # the 25 MB table is the package's, not ours
    loaded = learning.load(path)
    for text in ("Платёжка по счёту не прошла", "Принтер снова не печатает", "Справка для банка"):
        t = model_text("", text)
        assert predict(loaded.model, t) == predict(fitted.model, t)


def test_the_vectors_row_is_the_mean_of_the_known_longer_words() -> None:
    table = vectors.vectors()
    got = mean_vector(table, "в на оплата счета")
    pay, bill = table.vectors(["оплата", "счета"])
    assert table.vectors(["qwertyzz", "оплата"]).shape == (1, table.dim)
    want = (pay + bill) / 2
    np.testing.assert_allclose(got, want / np.linalg.norm(want), rtol=1e-5)
    assert not mean_vector(table, "в на qwertyzz").any()


def test_an_english_history_has_no_vectors() -> None:
    en = {"it": ["printer is broken", "reset my password", "laptop will not start"],
          "hr": ["need an employment letter", "book my holiday", "copy of my contract"]}
    assert VECTORS not in [b["kind"] for b in learning.fit(_examples(en), 0.9).meta["blocks"]]


def test_a_model_naming_vectors_that_are_not_here_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "queue.npz"
    learning.save(learning.fit(_examples(RU), 0.9), path)
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(bytes(arrays["header"]).decode())
    meta["blocks"][-1]["table"] = "fasttext_somewhere_else"
    arrays["header"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    with pytest.raises(learning.ModelError, match=r"word vectors that are not here.*fasttext_somewhere_else"):
        learning.load(path)
