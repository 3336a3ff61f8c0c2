"""Identity: one record per human, and each person matched to their voter registration.

This package will become a Django app (people dedupe, review queue, merges). Its `linkage`
subpackage is the Django-free record-linkage engine the app and the CLI both call.
"""
