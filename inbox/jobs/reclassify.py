"""Re-running classification on stored inbound messages, one transaction per batch (keyset by message id).

A batch's messages are locked (PostgreSQL) from their reading to the commit: a listener or a webhook storing
a customer's edit of one of them meanwhile waits, then writes the new words and their classification on
top, instead of the batch writing the old words' verdict over them
(``tests/flows/test_multiworker_reclassify_edit.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from inbox.desk.corrections import keep_corrections
from inbox.ingest import conversation_fields
from inbox.ingest.classified import apply_classification
from inbox.nlp.types import Classification
from inbox.store.tables import Contact, Conversation, Message

Classify = Callable[..., Sequence[Classification]]


def count_inbound(engine: Engine) -> int:
    with Session(engine) as session:
        return int(
            session.exec(select(func.count()).select_from(Message).where(Message.direction == "in")).one()
        )


def _refresh_conversations(session: Session, ids: set[int]) -> None:
    """Each conversation's classification again from its messages (``inbox.ingest.conversation_fields``)."""
    for conv_id in ids:
        conv = session.get(Conversation, conv_id)
        if conv is not None:
            conversation_fields.refresh(session, conv)


def reclassify_batch(engine: Engine, classify: Classify, after_id: int, batch_size: int) -> tuple[int, int]:
    """Classify the next ``batch_size`` inbound messages with id > ``after_id`` and commit them.

    Returns (how many were done, the last id done); (0, after_id) when nothing is left.
    """
    with Session(engine) as session, session.begin():
        stmt = (
            select(Message, Contact.followers)
            .outerjoin(Contact, col(Message.contact_id) == col(Contact.id))
            .where(Message.direction == "in", col(Message.id) > after_id)
            .order_by(col(Message.id))
            .limit(batch_size)
            .with_for_update(of=Message)  # held while classified: an edit stored meanwhile waits, then wins
        )
        rows = session.exec(stmt).all()
        if not rows:
            return 0, after_id
        results = classify([m.text for m, _ in rows], followers=[f for _, f in rows])
        for (message, _), c in zip(rows, results, strict=True):
            apply_classification(message, c)
            session.add(message)
        keep_corrections(session, [m for m, _ in rows])
        _refresh_conversations(session, {m.conversation_id for m, _ in rows})
        last = rows[-1][0].id
        return len(rows), int(last if last is not None else after_id)


def reclassify_all(
    engine: Engine,
    classify: Classify,
    *,
    batch_size: int = 256,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Every stored inbound message, in id order; ``progress`` is told how many each batch did."""
    done, last = 0, 0
    while True:
        n, last = reclassify_batch(engine, classify, last, batch_size)
        if not n:
            return done
        done += n
        progress(n)
