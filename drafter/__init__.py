"""drafter: first drafts of Chinese official-style documents from a yearly YAML fact sheet."""

__version__ = "0.1.0"
