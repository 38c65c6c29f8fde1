"""Process plug-ins: what one specialised process adds to the core (its data, checks, panels and exports). Each
registers its hooks in engine.core.hooks when imported; the core imports no plug-in."""
