"""A Slack/Teams-like incoming webhook on loopback, where the demo's escalation and spike alerts land."""
