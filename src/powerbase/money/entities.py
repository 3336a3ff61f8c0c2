"""The legal entities whose books the money app keeps apart (a 501(c)(3), a 501(c)(4), a PAC).

Every line of money belongs to one entity. Writing, a service that is given none puts the
line in the organization's default entity (its first; made on first use, named after the
organization, a 501(c)(4)). Reading, pages show one entity at a time: `Books` says which, or
that all entities are combined because the reader asked for it (`?entity=all`).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from powerbase.core.models import Organization
from powerbase.money.models import Entity

ALL = "all"


def default_entity(organization: Organization) -> Entity:
    """The organization's first entity, made (a 501(c)(4) named after it) if it has none."""
    found = Entity.objects.filter(organization=organization).order_by("id").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Entity.objects.create(
                organization=organization,
                name=organization.name,
                slug="c4",
                kind=Entity.Kind.C4,
            )
    except IntegrityError:  # made by someone else meanwhile, or "c4" is taken
        return Entity.objects.filter(organization=organization).order_by("id").first() or (
            Entity.objects.create(
                organization=organization,
                name=organization.name,
                slug=f"c4-{organization.pk}",
                kind=Entity.Kind.C4,
            )
        )


@dataclass(frozen=True)
class Books:
    """Which books a page shows: one entity, or every entity combined (asked for)."""

    entity: Entity | None
    choices: tuple[Entity, ...]

    @property
    def combined(self) -> bool:
        return self.entity is None

    @property
    def key(self) -> str:
        """The `?entity=` value that shows these books again."""
        return ALL if self.entity is None else self.entity.slug

    @property
    def label(self) -> str:
        if self.entity is None:
            return "All entities combined"
        return str(self.entity)

    def q(self, prefix: str = "") -> Q:
        """A filter keeping rows of these books (*prefix* reaches the entity field)."""
        return Q() if self.entity is None else Q(**{f"{prefix}entity": self.entity})

    def of[Q_: QuerySet](self, queryset: Q_) -> Q_:
        return queryset.filter(self.q())


def books(organization: Organization, asked: str | None) -> Books:
    """Resolve a page's `?entity=` (a slug, "all", or nothing: the default entity)."""
    choices = tuple(Entity.objects.filter(organization=organization).order_by("id"))
    if asked == ALL:
        return Books(entity=None, choices=choices)
    for entity in choices:
        if entity.slug == asked:
            return Books(entity=entity, choices=choices)
    default = default_entity(organization)
    return Books(entity=default, choices=choices or (default,))
