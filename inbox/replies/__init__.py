"""What a reply may be: the composer's rules, each platform's reply rules and lengths, the messaging window,
platform templates, the charter's guidance and moderation decisions.

Mostly pure. May import outbox, ingest, charter, nlp, store, config, settings and the connectors' pure text
rules.
"""
