"""The responder inbox: the web pages a responder acts from, served by the daemon.

Server-rendered HTML (Jinja2, autoescaped) with a little JavaScript of its own,
no build step and nothing from a CDN; every action calls ``monitor.act`` as the
command line does. ``create_app`` builds the ASGI app; ``WebServer`` runs it
with uvicorn on a thread of its own.
"""
