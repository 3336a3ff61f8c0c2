"""Democracy School: political education that builds leaders.

A *program* (a Democracy School, a candidate school, a steward training) has a curriculum of
ordered *modules*, each with learning goals and *materials* (links or uploaded files). A program
runs as *cohorts* (dates, a place or online, facilitators); affiliates nominate *participants*
to a cohort, and the nominating affiliate is kept because cohorts are balanced across
affiliates. Each cohort *session* is an action of kind "training" (actions.Action), so
attendance is the actions app's check-in, reused. Participants do *assignments* (reflections,
leadership tasks) and facilitators assess their *skills*. The program's graduation rule
(attendance and leadership tasks) decides who graduates; a graduate is tagged, and the ladder's
rule for that tag moves them up the leadership ladder.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel

DEFAULT_GRADUATE_TAG = "Democracy School graduate"


class Program(TenantModel):
    """A course of political education the organization runs again and again, cohort by cohort."""

    class Kind(models.TextChoices):
        DEMOCRACY_SCHOOL = "democracy_school", "Democracy School"
        CANDIDATE_SCHOOL = "candidate_school", "Candidate school"
        STEWARD_TRAINING = "steward_training", "Steward training"
        OTHER = "other", "Other training"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DEMOCRACY_SCHOOL)
    description = models.TextField(blank=True)
    min_attendance_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="Graduation rule: attended at least this share of the cohort's sessions ...",
    )
    min_leadership_tasks = models.PositiveSmallIntegerField(
        default=1, help_text="... and completed at least this many leadership tasks."
    )
    graduate_tag = models.CharField(
        max_length=100,
        default=DEFAULT_GRADUATE_TAG,
        help_text="Graduates get this tag; a ladder rung whose rule counts it moves them up.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="one_program_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class Module(TenantModel):
    """One part of a program's curriculum, in order: what participants learn and read."""

    # A curriculum belongs to its program; so do its modules.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(help_text="1 for the first module, and so on.")
    title = models.CharField(max_length=200)
    learning_goals = models.TextField(
        blank=True, help_text="What a participant can do after it, one goal a line."
    )

    class Meta:
        ordering = ["program", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="one_module_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def goals(self) -> list[str]:
        return [line.strip() for line in self.learning_goals.splitlines() if line.strip()]


class Material(TenantModel):
    """A reading, video or handout of a module: a link, or a file uploaded to the server.

    A file is kept under DATA_DIR/uploads/school/<org>/ (in the backup with the rest of the
    data dir) and is only ever sent through the school's permission-checked download view."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True, help_text="Empty for an uploaded file.")
    file_name = models.CharField(
        max_length=255, blank=True, help_text="The uploaded file's own name, as downloaded."
    )
    stored_name = models.CharField(
        max_length=64,
        blank=True,
        help_text="The file's name on the server (random, under uploads/school/<org>/).",
    )
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes, for an uploaded file.")

    class Meta:
        ordering = ["module", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(stored_name=""))
                | (~models.Q(url="") & models.Q(stored_name="")),
                name="material_is_a_link_or_a_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)


class Cohort(TenantModel):
    """One run of a program: its dates, where it meets, and who facilitates it."""

    # A cohort is the program's history; a program with cohorts is not deleted.
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200, help_text="e.g. 'Spring 2027, Hartford'.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=300, blank=True, help_text="Where sessions meet.")
    is_online = models.BooleanField(default=False)
    online_link = models.URLField(blank=True, help_text="For an online cohort, the link to join.")
    facilitators = models.ManyToManyField(
        "people.Person", blank=True, related_name="cohorts_facilitated"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name", "id"]

    def __str__(self) -> str:
        return f"{self.program}: {self.name}"

    @property
    def where(self) -> str:
        if self.is_online:
            return f"Online{f', {self.place}' if self.place else ''}"
        return self.place or "Place to be set"


class Participant(TenantModel):
    """A person an affiliate nominated to a cohort, and how far they came."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WITHDRAWN = "withdrawn", "Withdrawn"
        GRADUATED = "graduated", "Graduated"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    # A participant is the person's history; merging moves it rather than deleting the person.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="school_participations"
    )
    nominating_affiliate = models.ForeignKey(
        "coalition.Affiliate",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The affiliate that put them forward: cohorts are balanced across affiliates.",
    )
    # The nominator's account may go; the nomination stays.
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENROLLED)
    graduated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "person__family_key", "person__given_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="one_place_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"


class Session(TenantModel):
    """A meeting of a cohort, usually on one module. Its action holds the time, place and
    check-in: attendance is the actions app's, reused."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    # A module taught in a session stays in the curriculum; removing it leaves the session.
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    # The action keeps the attendance; it is not deleted while the session stands.
    action = models.OneToOneField(
        "actions.Action", on_delete=models.PROTECT, related_name="school_session"
    )

    class Meta:
        ordering = ["action__starts_at", "id"]

    def __str__(self) -> str:
        return str(self.action)


class Assignment(TenantModel):
    """Work set for a cohort: a reflection to write or a leadership task to do."""

    class Kind(models.TextChoices):
        REFLECTION = "reflection", "Reflection"
        LEADERSHIP_TASK = "leadership_task", "Leadership task"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Submission(TenantModel):
    """A participant completed an assignment: when, and their reflection in their own words."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="submissions"
    )
    completed_on = models.DateField(default=timezone.localdate)
    reflection = models.TextField(blank=True)
    # The recorder's account may go; the record stays.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "participant"], name="one_submission_per_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant.person}: {self.assignment}"


class SkillAssessment(TenantModel):
    """A facilitator's judgement of one participant's skill, on a date; the latest counts."""

    class Skill(models.TextChoices):
        PUBLIC_SPEAKING = "public_speaking", "Public speaking"
        ONE_ON_ONES = "one_on_ones", "One-on-ones"
        POWER_MAPPING = "power_mapping", "Power mapping"
        RUNNING_A_MEETING = "running_a_meeting", "Running a meeting"
        CANVASS_LEADERSHIP = "canvass_leadership", "Canvass leadership"

    class Level(models.IntegerChoices):
        BEGINNING = 1, "Beginning"
        DEVELOPING = 2, "Developing"
        CONFIDENT = 3, "Confident"
        TEACHES_OTHERS = 4, "Teaches others"

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="assessments"
    )
    skill = models.CharField(max_length=20, choices=Skill.choices)
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    note = models.CharField(max_length=300, blank=True)
    assessed_on = models.DateField(default=timezone.localdate)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["participant", "skill", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.participant.person}: {self.get_skill_display()} {self.get_level_display()}"
