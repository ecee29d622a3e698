"""The error-message corpus: real messages from public threads, each with its thread's cause.

Every message must be recognised as its family, and the cause its thread settled on must be
among the three causes listed first (tests/fixtures/errors/corpus.yaml). Known misses are
marked in the corpus with the reason, and counted, not hidden.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.importers import Document, import_documents

CORPUS = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "errors" / "corpus.yaml").read_text()
)


def _diagnosis(message: str):
    result = import_documents([Document("pasted", message)])
    assert len(result.diagnoses) == 1, [d.pattern for d in result.diagnoses]
    return result.diagnoses[0]


@pytest.mark.parametrize("entry", CORPUS, ids=[e["source"].split("github.com/")[-1]
                                               for e in CORPUS])
def test_each_message_is_recognised_and_its_threads_cause_is_in_the_top_three(entry):
    diagnosis = _diagnosis(entry["message"])
    assert diagnosis.recognised
    assert diagnosis.pattern == entry["family"]
    assert 1 <= len(diagnosis.ranked) <= 6
    top = [cause.id for cause in diagnosis.ranked[:3]]
    if entry.get("xfail"):
        pytest.xfail(entry["xfail"])
    assert entry["cause"] in top


def test_the_corpus_covers_the_lifecycle_and_each_entry_cites_its_thread():
    assert len(CORPUS) >= 60
    assert all(entry["source"].startswith("https://") for entry in CORPUS)
    families = {entry["family"] for entry in CORPUS}
    assert len(families) >= 30


def test_messages_pasted_together_are_read_one_by_one():
    text = "\n\n".join(entry["message"] for entry in CORPUS[:4])
    result = import_documents([Document("pasted", text)])
    assert [d.pattern for d in result.diagnoses] == [e["family"] for e in CORPUS[:4]]


def test_a_truncated_message_still_gets_its_familys_causes():
    message = "CannotPullContainerError: pull image manifest has been retried 5 time(s): fail…"
    diagnosis = _diagnosis(message)
    assert diagnosis.pattern == "cannot-pull"
    assert {"internet-path", "image-tag-missing"} <= {c.id for c in diagnosis.ranked[:3]}


def test_an_unknown_message_is_not_recognised_with_the_closest_families():
    diagnosis = _diagnosis("The widget frobnicated the log stream unexpectedly")
    assert not diagnosis.recognised
    assert diagnosis.closest and diagnosis.closest[0][0] == "logs-generic"
    assert "stopped-task" in diagnosis.sources[0].url
