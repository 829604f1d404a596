"""Personal data rights and limits (issue #15): a person's record, erasure, retention, opt-out, the audit log.

Owns what the inbox does with a person's data as a whole, across every account linked to them
(``Contact.person_id``): ``subject`` finds those accounts from ``CHANNEL:HANDLE_OR_ID``; ``record`` gathers
everything held on them (the export); ``erase`` removes or anonymises it, keeping what the KPIs need;
``retention`` applies the charter's ``[privacy.retention]`` periods (``inbox privacy purge``, and the
automation tick once a day); ``opt_out`` reads STOP-like messages and answers "may we write to them
automatically?"; ``audit_log`` filters the audit trail. Each action is audited without repeating erased data.

Layer: below ``automation | reports`` (the tick runs the purge and asks about opt-outs), above ``desk``. May
import desk, replies, outbox, ingest, charter, nlp, store, config and settings; never streamlit, never
connectors. Functions take an Engine or a Session; the CLI is ``inbox/cli/privacy.py``. Bank data is masked
earlier, at ingestion (``inbox.bank_data``).
"""
