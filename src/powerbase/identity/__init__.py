"""Identity: one record per human, and each person matched to their voter registration.

The Django app holds the links from people to voter records (and, as it grows, the dedupe
runs, review queue and merges). Its `linkage` subpackage is the Django-free record-linkage
engine the app and the CLI both call.
"""
