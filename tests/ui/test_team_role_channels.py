"""The Team page's role restriction (#17.5): an admin restricts the agent role to some channels and lifts it;
the table shows what each account works (the role's and the account's restrictions intersected), a warning
names an account left with no channel, the change is audited; a manager does not get the form; an agent of
the restricted role sees only those channels' conversations and cannot open the others. In French too."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import channel_scope
from inbox.store.tables import Conversation
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, database, in_french, open_conv, queue_ids
from tests.ui.test_team_accounts import _admin
from tests.ui.test_team_channels import _save as _save_account
from tests.ui.test_team_channels import _table_row

TEAM = "inbox/ui/pages/team.py"
QUEUE = "inbox/ui/pages/queue.py"


def _save_role(at: AppTest, role: str, channels: list[str], language: str = "en") -> str:
    with i18n.use_language(language):  # AppTest formats the role in the test's thread
        at.selectbox(key="role-scope-role").set_value(role)
    at.run()
    at.multiselect(key=f"role-scope-channels-{role}").set_value(channels).run()
    at.button(key="role-scope-save").click().run()
    assert not at.exception
    return " ".join(m.value for m in [*at.info, *at.warning])


def _roles(db_url: str) -> dict[str, list[str]]:
    with database(db_url) as s:
        return channel_scope.role_channels(s)


def test_an_admin_restricts_the_agent_role_then_lifts_it(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    assert "mastodon-acme" in at.multiselect(key="role-scope-channels-agent").options  # channels.toml's
    said = _save_role(at, "agent", ["mastodon-acme", "x-acme"])
    assert "The Agent role works mastodon-acme, x-acme." in said
    assert _roles(db_url) == {"agent": ["mastodon-acme", "x-acme"]}
    assert _table_row(at, "alice")["Channels"] == "mastodon-acme, x-acme"  # every agent
    assert _table_row(at, "maya")["Channels"] == "every channel"  # a manager is not an agent
    said = _save_account(at, "alice", ["x-acme", "wa-acme"])
    assert "alice works x-acme. The Agent role works only mastodon-acme, x-acme." in said
    assert _table_row(at, "alice")["Channels"] == "x-acme"  # both allow x-acme only
    said = _save_role(at, "agent", ["mastodon-acme"])
    assert "1 account of this role works no channel now: alice." in said
    assert _table_row(at, "alice")["Channels"] == "no channel"
    assert "The Agent role works every channel." in _save_role(at, "agent", [])
    assert _table_row(at, "alice")["Channels"] == "x-acme, wa-acme"  # her own restriction again
    events = audit_events(db_url, "role.channels")
    assert [(e.actor, e.target_id, e.detail["to"]) for e in events] == [
        ("ada", "agent", ["mastodon-acme", "x-acme"]),
        ("ada", "agent", ["mastodon-acme"]),
        ("ada", "agent", []),
    ]


def test_a_manager_does_not_get_the_role_form(seeded: Seeded) -> None:
    at = app_as(seeded, "maya").switch_page(TEAM).run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "role-scope-role"]


def test_an_agent_of_a_restricted_role_sees_only_its_channels(seeded: Seeded, db_url: str) -> None:
    c = seeded.conversations
    alice = app_as(seeded, "alice").switch_page(QUEUE).run()
    assert set(queue_ids(alice)) == {c["late"], c["soon"], c["dm"]}  # every channel: the seed's X ones
    admin = _admin(seeded, db_url)
    _save_role(admin, "agent", ["mastodon-acme"])  # not X
    alice = app_as(seeded, "alice").switch_page(QUEUE).run()
    assert not alice.exception and queue_ids(alice) == []
    assert alice.selectbox(key="q-channel").options == ["Any"]  # no X among the channel filter's choices
    alice.button(key="next").click().run()
    assert any("Nothing waiting for you" in t.value for t in alice.toast)
    page = open_conv(alice, c["late"])  # a link or a notification to it
    assert [e.value for e in page.error] == [
        f"conversation #{c['late']} is on x-acme, a channel you do not work"
    ]
    assert not page.text_area  # neither the thread's composer nor the notes
    maya = open_conv(
        app_as(seeded, "maya"), c["late"]
    )  # a manager still sees it, and cannot give it to alice
    assert not maya.error
    assert "Alice" not in maya.selectbox(key=f"assignee-{c['late']}").options


def test_the_role_form_in_french(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    in_french(db_url, seeded.users["ada"])
    at.run()  # now in French (the widgets' values sent as the English page showed them)
    with i18n.use_language("fr"):
        assert any(e.label == "Canaux traités par un rôle" for e in at.expander)
        said = _save_role(at, "agent", ["x-acme"], "fr")
    assert "Le rôle Conseiller traite x-acme." in said
    assert _table_row_fr(at, "bruno") == "x-acme"


def _table_row_fr(at: AppTest, name: str) -> object:
    table = at.dataframe[0].value
    return table[table["Identifiant"] == name].iloc[0]["Canaux"]


def test_a_change_says_how_many_conversations_went_back_to_the_queue(seeded: Seeded, db_url: str) -> None:
    c, u = seeded.conversations, seeded.users
    with database(db_url) as s, s.begin():  # alice holds late, soon and done (resolved), bruno dm
        for conv, name in (("late", "alice"), ("soon", "alice"), ("done", "alice"), ("dm", "bruno")):
            row = s.get(Conversation, c[conv])
            assert row is not None
            row.assignee_id = u[name]
    at = _admin(seeded, db_url)
    said = _save_account(at, "alice", ["mastodon-acme"])
    assert "2 open conversations went back to the queue: their assignees no longer work" in said
    in_french(db_url, u["ada"])
    at.run()
    with i18n.use_language("fr"):
        said = _save_role(at, "agent", ["mastodon-acme"], "fr")
    assert "1 conversation ouverte est revenue dans la file" in said  # bruno's dm
    with database(db_url) as s:
        owners = {k: s.get(Conversation, c[k]).assignee_id for k in c}  # type: ignore[union-attr]
    assert owners == {"late": None, "soon": None, "dm": None, "done": u["alice"]}
    assert len(audit_events(db_url, "conversation.assigned")) == 3
