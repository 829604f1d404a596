"""The Telegram Bot API sandbox and its webhook pusher."""
