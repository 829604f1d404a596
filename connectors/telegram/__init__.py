"""Telegram (Bot API over requests): a bot's private chats, polled or by webhook."""
