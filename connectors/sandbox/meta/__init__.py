"""The Meta Graph API sandbox (Facebook, Instagram, WhatsApp) and its signed webhook pusher."""
