"""The document view: cleaned text, every sentence addressable and highlightable."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Document


def test_document_list_and_view_with_highlight(loaded_app, loaded_client) -> None:
    with loaded_app.app_context():
        doc = db.session.scalar(select(Document).where(Document.name.like("004%")))
        sentence = next(s for s in doc.sentences if "Portsmouth unterzeichnet" in s.text)
        doc_id, position, text = doc.id, sentence.position, sentence.text
        n_sentences = len(doc.sentences)
    index = loaded_client.get("/documents/").get_data(as_text=True)
    assert f"/documents/{doc_id}" in index
    page = loaded_client.get(f"/documents/{doc_id}?hl={position}").get_data(as_text=True)
    assert f'<mark id="s{position}" class="sentence" tabindex="-1">{text}</mark>' in page
    assert page.count('class="sentence"') == n_sentences


def test_unknown_document_is_404(loaded_client) -> None:
    response = loaded_client.get("/documents/99999")
    assert response.status_code == 404
    assert "Nicht gefunden" in response.get_data(as_text=True)
