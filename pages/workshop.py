"""Workshop mode: the app leads a room through the seven DNH steps (app/workshop_ui.py draws it)."""

from app import workshop_ui

workshop_ui.show()
