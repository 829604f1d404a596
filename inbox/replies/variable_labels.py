"""Words for the template variables an agent fills in ({customer_name}…): the composer's fields and its
"fill in" message name them the same way."""

from __future__ import annotations

from inbox.i18n import N_, _

TEMPLATE_VARIABLE = {  # the fields of config/templates.toml an agent fills in ({customer_name}…)
    "customer_name": N_("Customer name"),
    "agent_name": N_("Agent name"),
    "handle": N_("Customer handle"),
    "ticket_ref": N_("Ticket reference"),
    "order_number": N_("Order number"),
    "amount": N_("Amount"),
    "hours": N_("Hours"),
    "refund_days": N_("Refund days"),
    "service": N_("Service"),
    "next_opening_day": N_("Next opening day"),
    "next_opening_time": N_("Next opening time"),
}


def variable(name: str) -> str:
    """A template variable's field label: "Nom du client" for ``customer_name``, else "Foo bar"."""
    if name in TEMPLATE_VARIABLE:
        return _(TEMPLATE_VARIABLE[name])
    return name.replace("_", " ").capitalize()


def fields_to_fill(names: list[str]) -> str:
    """The variables still to fill, as the agent sees them: "Montant ({amount}), Délai… ({refund_days})"."""
    return ", ".join(f"{variable(n)} ({{{n}}})" for n in names)
