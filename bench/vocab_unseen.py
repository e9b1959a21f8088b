"""The "unseen" split's own words, written for it and used by no other split.

Titles use verbs and objects that appear nowhere in the dev/held-out or fresh vocabulary;
continuations, headings, names, prose sentences, letter phrases and lecture notes are new
too (``tests/bench/test_unseen.py`` checks every overlap). Pages of this split are scored
for totals only, at the end of a piece of work: nobody may read its per-page errors, or it
is spent like "fresh" before it.
"""

from __future__ import annotations

from .vocab_pages import parse_notes

TITLES_TABLE = """
Weed: the vegetable patch; the gravel path
Tune: the guitar; the bike gears
Grout: the kitchen splashback; the shower tiles
Varnish: the garden table; the oak floorboards
Insulate: the loft hatch; the outdoor pipes
Calibrate: the bathroom scales; the oven thermometer
Archive: the old project emails; last year's payslips
Digitise: the family slides; the vinyl collection
Rotate: the mattress; the database credentials
Stain: the decking; the pine bookcase
Patch: the hole in the plaster; the inner tube
Unclog: the shower drain; the gutter downpipe
Refill: the bird feeder; the salt for the softener
Declutter: the loft; the wardrobe shelves
Catalogue: the seed packets; the board games
Wrap: the presents for the twins; the fragile glasses
Fertilise: the lemon tree; the flower borders
Service: the boiler; the sewing machine
Tighten: the loose door handle; the wobbly table legs
Glue: the broken mug handle; the loose veneer
Stock up on: flour and sugar; cat litter
Repot: the spider plant; the orchids
Scan: the old passports; the vaccination cards
Migrate: the mailing list; the wiki pages
Document: the deployment steps; the onboarding checklist
Debug: the flaky upload; the memory leak
Estimate: the kitchen refit; the sprint stories
Outline: the keynote talk; the essay on trade
Negotiate: the rent increase; a discount on the sofa
Chase: the unpaid invoice; the missing delivery note
Mop: the hallway floor; the cellar steps
Bottle: the elderflower cordial; the homemade chutney
Knit: a scarf for Granny; the baby blanket
Photograph: the items for resale; the meter readings
Hem: the new curtains; the school trousers
Sand: the window frames; the rusty railings
Fold: the clean towels; the camping chairs
Top up: the bus pass; the tyre sealant
Lubricate: the garage door; the bike chain
Memorise: the alarm code; the lines for the play
Sew: the missing buttons; name tags into uniforms
Rake: the autumn leaves; the moss from the lawn
"""

DESCRIPTIONS = (
    "the spare fuses are in the biscuit tin", "wait until the paint has dried", "the code is taped inside the lid",
    "borrow the long ladder from number nine", "the instructions are in the top drawer", "wear a mask for the dust",
    "keep the old parts just in case", "the sample is in the porch", "ask for the trade price",
    "do it before the rain comes", "the spare key is under the pot", "two coats should be enough",
)
HEADINGS = ("Still to sort", "House jobs", "Before the move", "Bits and bobs", "Allotment", "Admin",
            "Loose ends", "Project Falcon")
NAMES = (
    "Aroha", "Bjorn", "Camila", "Dmitri", "Esther", "Fiona", "Gustavo", "Hiroshi", "Isabel", "Jamal",
    "Katya", "Lorenzo", "Mariam", "Niamh", "Obinna", "Paulina", "Quentin", "Rania", "Stefan", "Tamsin",
    "Ulrich", "Valentina", "Wendell", "Ximena", "Yusuf", "Zainab", "Anders", "Beatriz", "Cormac", "Dalia",
    "Emil", "Freya", "Gideon", "Hamid", "Ilse", "Joaquin", "Keira", "Lars", "Mihai", "Nkechi",
    "Orla", "Pedro", "Rashida", "Simone", "Teodor", "Uma", "Vikram", "Wanjiru", "Yara", "Zoltan",
    "Agnes", "Callum",
)

SENTENCES = (
    "The ferry crossing was rough, and half the passengers spent it out on deck.",
    "We found a tiny bookshop in the old town that sells only poetry.",
    "My sister has taken up rowing and is out on the water before dawn.",
    "The new kitchen is finished at last and the house smells of sawdust.",
    "I spent the afternoon sorting through old letters from our grandparents.",
    "The orchestra played a piece I had never heard and it moved me to tears.",
    "Our street held a party and someone wheeled a piano out onto the pavement.",
    "The hike up to the waterfall took longer than the guidebook promised.",
    "I have joined a choir that meets in the church hall every other evening.",
    "The baby is sleeping better now, which means we are too.",
    "The fog was so thick this morning that the trees looked like ghosts.",
    "Uncle Pete told the same story about the goat three times at dinner.",
    "We borrowed a tent from friends and camped beside a quiet lake.",
    "The lecture on ancient astronomy was packed and ran well over time.",
    "The tomatoes in the greenhouse have finally turned red.",
    "It was wonderful to hear your voice on the phone after so long.",
    "The city feels different in the evening when the lamps come on.",
    "I have been sketching the birds that visit the feeder outside my window.",
    "The new manager seems fair, though she is very keen on spreadsheets.",
    "We got lost twice on the way to the wedding but arrived just in time.",
    "The bakery down the road makes cinnamon buns that are worth the queue.",
    "My old teacher recognised me in the supermarket after twenty years.",
    "The river burst its banks and the footpath is still under water.",
    "I am slowly getting used to the quiet of the countryside.",
    "Our team won the quiz by a single point, to everyone's surprise.",
    "The paintings in the gallery were bright and strange and wonderful.",
    "I hope your exams went well and that you can rest a little now.",
    "The house is very quiet now that the children have gone back to university.",
    "We saw a fox crossing the car park in broad daylight.",
    "The snow turned to slush by lunchtime, much to the children's dismay.",
    "Do write back when you have a moment and tell me all your news.",
    "I keep your postcard from the mountains pinned above my desk.",
    "On Thursday we drove out to see the lavender fields in bloom.",
    "The review on the 3rd went smoothly and nobody asked about the budget.",
)

GREETINGS = ("My dear {name},", "Hey {name},", "Dearest {name},", "Hello everyone,", "{name} -")
CLOSINGS = ("All the best,", "Warmly,", "Cheers,", "Yours,", "Much love,", "Speak soon,")

NOTES = """
## The water cycle
* Water evaporates from oceans and lakes
* Vapour condenses into clouds as it cools
* Precipitation returns water to the ground
* Rivers carry it back to the sea
> the sun supplies the energy
> plants add water by transpiration
> snow can store water for months
> groundwater moves very slowly
## Roman roads
* Built for armies to move quickly
* Layers of stone, gravel and sand
* Milestones marked the distance to Rome
> straight lines wherever the land allowed
> a camber let the rain run off
> many modern roads follow the same routes
## Sound waves
* Sound is a longitudinal wave
* It needs a medium to travel through
* Pitch depends on the frequency
* Loudness depends on the amplitude
> faster in water than in air
> humans hear roughly twenty hertz to twenty kilohertz
> echoes are reflected sound
## Sleep and health
* Adults need seven to nine hours
* Deep sleep repairs the body
* Dreams happen mostly in REM sleep
> screens late at night delay sleep
> caffeine lasts for hours
> a regular bedtime helps most
## Volcanoes
* Magma rises through cracks in the crust
* Shield volcanoes have gentle slopes
* Composite cones erupt explosively
> lava is magma that reaches the surface
> ash clouds can ground aircraft
> volcanic soil is very fertile
"""
TOPICS = parse_notes(NOTES)
