"""What a text reply means: opt-out and opt-in keywords, help, RSVP answers, free text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powerbase.messaging.sms.replies import Meaning, interpret


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        " Stop. ",
        "STOPALL",
        "UNSUBSCRIBE",
        "cancel",
        "END",
        "quit",
        "Stop texting me",
        "PARAR",
        "Baja",
    ],
)
def test_the_opt_out_keywords_mean_stop(text):
    assert interpret(text).meaning == Meaning.STOP


@pytest.mark.parametrize("text", ["START", "unstop", "Start!"])
def test_start_and_unstop_mean_start(text):
    assert interpret(text).meaning == Meaning.START


@pytest.mark.parametrize("text", ["HELP", "help?", "Ayuda"])
def test_help_means_help(text):
    assert interpret(text).meaning == Meaning.HELP


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Y",
        "Yes!",
        "yeah I'll be there",
        "Count me in",
        "No problem, see you there",
        "Sí",
        "si",
        "Claro que sí",
        "Ahí estaré",
        "cuenta conmigo",
    ],
)
def test_yes_in_english_and_spanish_means_yes(text):
    assert interpret(text).meaning == Meaning.YES


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "No, sorry",
        "can't make it",
        "Can’t make it.",
        "cant make it this time",
        "I can't",
        "Sorry, I can't make it",
        "won't make it",
        "No puedo",
        "no podré ir",
        "No voy",
    ],
)
def test_no_and_cant_make_it_in_english_and_spanish_mean_no(text):
    assert interpret(text).meaning == Meaning.NO


@pytest.mark.parametrize(
    "text",
    [
        "What time does it start?",
        "yes but I can't make it",
        "Sí pero no puedo",
        "",
        "Stopping by later",
        "Is there parking?",
        "🙂",
    ],
)
def test_anything_else_is_free_text(text):
    assert interpret(text).meaning == Meaning.TEXT


def test_the_reply_keeps_the_text_as_sent():
    assert interpret("  Can’t make it.  ").text == "  Can’t make it.  "


@given(st.text())
def test_any_text_has_exactly_one_meaning(text):
    assert interpret(text).meaning in set(Meaning)
