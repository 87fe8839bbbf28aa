"""`flask bank ...` and `flask documents ...` through the CLI runner, on a real database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.config import PROJECT_ROOT
from quizapp.extensions import db
from quizapp.models import Choice, Document, Question, Sentence
from tests.conftest import _make_app

UNSEEN_TEXT = """Der Vertrag von Shimonoseki

Nach dem Ersten Japanisch-Chinesischen Krieg wurde am 17. April 1895 der Vertrag von Shimonoseki
unterzeichnet. China trat darin Taiwan und die Pescadores-Inseln an Japan ab. Der chinesische
Unterhändler Li Hongzhang verhandelte mit dem japanischen Ministerpräsidenten Itō Hirobumi.
Wenige Tage später zwangen Russland, Frankreich und das Deutsche Reich Japan in der Intervention
von Shimonoseki, die Halbinsel Liaodong zurückzugeben. Im Jahr 1898 pachtete Russland Port Arthur.
"""


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped questions/ folder that a test may change."""
    target = tmp_path / "questions"
    shutil.copytree(PROJECT_ROOT / "questions", target)
    return target


@pytest.fixture
def bank_app(make_db, tmp_path: Path, bank_dir: Path) -> Flask:
    app = _make_app(make_db("migrated"), tmp_path, QUESTIONS_DIR=bank_dir)
    yield app
    with app.app_context():
        db.engine.dispose()


def _snapshot(app: Flask) -> dict:
    with app.app_context():
        questions = {
            q.id: (q.prompt, q.answer, q.status, q.updated_at, q.sentence_id)
            for q in db.session.scalars(select(Question))
        }
        choices = db.session.execute(select(Choice.id, Choice.text, Choice.correct)).all()
        sentences = db.session.scalar(select(func.count()).select_from(Sentence))
        documents = db.session.scalar(select(func.count()).select_from(Document))
    return {"q": questions, "c": sorted(choices), "s": sentences, "d": documents}


def invoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_generate_prints_what_the_extraction_proposes(bank_app: Flask) -> None:
    result = invoke(bank_app, "bank", "generate")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["document", "events", "actors", "covered", "open", "blocked",
                                "questions"]  # fmt: skip
    assert any(line.startswith("004_401761815e4e5e11.txt") for line in lines)
    total = dict(zip(lines[0].split()[1:], map(int, lines[-1].split()[1:]), strict=True))
    assert total["events"] >= 40 and total["covered"] >= 10
    with bank_app.app_context():  # generate writes nothing
        assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_load_twice_changes_nothing(bank_app: Flask) -> None:
    first = invoke(bank_app, "bank", "load")
    assert first.exit_code == 0, first.output
    assert " new" in first.output
    before = _snapshot(bank_app)
    second = invoke(bank_app, "bank", "load")
    assert second.exit_code == 0, second.output
    assert "documents: 0 new, 0 updated; facts: 0 new, 0 updated, 0 retired" in second.output
    assert "questions: 0 new, 0 updated" in second.output
    assert _snapshot(bank_app) == before


def test_load_sets_statuses(bank_app: Flask) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    with bank_app.app_context():
        curated = db.session.scalars(select(Question).where(Question.origin == "curated")).all()
        assert len(curated) >= 60
        assert {q.status for q in curated} == {"approved"}
        generated = db.session.scalars(select(Question).where(Question.origin == "generated"))
        statuses = {q.status for q in generated}
        assert "approved" in statuses
        assert statuses <= {"approved", "rejected", "draft"}
        rejected = db.session.scalars(select(Question).where(Question.status == "rejected")).all()
        assert all(q.review_reason for q in rejected)
        # Every question knows its source sentence.
        assert all(q.sentence_id is not None for q in curated)


