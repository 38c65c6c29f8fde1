"""Process plug-ins: what one specialised process adds to the core (its start data, checks, panel, labels, exports).

Each plug-in registers itself in engine.core.hooks when its `plugin` module is imported; this package imports the
shipped ones, and the hook table imports this package the first time it is asked. No core module names a plug-in.
"""

from engine.plugins.index_self_assessment import plugin as index_self_assessment  # noqa: F401
