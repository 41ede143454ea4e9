"""The browser's panes: one widget a module, each owning what it shows and its keys.

Each pane gets the knowledge base with ``set_kb`` (attributes down) and posts messages from
:mod:`pktui.tui.messages` (up); the browser screen composes them and routes the messages.
"""
