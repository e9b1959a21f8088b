"""Words the benchmark writes: to-do titles, continuation lines, headings and people.

Titles are built as verb + object from per-verb object lists, so the pairs stay sensible
("Water the plants", never "Water the invoice"). No title may contain a token that the
parser would rightly read as a field (weekday, month, today, priority words, roster names):
``reserved_hits`` finds such clashes and a unit test keeps the vocabulary clean.

A fixed fifth of the titles (by a stable hash, so it never depends on list order) is held
out: only held-out pages use them, to show whether a lexicon tuned on dev pages generalises.

Held-out pages were looked at while tuning, so a separate "fresh" pool (titles with other
verbs and objects, continuations, headings and first names) is used by fresh pages only.
Fresh results were used to choose changes, so the "unseen" split (``vocab_unseen``) replaced
it; words for pages that are not lists live in ``vocab_pages``.
"""

from __future__ import annotations

import re
import zlib

from . import vocab_pages, vocab_unseen

# verb: objects. Several verbs share objects; a few objects carry small numbers on purpose
# (real lists do), which a date parser must not take for a date.
_TITLES = """
Review: the pull request; the budget draft; Maria's slides; the contract terms; quarterly numbers; the design doc; the hiring plan; the test results; supplier quotes; the onboarding guide
Update: the roadmap; the team wiki; project status page; the client on progress; insurance details; my CV; the shared calendar; the risk register; phone software; the price list
Send: invoices; the meeting notes; the signed contract; thank you cards; the survey link; holiday photos to grandma; the final report; a reminder to the landlord; the parcel to Berlin; feedback to the agency
Prepare: the board presentation; slides for the demo; the tax documents; lunch boxes; the guest room; questions for the interview; the workshop agenda; the training material; a packing list; the release notes
Draft: the newsletter; a reply to the auditor; the job ad; the project proposal; the press release; a blog post; the welcome email; the grant application
Finish: the expense report; the chapter draft; the landing page; the code review; the knitting project; the photo album; the migration script; the user survey
Schedule: the team offsite; a dentist appointment; the car service; a call with the bank; the kickoff meeting; a haircut; the vet visit; one on ones; the window cleaner; a demo for sales
Book: the venue; flights to Lisbon; a table for 6; train tickets; the meeting room; a hotel near the conference; the plumber; swimming lessons; a rental car; the photographer
Fix: the login bug; the leaking tap; the broken link on the homepage; the bike brakes; flaky tests; the garden gate; the printer jam; the export timeout; the wobbly shelf; the search ranking
Check: the server logs; the smoke alarm; tyre pressure; the delivery status; bank statements; the invoice totals; the backup job; passport expiry date; the spare keys; the parking permit
Sign: the lease renewal; the permission slip; the NDA; the school form; the birthday card; the purchase order
Approve: the holiday requests; the design mockups; the budget changes; the new logo; the vendor contract; timesheets
Submit: the expense claim; the visa application; the conference talk; the timesheet; the warranty claim; the tax return
Share: the slide deck; the agenda with the team; the photos from the trip; the survey results; the access codes; the recipe
Plan: the team retro; the garden beds; the birthday party; the product launch; the summer holiday; meals for the family; the sprint goals; the office move
Write: the test plan; a thank you note; the API docs; the quarterly report; the speech for the wedding; release notes; the postmortem; unit tests for the parser
Deploy: the hotfix; the staging build; the new dashboard; the billing service
Merge: the feature branch; the translation updates; the dependency upgrade
Clean up: the garage; old branches; the shared drive; the inbox; the fridge; the balcony; unused cloud resources; the spare room
Follow up on: the job offer; the insurance claim; the refund; the open support tickets; the builder quote; the lost parcel
Reply to: the landlord; the recruiter; the school newsletter; customer emails; the wedding invitation; the neighbours
Set up: the new laptop; the printer; the team channel; automatic backups; the guest wifi; the monitoring alerts; the standing desk; the new phone
Organise: the bookshelf; the team dinner; the filing cabinet; the spice rack; the receipts; a leaving gift; the kids' clothes; the toolbox
Cancel: the gym membership; the old phone contract; the magazine subscription; the duplicate order; the unused domain
Renew: the passport; the car insurance; the library books; the SSL certificate; the parking permit; the domain name; the driving licence
Order: printer ink; new business cards; office chairs; a birthday cake; dog food; 2 boxes of paper; spare filters; replacement blinds; the team hoodies
Call: the dentist; mum; the electrician; the insurance company; the school office; the bank about the card; the car dealer; grandpa; the accountant; the vet
Email: the landlord; the accountant; the venue about parking; the client about the delay; the school; the supplier; the new starter; the tax office
Pay: the electricity bill; the rent; the parking fine; the council tax; the nanny; the credit card bill; the water bill; the piano teacher
Return: the library books; the borrowed drill; the faulty headphones; the rental skis; the jacket to the shop; the keys to the office
Pick up: the dry cleaning; the kids from football; the prescription; parcel at the post office; the new glasses; the cake; the repaired watch; dog from the groomer
Drop off: the donations; the car at the garage; the recycling; the spare key; the forms at the school; old batteries
Buy: milk; eggs; bread; coffee beans; a birthday present for Lily; light bulbs; toothpaste; dish soap; batteries; new running shoes; stamps; 6 bottles of water; potting soil; olive oil; rice and lentils; bin bags; a new umbrella; fresh basil; sunscreen; a phone charger
Wash: the car; the curtains; the dog; the windows; the bed sheets; the football kit
Water: the plants; the tomatoes; the herb garden; the hanging baskets
Clean: the oven; the bathroom; the gutters; the keyboard; the windows; the coffee machine; the barbecue; the fish tank
Repair: the fence; the bike puncture; the torn jacket; the dishwasher door; the laptop hinge
Replace: the smoke alarm battery; the kitchen light; the wiper blades; the broken tile; the air filter; the cracked screen protector
Back up: the photos; the laptop; the project files; the database
Research: flights for the summer; new phone plans; electric cars; childcare options; standing desks; the competitor pricing; a good accountant
Compare: energy tariffs; broadband deals; the two job offers; insurance quotes; hosting providers
Confirm: the catering order; the delivery slot; the room booking; attendance for the workshop; the flight times
Collect: the team feedback; signatures for the card; the rent deposit; the survey responses; receipts for the claim
Print: the boarding passes; the handouts; the tickets; the shipping labels; the contract copies
Tidy: the desk; the kids' room; the living room; the garden shed; the kitchen drawers
Test: the new checkout flow; the backup restore; the fire alarm; the mobile layout; the upgrade on staging
Get: approval; quotes for the roof; a new passport photo; feedback from design; the car washed; a haircut; new tyres; cash for the market; the bike serviced; a quote from the painter
Walk: the dog; to the post office
Empty: the dishwasher; the bins; the washing machine; the compost
Ask: Dad about the ladder; the landlord about the heating; IT for a new monitor; the neighbours about the hedge; for a pay review
Vacuum: the stairs; the car; the living room
Mow: the lawn; the back garden
Feed: the cat; the fish; the sourdough starter
Invite: the team to the retro; friends for dinner; the new neighbours over
Move: the servers to the new rack; the meeting to the afternoon; the sofa upstairs
Sort: the laundry; the mail; the photos from the trip; the recycling; the bug backlog
Pack: for the trip; the camping gear; the school bags; the kitchen boxes
"""

