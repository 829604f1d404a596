"""The social-care inbox: one package per stage of the flow, each importing only the stages below it.

connector -> ingest -> store -> desk (queue) / ui -> replies -> outbox -> connector. The order, top to bottom:
ui | cli > jobs > automation | reports > privacy > desk > replies > outbox > ingest > charter | nlp > store >
config > settings. import-linter checks it (pyproject.toml, ``make contracts``). The few top-level modules
(settings, access, backoff, i18n, bank_data) are rules every stage shares.
"""
