"""What a text someone sent back means: stop, start, help, yes, no, or just words.

The opt-out and opt-in words are the carriers' and Twilio's standard keywords (and their
common Spanish forms); they count when they are the whole message, as carriers apply them,
and "stop" also counts as the first word ("Stop texting me"): an opt-out honoured too often
costs a text, one missed breaks the law. Yes and no answer the last text's question about an
action ("Can you make it Saturday?"), in English and Spanish, when the reply starts with one
and does not also contain the other ("yes, but I can't make it" is left for a person).

Words are compared after case folding, removing accents, apostrophes and punctuation, so
"Sí!", "si", "Can’t make it." and "cant make it" all read the same.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Meaning(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    YES = "yes"
    NO = "no"
    TEXT = "text"


@dataclass(frozen=True)
class Reply:
    """A reply's meaning and its text as sent."""

    meaning: Meaning
    text: str


STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke"}
    | {"parar", "para", "alto", "baja", "cancelar"}  # Spanish
)
START_WORDS = frozenset({"start", "unstop", "subscribe", "comenzar", "iniciar"})
HELP_WORDS = frozenset({"help", "info", "ayuda"})
# "stop" first, then anything: the one opt-out word nobody uses for something else.
STOP_FIRST_WORDS = frozenset({"stop", "stopall", "unsubscribe"})

YES_PHRASES = (
    "yes",
    "y",
    "yeah",
    "yea",
    "yep",
    "yup",
    "sure",
    "no problem",
    "absolutely",
    "definitely",
    "count me in",
    "ill be there",
    "i will be there",
    "see you there",
    "im in",
    "im coming",
    "i can make it",
    # Spanish
    "si",
    "claro",
    "por supuesto",
    "alli estare",
    "ahi estare",
    "alli estaremos",
    "ahi estaremos",
    "cuenta conmigo",
    "voy",
    "si voy",
    "si puedo",
)
NO_PHRASES = (
    "no",
    "n",
    "nope",
    "nah",
    "cant make it",
    "cannot make it",
    "can not make it",
    "cant come",
    "cannot come",
    "cant go",
    "cant",
    "wont make it",
    "will not make it",
    "not coming",
    "im not coming",
    "i cant make it",
    "i cant come",
    "i wont be there",
    "i cant",
    "not this time",
    "sorry cant",
    "sorry i cant",
    "sorry i cant make it",
    # Spanish
    "no puedo",
    "no puedo ir",
    "no voy",
    "no podre",
    "no podre ir",
    "no asistire",
    "no vamos",
    "lo siento no puedo",
)
# Words that turn a yes into something else when they follow it ("yes but...", "sí pero...").
_YES_CANCELLERS = ("cant", "cannot", "wont", "not", "no", "but", "pero")


def interpret(text: str) -> Reply:
    """Return what *text*, a reply to one of our texts, means."""
    words = normalize(text).split()
    if not words:
        return Reply(Meaning.TEXT, text)
    whole = " ".join(words)
    if whole in STOP_WORDS or words[0] in STOP_FIRST_WORDS:
        return Reply(Meaning.STOP, text)
    if whole in START_WORDS:
        return Reply(Meaning.START, text)
    if whole in HELP_WORDS:
        return Reply(Meaning.HELP, text)
    # The longer opening phrase wins: "no problem" is a yes, "no puedo" a no.
    yes, no = _starts_with_any(words, YES_PHRASES), _starts_with_any(words, NO_PHRASES)
    if no and no >= yes:
        return Reply(Meaning.NO, text)
    if yes and not any(word in _YES_CANCELLERS for word in words[yes:]):
        return Reply(Meaning.YES, text)
    return Reply(Meaning.TEXT, text)


def normalize(text: str) -> str:
    """Fold case, drop accents and apostrophes, turn other punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"['’‘`]", "", plain)
    return " ".join(re.sub(r"[^\w\s]|_", " ", plain).split())


def _starts_with_any(words: list[str], phrases: tuple[str, ...]) -> int:
    """Return the length in words of the longest phrase *words* start with, or 0."""
    best = 0
    for phrase in phrases:
        phrase_words = phrase.split()
        if words[: len(phrase_words)] == phrase_words:
            best = max(best, len(phrase_words))
    return best
