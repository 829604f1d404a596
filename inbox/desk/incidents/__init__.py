"""Incidents: one problem many customers write about (an outage, a bad buzz), answered together.

A manager declares an incident (``lifecycle``); the inbox proposes the conversations that belong to it, by
text similarity since its start time, keywords and channels (``members``, ``similarity``); the manager
confirms them. One approved reply per language and visibility goes to each member through the outbox, once,
under the member's own key, as a person's reply that stops the clock (``sending``). While the incident is
open, new matching conversations join and get the reply (``joining``, run by the automation tick). Closing it
sends the resolution message to every member and resolves their conversations. ``figures``: size, first reply,
resolution time. Managers and admins only (``inbox.access``: "incidents"); every change is audited.

Part of the desk: may import what ``inbox.desk`` may.
"""
