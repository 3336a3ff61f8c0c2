"""X-Twilio-Signature, checked against the examples Twilio publishes with its libraries."""

from hypothesis import given
from hypothesis import strategies as st

from powerbase.messaging.sms.signatures import compute_signature, is_valid

# twilio-python's tests/unit/test_request_validator.py: token, URL, parameters and signatures.
TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
    "Caller": "+14158675309",
}


def test_the_signature_of_twilios_example_is_twilios():
    assert compute_signature(URL, PARAMS, TOKEN) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_repeated_parameters_are_signed_with_their_values_sorted():
    params = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]

    assert compute_signature(URL, params, TOKEN) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_twilios_example_request_is_valid():
    assert is_valid(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TOKEN)


def test_a_port_in_our_url_that_twilio_did_not_sign_is_ignored():
    assert is_valid(URL.replace(".com", ".com:1234"), PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TOKEN)


def test_a_default_port_twilio_signed_but_our_url_lacks_is_accepted():
    assert is_valid(URL, PARAMS, "kvajT1Ptam85bY51eRf/AJRuM3w=", TOKEN)  # signed with :443
    http = URL.replace("https", "http")
    assert is_valid(http, PARAMS, "0ZXoZLH/DfblKGATFgpif+LLRf4=", TOKEN)  # signed with :80


def test_a_changed_parameter_another_url_or_token_fails():
    signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert not is_valid(URL, {**PARAMS, "Digits": "9999"}, signature, TOKEN)
    assert not is_valid(URL + "&baz=3", PARAMS, signature, TOKEN)
    assert not is_valid(URL, PARAMS, signature, "54321")
    assert not is_valid(URL, PARAMS, "", TOKEN)


@given(st.dictionaries(st.text(min_size=1), st.text()), st.text(min_size=1))
def test_any_request_signed_with_the_token_is_valid_and_with_another_is_not(params, token):
    signature = compute_signature(URL, params, token)

    assert is_valid(URL, params, signature, token)
    assert not is_valid(URL, params, signature, token + "x")
