"""A user's roster: the names assignees are matched against, and the misreadings the OCR
made of each name that a person corrected once (then applied on every later scan)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404

from taskocr.errors import InputError

from ..models import Person


def roster_of(owner):
    return Person.objects.filter(owner=owner)


def names_of(owner) -> tuple[str, ...]:
    return tuple(roster_of(owner).values_list("name", flat=True))


def person_of(owner, person_id) -> Person:
    person = roster_of(owner).filter(pk=person_id).first()
    if person is None:
        raise Http404("no such person")
    return person


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InputError("a name is needed", code="invalid_name")
    if len(name) > 200:
        raise InputError("a name has at most 200 characters", code="invalid_name")
    return name


def _clean_misreadings(values, name: str) -> list[str]:
    out: list[str] = []
    for value in values or []:
        value = " ".join(str(value).split())[:200]
        if value and value.lower() != name.lower() and value.lower() not in {v.lower() for v in out}:
            out.append(value)
    return out


def add_person(owner, name: str, misreadings=()) -> Person:
    name = _clean_name(name)
    try:
        with transaction.atomic():
            return Person.objects.create(
                owner=owner, name=name, misreadings=_clean_misreadings(misreadings, name)
            )
    except IntegrityError:
        raise InputError(f"{name!r} is on the roster already", code="duplicate_name") from None


def update_person(owner, person_id, *, name: str | None = None, misreadings=None) -> Person:
    person = person_of(owner, person_id)
    if name is not None:
        person.name = _clean_name(name)
    if misreadings is not None:
        person.misreadings = _clean_misreadings(misreadings, person.name)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise InputError(f"{person.name!r} is on the roster already", code="duplicate_name") from None
    return person


def delete_person(owner, person_id) -> None:
    person_of(owner, person_id).delete()


def remove_misreading(owner, person_id, text: str) -> Person:
    person = person_of(owner, person_id)
    person.misreadings = [m for m in person.misreadings if m.lower() != (text or "").lower()]
    person.save(update_fields=["misreadings"])
    return person


def learn(owner, read: str, name: str) -> None:
    """A person changed an assignee the OCR read as ``read`` to ``name``: remember it. The
    misreading moves to ``name`` if another person had it (the latest correction wins)."""
    read, name = " ".join(read.split()), " ".join(name.split())
    if not read or not name or read.lower() == name.lower():
        return
    with transaction.atomic():
        for other in roster_of(owner).select_for_update():
            kept = [m for m in other.misreadings if m.lower() != read.lower()]
            if kept != other.misreadings and other.name != name:
                other.misreadings = kept
                other.save(update_fields=["misreadings"])
        person = roster_of(owner).filter(name__iexact=name).first()
        if person is None:
            person = Person.objects.create(owner=owner, name=name[:200])
        if read.lower() not in {m.lower() for m in person.misreadings}:
            person.misreadings = [*person.misreadings, read[:200]]
            person.save(update_fields=["misreadings"])


def misreading_map(owner) -> dict[str, str]:
    """lower-cased misreading -> the roster's name."""
    return {m.lower(): p.name for p in roster_of(owner) for m in p.misreadings}
