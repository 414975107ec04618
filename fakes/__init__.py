"""Local stand-ins for the services amends talks to, shared by tests and benchmarks.

Each is a real server on 127.0.0.1 speaking the documented protocol: X and
Reddit JSON (``platforms``), SMTP and an HTTP receiver for push and webhooks
(``receivers``). Nothing here reaches a public host.
"""
