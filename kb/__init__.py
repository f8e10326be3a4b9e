"""kb: a knowledge base of who said what in Chinese tech press.

The library lives here; the `kb` command (kb.cli) and the Streamlit app (ui/) are thin shells.
"""

__version__ = "0.1.0"
