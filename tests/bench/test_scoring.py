"""The scorer on hand-made predictions: each case must move exactly the numbers it should."""

from __future__ import annotations

import copy

import pytest

from bench import scoring

TRUTH = {
    "lines": [
        {"text": "TODO", "role": "heading"},
        {"text": "- Get approval → Hasan 17/12/2025", "role": "task"},
        {"text": "- Book the venue (Ana) !!", "role": "task"},
        {"text": "- Send invoices @tom by Friday", "role": "task"},
        {"text": "for the October deliveries", "role": "continuation"},
        {"text": "- Call the printer low", "role": "task"},
    ],
    "tasks": [
        {"task_name": "Get approval", "description": "", "assignee": "Hasan", "due_date": "2025-12-17",
         "priority": "medium", "done": False, "forms": {"assignee": "arrow", "due": "num"}},
        {"task_name": "Book the venue", "description": "", "assignee": "Ana", "due_date": None,
         "priority": "high", "done": True, "forms": {"assignee": "paren", "priority": "!!", "done": "strike"}},
        {"task_name": "Send invoices", "description": "for the October deliveries", "assignee": "Tom",
         "due_date": "2025-12-05", "priority": "medium", "done": False, "forms": {"assignee": "at", "due": "by_weekday"}},
        {"task_name": "Call the printer", "description": "", "assignee": None, "due_date": None,
         "priority": "low", "done": False, "forms": {"priority": "low"}},
    ],
}


def perfect() -> list[dict]:
    return [{k: v for k, v in t.items() if k != "forms"} for t in copy.deepcopy(TRUTH["tasks"])]


def kinds(score) -> list[str]:
    return [e["kind"] for e in score.errors]


def test_perfect_prediction_scores_full_marks():
    s = scoring.score_page(perfect(), TRUTH)
    agg = scoring.aggregate([s])
    assert (s.tp, s.fp, s.fn) == (4, 0, 0)
    assert agg["f1"] == 1.0 and agg["title_cer"] == 0.0
    assert all(agg[f"{f}_acc"] == 1.0 for f in scoring.FIELDS)
    assert s.errors == []


def test_one_missed_task_lowers_recall_only():
    preds = perfect()[:2] + perfect()[3:]
    agg = scoring.aggregate([scoring.score_page(preds, TRUTH)])
    assert agg["precision"] == 1.0
    assert agg["recall"] == pytest.approx(0.75)
    assert agg["f1"] == pytest.approx(2 * 0.75 / 1.75)
    assert agg["title_cer_all"] == pytest.approx(0.25)  # the miss counts as CER 1 here only
    assert agg["error_kinds"] == [("missed: not found", 1)]


def test_garbled_title_beyond_threshold_is_a_miss_and_a_spurious_task():
    preds = perfect()
    preds[0]["task_name"] = "Gxt apprxvxl"  # 3 edits / 12 chars = 0.25 > 0.20
    s = scoring.score_page(preds, TRUTH)
    assert (s.tp, s.fp, s.fn) == (3, 1, 1)
    assert kinds(s) == ["missed: title garbled (0.2 < CER <= 0.5)"]  # the pair is reported once


def test_slightly_garbled_title_still_matches_and_adds_cer():
    preds = perfect()
    preds[1]["task_name"] = "book the vanue"  # case ignored; one substitution in 14 chars
    s = scoring.score_page(preds, TRUTH)
    assert s.tp == 4
    assert scoring.aggregate([s])["title_cer"] == pytest.approx((1 / 14) / 4)
    assert kinds(s) == ["title: inexact (0 < CER <= 0.2)"]


def test_wrong_assignee_only_hurts_assignee_accuracy():
    preds = perfect()
    preds[0]["assignee"] = "Ana"
    preds[2]["assignee"] = "tom"  # case does not matter: no roster means no canonical spelling
    s = scoring.score_page(preds, TRUTH)
    agg = scoring.aggregate([s])
    assert agg["f1"] == 1.0
    assert agg["assignee_acc"] == pytest.approx(0.75)
    assert agg["due_date_acc"] == 1.0 and agg["priority_acc"] == 1.0
    assert kinds(s) == ["assignee: wrong [arrow]"]


