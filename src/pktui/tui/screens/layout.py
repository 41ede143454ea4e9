"""Where each pane of the browser lives: its widget, its column, its key in the pane bar."""

WIDE = 120  # columns from which the three columns are shown side by side

LIST_PANES = ("articles", "entities", "timeline", "results")
PANE_WIDGET = {
    "articles": "articles",
    "entities": "entities",
    "timeline": "timeline",
    "results": "results",
    "query": "search-input",
    "source": "source",
    "facts": "facts",
    "entity": "entity",
}
WIDGET_PANE = {v: k for k, v in PANE_WIDGET.items()}
PANE_GROUP = {
    "articles": "lists",
    "entities": "lists",
    "timeline": "lists",
    "results": "lists",
    "query": "lists",
    "source": "reader",
    "facts": "side",
    "entity": "side",
}
PANE_KEYS = {
    "articles": "1",
    "entities": "2",
    "timeline": "3",
    "results": "/",
    "source": "4",
    "facts": "5",
    "entity": "6",
}
