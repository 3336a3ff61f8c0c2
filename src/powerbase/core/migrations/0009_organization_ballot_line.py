from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_job_worker'),
    ]

    operations = [
        migrations.AddField(
            model_name='organization',
            name='ballot_line',
            field=models.CharField(
                blank=True, max_length=40,
                help_text="The organization's own ballot line in fusion voting, as results "
                          "code it (WFP): what election and race pages show delivered unless "
                          "another is asked for. Blank: the first fusion line in the results."),
        ),
    ]
