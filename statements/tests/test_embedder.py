"""Embedding statements after the import: `embed_statements` and statements/embedder.py."""

import numpy as np

from statements import embedder, embeddings
from statements.models import Statement, StatementEmbedding, VersionLink
from statements.tests.conftest import SEED, SEED_RU, imported
from statements.tests.test_commands import run


def test_the_command_embeds_every_statement_with_its_model(seed):
    code, out, _ = run("embed_statements", "--no-progress")
    assert code == 0
    assert "5 statement(s) embedded" in out
    stored = StatementEmbedding.objects.order_by("statement__position")
    assert stored.count() == 5
    assert {row.model for row in stored} == {embeddings.MODEL}
    first = seed.statements.get(position=1)
    assert np.allclose(stored[0].vector, embeddings.encode([first.text])[0], atol=1e-5)


def test_an_import_leaves_the_embedding_to_the_embedder(seed):
    assert not StatementEmbedding.objects.exists()
    assert embedder.pending().count() == 5


def test_a_second_run_embeds_only_what_is_new(seed, russian):
    embedder.embed_batch(size=3)  # stopped after one batch
    assert embedder.pending().count() == Statement.objects.count() - 3
    _, out, _ = run("embed_statements", "--no-progress")
    assert f"{Statement.objects.count() - 3} statement(s) embedded" in out
    assert not embedder.pending().exists()


def test_vectors_of_another_model_are_made_again(seed):
    embedder.embed_pending()
    StatementEmbedding.objects.update(model="an older encoder 0.1")
    assert embedder.pending().count() == 5
    embedder.embed_pending()
    assert set(StatementEmbedding.objects.values_list("model", flat=True)) == {embeddings.MODEL}


def test_the_command_aligns_linked_versions_left_unaligned(db):
    imported(SEED), imported(SEED_RU)
    VersionLink.objects.update(alignment=[], aligned_at=None)
    _, out, _ = run("embed_statements", "--no-progress")
    assert "1 version pair(s) aligned" in out
    assert len(VersionLink.objects.get().alignment) == 5
