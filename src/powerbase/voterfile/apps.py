from django.apps import AppConfig


class VoterfileConfig(AppConfig):
    name = "powerbase.voterfile"
    label = "voterfile"
    verbose_name = "Voter file: registrations, vote history and districts"
