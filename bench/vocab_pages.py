"""Words for pages that are not to-do lists (dev and held-out pages): running prose, letters
and lecture notes.

Prose is ordinary writing, so unlike task titles it may name weekdays, months and people:
an extractor has to tell a letter from a list by what the page is, not by missing dates.
The unseen split has its own pool in ``vocab_unseen``; a test keeps the two apart.
"""

from __future__ import annotations

SENTENCES = (
    "We finally got to the coast on Saturday and the weather held for the whole weekend.",
    "The kids spent hours on the beach building a castle with a moat that kept filling up.",
    "I have started the new job and so far everyone has been very welcoming.",
    "The office is a short walk from the station, which makes the mornings much easier.",
    "It rained for most of the week, so we stayed in and read by the fire.",
    "Your parcel arrived yesterday and the scarf is beautiful, thank you so much.",
    "I keep meaning to write but the days seem to disappear.",
    "The garden is looking lovely now that the roses are out.",
    "We had dinner at the little Italian place on the corner and it was as good as ever.",
    "Grandma turned ninety last month and the whole family came for lunch.",
    "The train was delayed by an hour, but I met a woman who used to be a sailor.",
    "I think the new flat will suit us well once the boxes are unpacked.",
    "The meeting went better than expected and the client seemed pleased with the plan.",
    "Work has been busy, with two deadlines landing in the same fortnight.",
    "On the way home I stopped to watch the swans on the river.",
    "Our neighbour has a new puppy that barks at every passing bicycle.",
    "I am reading a long novel about a family of clockmakers and cannot put it down.",
    "The concert was loud and crowded, and we loved every minute of it.",
    "Sam says hello and hopes you are feeling better.",
    "There is snow on the hills this morning and the air smells of woodsmoke.",
    "I have been learning to bake bread, with mixed results so far.",
    "The first loaf was as flat as a plate, but the second one rose beautifully.",
    "We are thinking of visiting you in the spring if that works for you.",
    "The school play was a triumph and Leo remembered all his lines.",
    "My brother has moved to a small town by the lake and seems very happy there.",
    "The museum has an exhibition of old maps that I could have looked at all day.",
    "I walked along the cliffs early this morning before anyone else was up.",
    "Thank you again for having us to stay, it was a real treat.",
    "The cat has decided that the laundry basket is her new bed.",
    "It has been a strange year, but there have been good moments too.",
    "The bus driver waited for me when he saw me running, which made my day.",
    "We planted three apple trees at the bottom of the garden.",
    "I hope the move went smoothly and that the new house feels like home.",
    "The library has reopened after the floods and looks better than before.",
    "Dad has taken up painting and the kitchen is full of watercolours of boats.",
    "We watched the sun go down from the top of the hill and walked back in the dark.",
    "The market was busy and smelled of fresh bread and oranges.",
    "Please give my love to everyone and tell them I miss them.",
    "I will write again when things have calmed down a little.",
    "The storm last night brought down a branch across the lane.",
    "In the end we chose the blue tiles for the bathroom.",
    "Her talk at the conference was clear, funny and full of good ideas.",
    "We met on Tuesday to go through the results and agreed they look promising.",
    "The plumber came on the 12th and the heating works again at last.",
)

GREETINGS = ("Dear {name},", "Hi {name},", "Dear all,", "Hello {name}!", "Dear {name}")
CLOSINGS = ("Best wishes,", "Love,", "Thanks again,", "Take care,", "Kind regards,", "With love,")

# Lecture notes: "## heading", "* point", "> sub-point" (sub-points go under any point).
NOTES = """
## Photosynthesis
* Takes place in the chloroplasts
* Light reactions in the thylakoid membranes
* The Calvin cycle fixes carbon dioxide
* Rate depends on light, temperature and CO2
> chlorophyll absorbs red and blue light
> water is split and oxygen is released
> glucose is built from carbon dioxide
> the limiting factor is the one in shortest supply
## Supply and demand
* Demand falls as the price rises
* Supply rises as the price rises
* Equilibrium is where the two curves cross
* Shifts are not the same as movements along a curve
> other things held equal
> a tax shifts the supply curve up
> a shortage when the price is below equilibrium
> elasticity measures how strong the response is
## The French Revolution
* Causes were debt, bad harvests and new ideas
* The Estates General met in 1789
* The monarchy fell three years later
* The Terror followed under the Committee
> the third estate paid most of the taxes
> bread prices doubled in a year
> the king was tried and executed
> thousands were sent to the guillotine
## Newton's laws of motion
* A body stays at rest unless a force acts on it
* Force equals mass times acceleration
* Every action has an equal and opposite reaction
> inertia is resistance to a change in motion
> units are newtons, kilograms and metres per second squared
> rockets push gas backwards to move forwards
## Cell division
* Mitosis makes two identical cells
* Meiosis makes four cells with half the chromosomes
* The cell cycle has checkpoints
> prophase, metaphase, anaphase, telophase
> crossing over mixes the genes
> cancer is division without control
## Plate tectonics
* The crust is broken into plates
* Plates move a few centimetres a year
* Most earthquakes happen at plate edges
> convection in the mantle drives the motion
> mountains form where plates collide
> new crust forms at mid ocean ridges
## Memory and learning
* Short term memory holds about seven items
* Sleep helps to consolidate memories
* Spaced practice beats cramming
> rehearsal moves items into long term memory
> the forgetting curve is steep at first
> testing yourself works better than rereading
## Sampling in statistics
* A sample should represent the population
* Random sampling avoids bias
* Bigger samples give smaller errors
> the standard error falls with the square root of n
> stratify when groups differ a lot
> beware of people who choose to answer
"""

# How an explicit action item is written inside notes.
ACTION_PREFIXES = ("TODO:", "TODO -", "Action:", "To do:")


def parse_notes(table: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(heading, points, sub-points) per topic from the compact table above."""
    topics: list[tuple[str, list[str], list[str]]] = []
    for row in table.strip().splitlines():
        tag, text = row[:2].strip(), row[2:].strip()
        if tag == "##":
            topics.append((text, [], []))
        elif tag == "*":
            topics[-1][1].append(text)
        elif tag == ">":
            topics[-1][2].append(text)
    return tuple((h, tuple(p), tuple(s)) for h, p, s in topics)


TOPICS = parse_notes(NOTES)
