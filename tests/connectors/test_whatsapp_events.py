"""WhatsApp webhook messages that are not plain new messages: a customer's edit and deletion (``edit`` and
``revoke``, sent for numbers also used in the WhatsApp Business app, "coexistence") and the system notice of
a changed number. Shapes from Meta's messages webhook reference."""

from __future__ import annotations

import json
from typing import Any

from connectors.base import ConnectorSpec
from connectors.meta.connector import build
from connectors.meta.whatsapp import WhatsAppConnector
from connectors.sandbox.meta.store import MetaStore

STORE = MetaStore()


def connector() -> WhatsAppConnector:
    creds = {"access_token": "t", "app_secret": "s3cret", "verify_token": "v"}
    built = build(
        ConnectorSpec(
            "wa-acme", "whatsapp", "acme", creds, options={"phone_number_id": STORE.phone_number_id}
        )
    )
    assert isinstance(built, WhatsAppConnector)
    return built


def body(*messages: dict[str, Any]) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "33100000000", "phone_number_id": STORE.phone_number_id},
        "contacts": [{"profile": {"name": "Camille"}, "wa_id": "33612345678"}],
        "messages": list(messages),
    }
    event = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(event).encode()


def message(ident: str, kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"from": "33612345678", "id": ident, "timestamp": "1772445605", "type": kind, kind: content}


def test_an_edit_names_the_message_it_changes_with_the_new_words() -> None:
    edit = {"original_message_id": "wamid.ORIG", "message": {"type": "text", "text": {"body": "Colis 4812"}}}
    raw = body(message("wamid.EDIT1", "edit", edit))
    [item] = connector().parse_webhook(raw).items
    assert (item.external_id, item.edits, item.text) == ("wamid.EDIT1", ("wamid.ORIG",), "Colis 4812")
    assert (item.thread_key, item.direction, item.kind) == ("33612345678", "in", "dm")
    [again] = connector().parse_webhook(raw).items  # Meta sends it twice: the same version
    assert again.external_id == item.external_id


def test_an_edited_caption_keeps_its_media_and_an_edit_without_its_original_is_quarantined() -> None:
    caption = {"type": "image", "image": {"caption": "la boîte abîmée"}}
    [item] = (
        connector()
        .parse_webhook(
            body(message("wamid.E2", "edit", {"original_message_id": "wamid.O", "message": caption}))
        )
        .items
    )
    assert (item.text, item.edits) == ("[image] la boîte abîmée", ("wamid.O",))
    bad = connector().parse_webhook(body(message("wamid.E3", "edit", {"message": caption})))
    assert bad.items == [] and len(bad.malformed) == 1


def test_a_revoked_message_is_a_deletion_not_a_message() -> None:
    conn = connector()
    raw = body(
        message("wamid.R1", "revoke", {"original_message_id": "wamid.GONE"}),
        message("wamid.T1", "text", {"body": "toujours là"}),
    )
    batch = conn.parse_webhook(raw)
    assert [i.text for i in batch.items] == ["toujours là"] and batch.malformed == []
    assert conn.deletions(raw) == ["wamid.GONE"]
    assert conn.deletions(body(message("wamid.T2", "text", {"body": "x"}))) == []
    assert conn.deletions(b"not json") == []


def test_a_changed_number_or_user_id_is_a_move_not_a_message() -> None:
    conn = connector()
    number = {"body": "User Camille changed from 33612345678 to 33698765432", "wa_id": "33698765432"}
    shapes = [
        {**number, "type": "user_changed_number"},
        {**number, "type": "customer_changed_number", "wa_id": None, "new_wa_id": 33698765432},  # before v12
    ]
    for notice in shapes:
        raw = body(message("wamid.S1", "system", notice))
        assert conn.parse_webhook(raw).items == []
        assert conn.moved_customers(raw) == [("33612345678", "33698765432")]
    bsuid = {"type": "user_changed_user_id", "previous_user_id": "US.1", "user_id": "US.2", "body": "…"}
    assert conn.moved_customers(body(message("wamid.S2", "system", bsuid))) == [("US.1", "US.2")]
    assert conn.moved_customers(body(message("wamid.T", "text", {"body": "x"}))) == []
    assert conn.moved_customers(b"[1]") == []


def test_a_system_notice_that_says_no_move_is_kept_in_its_own_words() -> None:
    for notice in [
        {"type": "user_changed_number", "body": "User Camille changed from 33612345678 to ?"},  # no new id
        {"type": "something_new", "body": "User Camille did something new"},
    ]:
        raw = body(message("wamid.S3", "system", notice))
        [item] = connector().parse_webhook(raw).items
        assert item.text == notice["body"] and connector().moved_customers(raw) == []


def test_an_opened_chat_is_no_message_and_an_unsupported_one_says_what_it_was() -> None:
    opened = connector().parse_webhook(
        body({"from": "33612345678", "id": "wamid.W", "timestamp": "1772445605", "type": "request_welcome"})
    )
    assert opened.items == [] and opened.malformed == []
    poll = message("wamid.U", "unsupported", {"type": "poll_creation"})
    poll["errors"] = [{"code": 131051, "title": "Message type unknown"}]
    [item] = connector().parse_webhook(body(poll)).items
    assert item.text == "[unsupported message: poll_creation]"


def test_statuses_give_back_the_key_the_send_carried() -> None:
    def status(ident: str, state: str, callback: str | None) -> dict[str, Any]:
        s = {"id": ident, "status": state, "timestamp": "1772445605", "recipient_id": "33612345678"}
        return {**s, "biz_opaque_callback_data": callback} if callback else s

    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": STORE.phone_number_id},
        "statuses": [
            status("wamid.A", "sent", "key-a"),
            status("wamid.A", "delivered", "key-a"),  # the same message again: once
            status("wamid.B", "failed", "key-b"),  # not delivered: no proof it went out
            status("wamid.C", "sent", None),  # sent without a key (by another app)
        ],
    }
    change = {"field": "messages", "value": value}
    event = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    assert connector().confirmed_sends(json.dumps(event).encode()) == [("key-a", "wamid.A")]
    assert connector().confirmed_sends(b"{") == []


def test_an_answer_typed_in_the_business_app_is_the_brands_message() -> None:
    echo = {"from": "33100000000", "to": "33612345678", "id": "wamid.APP1", "timestamp": "1772445700"}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": STORE.phone_number_id},
        "message_echoes": [{**echo, "type": "text", "text": {"body": "Bonjour, on regarde."}}],
    }
    change = {"field": "smb_message_echoes", "value": value}
    raw = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]})
    [item] = connector().parse_webhook(raw.encode()).items
    assert (item.direction, item.thread_key, item.text) == ("out", "33612345678", "Bonjour, on regarde.")
    assert item.external_id == "wamid.APP1"