def test_corrected_question_keeps_its_id_and_choices(bank_app: Flask, bank_dir: Path) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    with bank_app.app_context():
        question = db.session.scalars(
            select(Question).where(Question.origin == "curated", Question.kind == "single_choice")
        ).first()
        qid, old_prompt, created = question.id, question.prompt, question.created_at
        choice_ids = [c.id for c in question.choices]
    for path in bank_dir.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if f"id: {qid}\n" in text:
            path.write_text(text.replace(old_prompt, old_prompt + " (korrigiert)"), "utf-8")
            break
    else:
        raise AssertionError(f"{qid} not found in the bank files")
    result = invoke(bank_app, "bank", "load")
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    with bank_app.app_context():
        question = db.session.get(Question, qid)
        assert question.prompt == old_prompt + " (korrigiert)"
        assert question.created_at == created
        assert [c.id for c in question.choices] == choice_ids


def test_decisions_made_in_the_app_survive_a_reload(bank_app: Flask) -> None:
    from quizapp.models import Fact
    from quizapp.services.facts import set_fact_status
    from quizapp.services.teach import set_status
    from tests.conftest import NOW

    assert invoke(bank_app, "bank", "load").exit_code == 0
    with bank_app.app_context():
        built = select(Question).where(Question.origin == "generated")
        question = db.session.scalars(built.where(Question.status == "approved")).first()
        set_status(db.session, question, "rejected", "In der Klasse missverstanden", None, NOW)
        fact = db.session.get(Fact, "frieden-portsmouth")
        set_fact_status(db.session, fact, "rejected", "Zu Übungszwecken", None, NOW)
        db.session.commit()
        qid = question.id
    assert invoke(bank_app, "bank", "load").exit_code == 0
    with bank_app.app_context():
        assert db.session.get(Question, qid).status == "rejected"
        assert db.session.get(Fact, "frieden-portsmouth").status == "rejected"
        of_fact = select(Question).where(
            Question.fact_id == "frieden-portsmouth", Question.origin == "generated"
        )
        assert {q.status for q in db.session.scalars(of_fact)} == {"retired"}


def test_unreviewed_fact_drafts_load_as_drafts_with_draft_questions(
    bank_app: Flask, bank_dir: Path
) -> None:
    from quizapp.models import Fact

    (bank_dir / "facts" / "reviews.yaml").write_text("reviews: []\n", encoding="utf-8")
    assert invoke(bank_app, "bank", "load").exit_code == 0
    with bank_app.app_context():
        drafts = db.session.scalars(select(Fact).where(Fact.origin == "generated")).all()
        assert drafts and {f.status for f in drafts} == {"draft"}
        of_drafts = db.session.scalars(
            select(Question).where(Question.fact_id.in_([f.id for f in drafts]))
        ).all()
        assert of_drafts and {q.status for q in of_drafts} == {"draft"}
        curated = db.session.scalars(select(Fact).where(Fact.origin == "curated")).all()
        assert {f.status for f in curated} == {"approved"}


def test_a_broken_fact_file_names_file_and_line_and_changes_nothing(
    bank_app: Flask, bank_dir: Path
) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    before = _snapshot(bank_app)
    path = bank_dir / "facts" / "portsmouth.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date: 5. September 1905", "date: 31. Juni 1905"),
        encoding="utf-8",
    )
    result = invoke(bank_app, "bank", "load")
    assert result.exit_code == 1
    assert "portsmouth.yaml:" in result.output and "„31. Juni 1905“ ist kein Datum" in result.output
    assert "nothing was changed" in result.output
    assert _snapshot(bank_app) == before


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("document: 004_401761815e4e5e11.txt\nquestions:\n  - id: x-1\n    kind: essay\n", "kind"),
        (
            "document: 004_401761815e4e5e11.txt\ntopic: korea\nquestions:\n"
            "  - id: x-2\n    kind: typed\n    prompt: Wer?\n"
            "    source: Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet.\n"
            "    explanation: Weil.\n",
            "answer",
        ),
        ("document: 004_401761815e4e5e11.txt\nquestions: [\n", ""),
    ],
)
def test_bad_bank_file_reports_file_and_line_and_changes_nothing(
    bank_app: Flask, bank_dir: Path, yaml_text: str, message: str
) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    before = _snapshot(bank_app)
    (bank_dir / "zz_broken.yaml").write_text(yaml_text, encoding="utf-8")
    result = invoke(bank_app, "bank", "load")
    assert result.exit_code == 1
    assert "zz_broken.yaml:" in result.output
    first_error = next(line for line in result.output.splitlines() if "zz_broken.yaml:" in line)
    assert first_error.split("zz_broken.yaml:")[1].split(":")[0].isdigit()
    assert message in result.output
    assert "nothing was changed" in result.output
    assert _snapshot(bank_app) == before