# Continuation lines: what people add under a task, indented, without a marker.
DESCRIPTIONS = tuple(s.strip() for s in """
for the October deliveries; ask about the discount; before the trip; the blue folder on my desk;
check the receipt first; use the new template; both copies please; about the late delivery;
bring the spare charger; need the reference number; and the invoices from last quarter;
ask for the corner table; only if it is cheap; remember the parking code; the one with the red lid;
gluten free please; call before ten; cc the whole team; after the standup; include the photos;
print two copies; check with finance first; the big one not the small one; ask for a receipt;
code is in the shared drive; use the side entrance; see the notes from last time;
keep it under budget; the form is in the kitchen drawer; confirm the address first;
link in the team chat; need the old password; ask the neighbours too; for the school trip;
also the bathroom one; compare at least three; the second hand ones are fine;
waiting on the quote; two sizes to choose from; remember the loyalty card
""".replace("\n", " ").split(";") if s.strip())

HEADINGS = (
    "TODO", "To do:", "To do", "To-do", "Action items", "Action items:", "This week", "Groceries",
    "Sprint 14", "Sprint 9", "Errands", "Home", "Work", "Weekend", "Today's list", "Tasks",
    "Follow ups", "Team tasks", "Shopping", "Housework", "Release checklist", "Q3 plans",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)

