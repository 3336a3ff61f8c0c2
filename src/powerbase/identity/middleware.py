"""One fingerprint of the base per page that only reads."""

from powerbase.identity import base

READS = ("GET", "HEAD")


class OneFingerprintPerReadMiddleware:
    """Take the base's fingerprint once per organization for a GET or HEAD request.

    Every figure kept for the whole base (`base.kept`) is keyed by the fingerprint, which reads
    every person, link, address, membership and ladder move (40-90 ms on the full demo); a
    page reading three kept figures took it three times. A read does not change the base, and
    should a GET save such a row all the same, the save drops the fingerprint taken
    (`base.forget_taken_fingerprint`). A POST takes it afresh at each read, as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READS:
            return self.get_response(request)
        with base.one_fingerprint():
            return self.get_response(request)