def test_field_errors_are_named_by_what_went_wrong():
    preds = perfect()
    preds[0]["due_date"] = None
    preds[1]["priority"] = "medium"
    preds[1]["done"] = False
    preds[3]["priority"] = "urgent"
    preds[2]["description"] = ""
    s = scoring.score_page(preds, TRUTH)
    assert sorted(kinds(s)) == sorted([
        "due date: missed [num]", "priority: missed [!!]", "done: missed [strike]",
        "priority: wrong (urgent) [low]", "description: missed",
    ])


def test_unstripped_field_in_title_is_diagnosed():
    preds = perfect()
    preds[0].update(task_name="Get approval 17/12/2025", due_date=None)
    s = scoring.score_page(preds, TRUTH)
    assert (s.tp, s.fp, s.fn) == (3, 1, 1)
    assert kinds(s) == ["missed: unparsed due date [num] left in the title"]


def test_heading_and_continuation_taken_as_tasks_are_spurious():
    preds = perfect() + [{"task_name": "TODO"}, {"task_name": "for the October deliveries"}]
    s = scoring.score_page(preds, TRUTH)
    assert (s.tp, s.fp, s.fn) == (4, 2, 0)
    assert sorted(kinds(s)) == ["spurious: continuation read as a task", "spurious: heading read as a task"]


def test_matching_is_one_to_one():
    preds = perfect() + [dict(perfect()[0])]  # the same task predicted twice
    s = scoring.score_page(preds, TRUTH)
    assert (s.tp, s.fp, s.fn) == (4, 1, 0)


def test_cer_normalises_case_and_spaces():
    assert scoring.cer("  GET   approval ", "Get approval") == 0.0
    assert scoring.cer("", "abcd") == 1.0


def test_field_keyword_left_behind_is_named():
    preds = perfect()
    preds[2]["task_name"] = "Send invoices by"  # the date was read, its "by" stayed in the title
    s = scoring.score_page(preds, TRUTH)
    assert kinds(s) == ["missed: leftover 'by' in the title (the field itself was read)"]


def test_title_edits_list_character_confusions():
    assert scoring.edits("book the vanue", "Book the venue") == ["e>a"]
    assert scoring.edits("Cal the printer", "Call the printer") == ["l>"]
    preds = perfect()
    preds[1]["task_name"] = "book the vanue"
    assert scoring.aggregate([scoring.score_page(preds, TRUTH)])["title_edits"] == [("e>a", 1)]


def test_the_interval_holds_the_estimate_and_narrows_with_more_pages():
    pages = [scoring.PageScore(tp=tp, fp=fp, fn=fn) for tp, fp, fn in
             [(5, 1, 0), (0, 2, 6), (3, 3, 3), (8, 0, 1), (1, 4, 4), (6, 1, 2)]]
    agg = scoring.aggregate(pages)
    ci = scoring.interval(pages)
    low, high = ci["f1"]
    assert low < agg["f1"] < high
    plow, phigh = ci["f1_page_mean"]
    per_page = sum(scoring.aggregate([p])["f1"] for p in pages) / len(pages)
    assert plow < per_page < phigh
    assert scoring.interval(pages) == ci  # seeded: the same report twice
    wide = high - low
    low4, high4 = scoring.interval(pages * 4)["f1"]
    assert high4 - low4 < wide
    assert scoring.interval([]) == {}


def test_a_paired_interval_is_zero_for_no_change_and_one_sided_for_a_gain():
    before = [(5, 1, 0), (0, 2, 6), (3, 3, 3), (8, 0, 1)]
    same = scoring.paired_interval(before, before)
    assert (same["f1"], same["f1_interval"], same["changed"]) == (0.0, (0.0, 0.0), 0)
    after = [(5, 1, 0), (5, 0, 1), (3, 3, 3), (8, 0, 1)]  # one page read better, none worse
    gain = scoring.paired_interval(before, after)
    assert gain["f1"] > 0 and gain["f1_page_mean"] > 0 and gain["changed"] == 1
    assert gain["f1_interval"][0] >= 0 and gain["f1_interval"][1] >= gain["f1"]
    with pytest.raises(ValueError):
        scoring.paired_interval(before, after[:2])
