"""The app's forms: they check what a person typed before a service sees it."""

from __future__ import annotations

from django import forms

from taskocr.engines.registry import ENGINES

from ..jobs.models import JobStatus, Priority

ENGINE_CHOICES = [("auto", "auto (best available)")] + [(e, e) for e in ENGINES]


class TaskForm(forms.Form):
    """One task's fields as the review page sends them (all optional: a change sends all)."""

    task_name = forms.CharField(max_length=500, required=False)
    description = forms.CharField(required=False, widget=forms.Textarea)
    assignee = forms.CharField(max_length=200, required=False)
    due_date = forms.DateField(required=False)
    priority = forms.ChoiceField(choices=Priority.choices, required=False)
    done = forms.BooleanField(required=False)

    def clean_task_name(self):
        name = " ".join(self.cleaned_data["task_name"].split())
        if "task_name" in self.data and not name:
            raise forms.ValidationError("A task needs a title.")
        return name

    def changes(self) -> dict:
        """Only what the form carried: a partial post leaves other fields alone."""
        data = self.cleaned_data
        out = {k: data[k] for k in ("task_name", "description", "assignee", "due_date") if k in self.data}
        if self.data.get("priority"):
            out["priority"] = data["priority"]
        if "done_present" in self.data:  # unchecked boxes send nothing; the hidden marker does
            out["done"] = data["done"]
        return out


class RereadForm(forms.Form):
    engine = forms.ChoiceField(choices=ENGINE_CHOICES, required=False)
    people = forms.CharField(required=False, max_length=2000)
    date_order = forms.ChoiceField(choices=[("dmy", "day/month"), ("mdy", "month/day")], required=False)

    def names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["people"].split(",") if n.strip()]


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "any status")] + list(JobStatus.choices), required=False)


class BoardFilterForm(forms.Form):
    assignee = forms.CharField(required=False, max_length=200)
    due_after = forms.DateField(required=False, label="Due from")
    due_before = forms.DateField(required=False, label="Due until")
    view = forms.ChoiceField(choices=[("", "auto"), ("notes", "notes"), ("list", "list")], required=False)

    def filters(self) -> dict:
        d = self.cleaned_data
        out: dict = {"done": False}
        if d.get("assignee"):
            out["assignee"] = "" if d["assignee"] == "none" else d["assignee"]
        for key in ("due_after", "due_before"):
            if d.get(key):
                out[key] = d[key]
        return out


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    misreadings = forms.CharField(required=False, max_length=2000, help_text="comma-separated")

    def misreading_list(self) -> list[str]:
        return [m.strip() for m in self.cleaned_data["misreadings"].split(",") if m.strip()]