def test_duplicate_id_is_refused(bank_app: Flask, bank_dir: Path) -> None:
    source = next(bank_dir.glob("*portsmouth*.yaml"), None) or sorted(bank_dir.glob("*.yaml"))[0]
    shutil.copy(source, bank_dir / "zz_copy.yaml")
    result = invoke(bank_app, "bank", "load")
    assert result.exit_code == 1
    assert "zz_copy.yaml:" in result.output
    with bank_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_export_json_has_the_documented_keys(bank_app: Flask, tmp_path: Path) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    out = tmp_path / "bank.json"
    result = invoke(bank_app, "bank", "export", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) >= 60
    keys = {"id", "kind", "prompt", "answer", "choices", "explanation", "topic", "origin"}
    keys |= {"status", "source"}
    for item in data:
        assert keys <= item.keys()
        assert item["origin"] in ("generated", "curated", "teacher")
        assert item["status"] in ("draft", "approved", "rejected", "retired")
        assert {"document", "sentence"} <= item["source"].keys()
        for choice in item["choices"]:
            assert {"text", "correct"} <= choice.keys()
    ordering = next(i for i in data if i["kind"] == "ordering")
    assert ordering["answer"] == " → ".join(c["text"] for c in ordering["choices"])
    assert all(i["choices"] == [] for i in data if i["kind"] in ("typed", "cloze", "true_false"))
    portsmouth = [i for i in data if "1905" in i["answer"] and "Portsmouth" in i["prompt"]]
    assert portsmouth


def test_export_to_stdout_filters_by_status(bank_app: Flask) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    result = invoke(bank_app, "bank", "export", "--status", "approved")
    data = json.loads(result.output)
    assert data and {i["status"] for i in data} == {"approved"}


def test_stats_counts_by_kind_origin_status_document(bank_app: Flask) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    result = invoke(bank_app, "bank", "stats")
    assert result.exit_code == 0
    for heading in ("by kind:", "by origin:", "by status:", "by document:"):
        assert heading in result.output
    assert "curated" in result.output and "004_401761815e4e5e11.txt" in result.output


