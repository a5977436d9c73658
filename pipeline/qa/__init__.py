"""Quality checks of translations, and the glossaries they use."""
