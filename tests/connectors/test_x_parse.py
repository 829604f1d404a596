"""Parsing X pages: own messages, missing authors, retweets, malformed items."""

from __future__ import annotations

from datetime import UTC, datetime

from connectors.x.parse import earlier_versions, other_participant, parse_page

BRAND = "1000000000000000001"


def _tweet(tid: str, text: str, author: str = "42", **extra: object) -> dict[str, object]:
    return {
        "id": tid,
        "text": text,
        "author_id": author,
        "created_at": f"2026-03-01T10:00:0{tid[-1]}.000Z",
        "conversation_id": extra.pop("conversation_id", tid),
        "edit_history_tweet_ids": [tid],
        **extra,
    }


def test_page_is_oldest_first_with_authors_from_includes() -> None:
    payload = {
        "data": [_tweet("12", "@AcmeCare second"), _tweet("11", "@AcmeCare first")],
        "includes": {
            "users": [
                {"id": "42", "username": "jane", "name": "Jane", "public_metrics": {"followers_count": 1234}}
            ]
        },
    }
    items, bad = parse_page(payload, stream="mentions", channel="x", brand_id=BRAND)
    assert bad == []
    assert [i.external_id for i in items] == ["11", "12"]
    assert items[0].author.handle == "jane" and items[0].author.followers == 1234
    assert items[0].created_at == datetime(2026, 3, 1, 10, 0, 1, tzinfo=UTC)
    assert items[0].direction == "in" and items[0].visibility == "public"


def test_author_missing_from_includes_is_still_ingested() -> None:
    items, bad = parse_page(
        {"data": [_tweet("11", "hi", author="77")]}, stream="mentions", channel="x", brand_id=BRAND
    )
    assert bad == [] and items[0].author.platform_id == "77" and items[0].author.handle is None


def test_brand_tweets_are_outbound_and_retweets_skipped_quotes_kept() -> None:
    payload = {
        "data": [
            _tweet("11", "our own reply", author=BRAND),
            _tweet("12", "RT @AcmeCare: news", referenced_tweets=[{"type": "retweeted", "id": "5"}]),
            _tweet("13", "look at this @AcmeCare", referenced_tweets=[{"type": "quoted", "id": "5"}]),
            _tweet(
                "14",
                "@AcmeCare reply",
                conversation_id="11",
                referenced_tweets=[{"type": "replied_to", "id": "11"}],
            ),
        ]
    }
    items, _ = parse_page(payload, stream="mentions", channel="x", brand_id=BRAND)
    by_id = {i.external_id: i for i in items}
    assert set(by_id) == {"11", "13", "14"}
    assert by_id["11"].direction == "out"
    assert by_id["14"].thread_key == "11" and by_id["14"].reply_to == "11"


def test_malformed_items_are_quarantined_and_the_rest_kept() -> None:
    payload = {
        "data": [
            {"id": "11", "author_id": "42", "created_at": "2026-03-01T10:00:00.000Z"},  # no text
            {
                "id": "12",
                "text": "x",
                "author_id": 42,
                "created_at": "2026-03-01T10:00:00.000Z",
            },  # wrong type
            {"id": "13", "text": "x", "author_id": "42", "created_at": "yesterday"},
            _tweet("14", "fine"),
            "not an object",
        ]
    }
    items, bad = parse_page(payload, stream="mentions", channel="x", brand_id=BRAND)
    assert [i.external_id for i in items] == ["14"]
    assert [b.external_id for b in bad] == ["11", "12", "13", None]
    assert "missing field 'text'" in bad[0].error
    assert "should be a string" in bad[1].error
    assert "ISO 8601" in bad[2].error


def test_dm_events_direction_and_thread() -> None:
    payload = {
        "data": [
            {
                "id": "21",
                "event_type": "MessageCreate",
                "text": "hello",
                "sender_id": "42",
                "dm_conversation_id": f"42-{BRAND}",
                "created_at": "2026-03-01T10:00:00.000Z",
            },
            {
                "id": "22",
                "event_type": "MessageCreate",
                "text": "hi, how can we help?",
                "sender_id": BRAND,
                "dm_conversation_id": f"42-{BRAND}",
                "created_at": "2026-03-01T10:05:00.000Z",
            },
            {
                "id": "23",
                "event_type": "ParticipantsJoin",
                "dm_conversation_id": f"42-{BRAND}",
                "created_at": "2026-03-01T10:06:00.000Z",
            },
        ]
    }
    items, bad = parse_page(payload, stream="dms", channel="x", brand_id=BRAND)
    assert bad == []
    assert [(i.external_id, i.direction, i.visibility) for i in items] == [
        ("21", "in", "private"),
        ("22", "out", "private"),
    ]
    assert items[0].thread_key == f"42-{BRAND}"
    assert other_participant(f"42-{BRAND}", BRAND) == "42"


def test_an_edited_post_names_its_earlier_versions_oldest_first() -> None:
    def tweet(tweet_id: str, history: object) -> dict[str, object]:
        return {
            "id": tweet_id,
            "text": "hi",
            "created_at": "2026-03-01T10:00:00.000Z",
            "edit_history_tweet_ids": history,
        }

    assert earlier_versions(tweet("3", ["1", "2", "3"]), "3") == ("1", "2")
    assert earlier_versions(tweet("1", ["1"]), "1") == ()  # never edited
    assert earlier_versions(tweet("2", ["1", "2", "3"]), "2") == ()  # not the newest: not trusted
    assert earlier_versions(tweet("2", "1,2"), "2") == ()  # not a list
    assert earlier_versions({"id": "2", "edit_history_post_ids": ["1", "2"]}, "2") == ("1",)  # renamed field


def test_a_long_post_is_read_from_note_tweet_and_an_odd_note_falls_back_to_text() -> None:
    whole = "@AcmeCare " + "word " * 80
    notes: list[object] = [{"text": whole}, {"text": ""}, {"text": 7}, "oops", None, {}]
    payload = {"data": [_tweet(f"1{i}", "@AcmeCare word word…", note_tweet=n) for i, n in enumerate(notes)]}
    items, bad = parse_page(payload, stream="mentions", channel="x", brand_id=BRAND)
    assert not bad
    assert [i.text for i in items] == [whole] + ["@AcmeCare word word…"] * 5
