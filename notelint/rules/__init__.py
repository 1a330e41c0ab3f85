"""The rules: the registry (:mod:`.registry`), selection (:mod:`.selection`), docs (:mod:`.docs`)
and one module per rule family."""
