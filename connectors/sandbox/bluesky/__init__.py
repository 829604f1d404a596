"""The Bluesky PDS (XRPC) sandbox."""