NAMES = (
    "Hasan", "Ana", "Tom", "Priya", "Mateo", "Chen", "Olga", "Kwame", "Sofia", "Jonas", "Aisha",
    "Liam", "Yuki", "Fatima", "Diego", "Nina", "Ravi", "Elena", "Omar", "Zoe", "Kofi", "Ingrid",
    "Lucas", "Mei", "Tariq", "Amara", "Felix", "Leila", "Sven", "Rosa", "Arjun", "Hana", "Marco",
    "Chloe", "Emeka", "Sara", "Viktor", "Noor", "Pablo", "Grace", "Daniel", "Aiko", "Ben", "Lucia",
)

# Fresh pool: never shown to anyone tuning the extractor (report totals only).
_FRESH_TITLES = """
Defrost: the freezer; the chest freezer in the cellar
Iron: the school shirts; the linen tablecloth; the suit trousers
Polish: the leather boots; the silver cutlery
Label: the storage crates; the moving boxes; the freezer bags
Shred: the old payslips; the expired credit cards
Rehearse: the conference keynote; the toast for the reunion
Translate: the user manual into Spanish; the menu for the cafe
Measure: the hallway for a runner; the alcove for shelving
Paint: the skirting boards; the nursery ceiling; the front door
Sharpen: the kitchen knives; the lawnmower blade
Oil: the squeaky hinges; the teak bench
Install: the dimmer switch; the baby gate; the curtain rail
Register: the warranty for the boiler; the kids for chess club
Unsubscribe from: the marketing emails; the wine club
Restock: the first aid kit; the snack drawer; the stationery cupboard
Bake: cookies for the fundraiser; a loaf of rye bread; the lemon tart
Frame: the wedding certificate; the kids' drawings
Hang: the hallway mirror; the new artwork
Prune: the apple tree; the rose bushes; the wisteria
Sweep: the chimney; the patio
Descale: the kettle; the shower head
Charge: the electric scooter; the power bank
Donate: the outgrown toys; blood at the clinic
Assemble: the wardrobe; the bunk beds; the flat pack bookcase
Upload: the conference recordings; the podcast episode
Rename: the shared folders; the staging bucket
Refactor: the payment module; the legacy importer
Proofread: the thesis chapter; the brochure copy
Reconcile: the petty cash; the joint account
Interview: the candidate for the design role; the volunteer applicants
Thank: the caterers; the volunteers
Visit: the new bakery; the garden centre
Practise: the piano scales; the cello piece; parallel parking
Inflate: the paddling pool; the air mattress
Mend: the ripped hoodie; the fishing net
Bleed: the radiators
Reseal: the bathtub edge
Laminate: the fire exit map
Brainstorm: names for the podcast; themes for the charity quiz
Sketch: the kitchen layout; ideas for the mural
Audit: the cloud spending; the user permissions
Forward: the courier tracking code; the lecture slides
"""

