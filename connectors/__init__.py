"""One package per platform, speaking its API through its client library; they never import ``inbox``.

Each returns typed items (``base``) and raises typed errors; ``registry`` lists the platforms; ``_http`` is
the one HTTP transport; ``sandbox/`` holds loopback fakes of each platform for tests and the demo.
"""
