"""Meta (Graph API over requests): Facebook and Instagram comments and DMs, WhatsApp Cloud API, webhooks."""