def test_documents_add_prints_its_fact_drafts_and_their_questions(
    bank_app: Flask, tmp_path: Path
) -> None:
    from quizapp.models import Fact

    assert invoke(bank_app, "bank", "load").exit_code == 0
    before = _snapshot(bank_app)
    path = tmp_path / "shimonoseki.txt"
    path.write_text(UNSEEN_TEXT, encoding="utf-8")
    result = invoke(bank_app, "documents", "add", str(path))
    assert result.exit_code == 0, result.output
    assert "fact drafts" in result.output
    assert "fact [d-" in result.output and "question [f-d-" in result.output
    assert (
        "Wann wurde der Vertrag von Shimonoseki nach dem Ersten Japanisch-Chinesischen Krieg "
        "unterzeichnet? = 17. April 1895"
    ) in (result.output)
    with bank_app.app_context():
        doc = db.session.scalar(select(Document).where(Document.name == "shimonoseki.txt"))
        assert doc is not None and doc.origin == "upload"
        facts = db.session.scalars(select(Fact).where(Fact.document_id == doc.id)).all()
        assert facts and {f.status for f in facts} == {"draft"}
        drafts = db.session.scalars(select(Question).where(Question.document_id == doc.id)).all()
        assert drafts and {q.status for q in drafts} == {"draft"}
    # The other documents' questions were not touched by the upload.
    after = _snapshot(bank_app)
    assert {k: v for k, v in after["q"].items() if k in before["q"]} == before["q"]
    # A later load keeps the uploaded document, its facts and its questions.
    again = invoke(bank_app, "bank", "load")
    assert again.exit_code == 0, again.output
    assert "facts: 0 new, 0 updated, 0 retired" in again.output
    assert "questions: 0 new, 0 updated" in again.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Der Vertrag von Portsmouth".encode("latin-1") + b"\xe4\xfc\n", "UTF-8"),
        (b"   \n\n", "leer"),
    ],
)
def test_documents_add_refuses_bad_files(
    bank_app: Flask, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = invoke(bank_app, "documents", "add", str(path))
    assert result.exit_code == 1
    assert "bad.txt" in result.output and message in result.output
    with bank_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_gift_export_then_dry_run_and_import_round_trip(bank_app: Flask, tmp_path: Path) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    out = tmp_path / "bank.gift"
    result = invoke(bank_app, "bank", "export", "--format", "gift", "--status", "approved",
                    "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "$CATEGORY:" in text and "// quizapp: kind=" in text
    # Importing the bank's own export adds nothing and changes only what GIFT cannot carry:
    # alternative typed answers of a choice question.
    again = invoke(bank_app, "bank", "import", str(out), "--dry-run")
    assert again.exit_code == 0, again.output
    assert "dry run: 0 new" in again.output
    changed = [line for line in again.output.splitlines() if line.startswith("~ ")]
    assert all(line.endswith("single_choice: accepted") for line in changed), changed

    new = tmp_path / "neu.gift"
    new.write_text(
        "$CATEGORY: Korea und Russland\n\n"
        "::kurilen-frage:: Welche Inselkette ist zwischen Russland und Japan umstritten? "
        "{=Kurilen =die Kurilen}\n\n"
        "::tumen:: Wie lang ist die Grenze am Tumen in Kilometern? {#17:1}\n",
        encoding="utf-8",
    )
    dry = invoke(bank_app, "bank", "import", str(new), "--dry-run")
    assert "2 new" in dry.output and "nothing was written" in dry.output
    with bank_app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Question))
    done = invoke(bank_app, "bank", "import", str(new))
    assert done.exit_code == 0, done.output
    with bank_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == before + 2
        numerical = db.session.scalar(
            select(Question).where(Question.kind == "numerical", Question.origin == "teacher")
        )
        assert numerical.status == "draft" and numerical.extra.get("tolerance") == "1"


def test_broken_gift_import_names_the_line_and_writes_nothing(
    bank_app: Flask, tmp_path: Path
) -> None:
    bad = tmp_path / "kaputt.gift"
    bad.write_text("::a:: Frage eins {=ja ~nein}\n\n::b:: Frage zwei {=offen\n", encoding="utf-8")
    result = invoke(bank_app, "bank", "import", str(bad))
    assert result.exit_code == 1
    assert "kaputt.gift:3:" in result.output and "nothing was changed" in result.output
    with bank_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_csv_and_apkg_exports(bank_app: Flask, tmp_path: Path) -> None:
    assert invoke(bank_app, "bank", "load").exit_code == 0
    csv_file = tmp_path / "bank.csv"
    result = invoke(bank_app, "bank", "export", "--format", "csv", "-o", str(csv_file))
    assert result.exit_code == 0, result.output
    again = invoke(bank_app, "bank", "import", str(csv_file), "--dry-run")
    assert again.exit_code == 0, again.output
    assert "dry run: 0 new" in again.output
    deck = tmp_path / "bank.apkg"
    assert invoke(bank_app, "bank", "export", "--format", "apkg", "-o", str(deck)).exit_code == 0
    assert deck.read_bytes()[:2] == b"PK"
    missing = invoke(bank_app, "bank", "export", "--format", "apkg")
    assert missing.exit_code == 1 and "-o" in missing.output
