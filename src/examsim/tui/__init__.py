"""The terminal user interface (Textual). It shows session state and turns keys into calls."""
