"""The language detector's model (py3langid, shipped in the package), loaded once per process."""

from __future__ import annotations

import threading

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_IDENTIFIER: list[LanguageIdentifier] = []
_IDENTIFIER_LOCK = threading.Lock()


def language_identifier() -> LanguageIdentifier:
    """The model (loaded in about 0.5 s, some 75 MB), loaded on first use.

    Services load it at start-up, on their own thread, so that the first question does not wait. Never on
    a thread of its own: numpy reads the model's array headers with ast.literal_eval, and Python 3.11.7's
    parser keeps one recursion count per interpreter, so a parse on another thread at the same moment
    fails with "AST constructor recursion depth mismatch".
    """
    with _IDENTIFIER_LOCK:
        if not _IDENTIFIER:
            _IDENTIFIER.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
        return _IDENTIFIER[0]
