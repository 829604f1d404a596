"""Loopback fakes of each platform's API (same contract, shapes and errors), for tests and the demo.

Bind 127.0.0.1 only; state in memory; ``/_sandbox/`` control endpoints inject faults and replay traffic.
"""