FRESH_DESCRIPTIONS = (
    "the spare set is behind the boiler", "ask the caretaker for the ladder", "use the eco setting",
    "the receipt is stapled to the box", "measure twice please", "bring gloves and a torch",
    "check the colour chart first", "leave it on the porch", "split the cost with the flat",
    "the green crate in the attic", "text me when it arrives", "wear old clothes",
)
FRESH_HEADINGS = ("Chores", "Jobs list", "Odds and ends", "Flat admin", "Garden jobs", "Open loops",
                  "Household")
FRESH_NAMES = ("Ines", "Bruno", "Thandi", "Kenji", "Maeve", "Oskar", "Farah", "Rohan", "Elif",
               "Tobias", "Nadia", "Henrik")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
PRIORITY_WORDS = ("urgent", "asap", "critical", "high", "important", "low", "minor",
                  "whenever", "someday", "medium", "p1", "p2", "p3", "p4", "prio", "priority")
_RESERVED = set(WEEKDAYS) | {w[:3] for w in WEEKDAYS} | {m[:3] for m in MONTHS} | {
    "today", "tomorrow", "tonight", "next", "week", "due", "owner", "assigned", "sept",
} | set(PRIORITY_WORDS) | {n.lower() for n in NAMES + FRESH_NAMES + vocab_unseen.NAMES}
_RESERVED_CHARS = set("@!()[]:→>=/")


def reserved_hits(text: str) -> list[str]:
    """Tokens in ``text`` that a field parser would (rightly) claim."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    hits = [w for w in words if w in _RESERVED]
    hits += [c for c in text if c in _RESERVED_CHARS]
    return hits


def _parse_titles(table: str = _TITLES) -> tuple[str, ...]:
    out = []
    for row in table.strip().splitlines():
        verb, _, objects = row.partition(":")
        out += [f"{verb.strip()} {obj.strip()}" for obj in objects.split(";") if obj.strip()]
    return tuple(out)


TITLES = _parse_titles()
FRESH_TITLES = _parse_titles(_FRESH_TITLES)
UNSEEN_TITLES = _parse_titles(vocab_unseen.TITLES_TABLE)


def is_heldout_phrase(text: str) -> bool:
    return zlib.crc32(text.lower().encode()) % 5 == 0


def _dev_or_heldout(pool, split: str) -> tuple:
    want = split == "heldout"
    return tuple(x for x in pool if is_heldout_phrase(x if isinstance(x, str) else x[0]) == want)


def titles_for(split: str) -> tuple[str, ...]:
    if split == "fresh":
        return FRESH_TITLES
    if split == "unseen":
        return UNSEEN_TITLES
    return _dev_or_heldout(TITLES, split)


def descriptions_for(split: str) -> tuple[str, ...]:
    if split == "fresh":
        return FRESH_DESCRIPTIONS
    if split == "unseen":
        return vocab_unseen.DESCRIPTIONS
    return _dev_or_heldout(DESCRIPTIONS, split)


def headings_for(split: str) -> tuple[str, ...]:
    return {"fresh": FRESH_HEADINGS, "unseen": vocab_unseen.HEADINGS}.get(split, HEADINGS)


def names_for(split: str) -> tuple[str, ...]:
    return {"fresh": FRESH_NAMES, "unseen": vocab_unseen.NAMES}.get(split, NAMES)


def sentences_for(split: str) -> tuple[str, ...]:
    """Prose sentences for letters and diary pages (fresh pages are lists only)."""
    if split == "unseen":
        return vocab_unseen.SENTENCES
    return _dev_or_heldout(vocab_pages.SENTENCES, split)


def topics_for(split: str) -> tuple:
    """Lecture-note topics: (heading, points, sub-points)."""
    if split == "unseen":
        return vocab_unseen.TOPICS
    return _dev_or_heldout(vocab_pages.TOPICS, split)


def letter_phrases_for(split: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(greetings with a {name} slot, closings)."""
    src = vocab_unseen if split == "unseen" else vocab_pages
    return src.GREETINGS, src.CLOSINGS
