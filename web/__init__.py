"""cchc-flow web app (Flask). Views are thin: they call engine.service only."""
