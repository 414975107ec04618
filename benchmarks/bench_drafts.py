"""Benchmark: grounded reply drafts on real complaints, scored against hand annotations.

    python benchmarks/bench_drafts.py [--split holdout|dev|dev2|...|dev18|tune|all]
                                      [--show N] [--by-split] [--no-model] [--calls N]

The set is 614 complaints from ``../shared/data/complaints-acl2019/train.csv``
(Preoțiuc-Pietro et al., ACL 2019; nine industries), picked by a hash of their ids,
and 384 from TweetEval (dev12 to dev18, below), annotated by hand in
``benchmarks/data/drafts_eval.jsonl``: the problem phrase a support lead would echo,
the category, severity cues (churn, welfare, theft, ...), whether the post asks a
question and whether it is a reply inside a thread. The
annotation file holds row ids and a hash of each text, never the text: the texts are
real users' posts and are read from the shared data at run time (the benchmark skips
when it is absent, and reports rows whose text no longer matches its hash).

Splits: "dev" (60) was used to tune the categories, phrase ranking and templates. "dev2"
to "dev10" (60 each), "dev11" (the last 14), "dev12" to "dev15" (60 each), "dev16" (the
last 43), "dev17" (60) and "dev18" (the last 41) were the seventeen holdouts that
followed, in order: once a holdout's drafts had been read and graded by hand it no
longer measured anything untouched, so it joined the tuning rows ("tune" is dev to
dev18, 998 rows). The dev-to-holdout gap of round two (echo 80 % on dev, 51 % on its
holdout) showed rules keyed to one split's wording, so changes are judged split by
split: ``--by-split`` prints the main figures for each tuning split side by side, and a
change is kept only when it holds on all of them, not when it lifts one. dev5 to dev11
were drawn as the complaints not among the rows before them with the smallest
``sha256("holdout4:" + id)`` to ``sha256("holdout10:" + id)`` (dev11: all that were
left), annotated blind before they were scored, and scored once before they were read.
The shared half of that data set has no unannotated complaints left, so holdout11 (now
dev12) came from a second source: the negative tweets of TweetEval's
sentiment train and val splits (``../shared/data/tweeteval-sentiment``, SemEval-2017;
other years, other brands, handles anonymised to "@user"), ids ``tweeteval:train:LINE``.
A helper read them in the order of ``sha256("holdout11:" + id)`` and kept the first 60
that a brand's support team could answer (1,722 read, 26 doubtful ones skipped), then
annotated them blind the same way, before any draft was made for them. Scored once (at
da7a884): echo 28/56, category 32/60 (rules alone 26/60), grounding violations 0.
For holdout8, holdout9 and holdout11 a second annotator, blind to the first, also wrote
a phrase for each post (``phrase2``, reported as a second reading): the two agreed (one's
phrase echoes the other's, by the benchmark's echo rule) on 43 of 49, 45 of 54 and 51 of
56 posts the first gave a phrase (88 %, 83 %, 91 %), the ceiling a single phrase can
expect. Holdout12 (now dev13) continued that reading of TweetEval in the same order
(1,791 more read, 24 doubtful skipped), annotated blind, and was scored once at 9db058d:
echo 26/56 (second annotator 24/55, either 27/57; the annotators agreed on 48/56),
category 42/60 (rules alone 31/60), grounding violations 0. (Its drafts, not its posts or
annotations, were printed once by a script that read every split, before that scoring
and with no change made after.) Holdout13 (now dev14) continued the same reading (1,211
more read, 21 doubtful skipped, and one post identical to a dev12 one), annotated blind,
and was scored once at 64e89da: echo 26/58 (second annotator 26/59, either 28/59; the
annotators agreed on 51/58), category 37/60 (rules alone 26/60), grounding violations 0.
Holdout14 (now dev15) continued the same reading (1,534 more read, 29 doubtful skipped),
annotated blind, and was scored once at 7b04147: echo 21/56 (second annotator 23/58,
either 25/59; the annotators agreed on 50/56), category 39/60 (rules alone 30/60),
grounding violations 0. Holdout15 (now dev16) was the rest of that reading: the last
1,147 pool rows, 20 doubtful ones skipped, annotated blind, and scored once at ddb2621:
echo 15/39 (second annotator 14/41, either 15/41; the annotators agreed on 38/39),
category 27/43 (rules alone 25/43), grounding violations 0. That used up the negative
tweets and the ACL half. Holdout16 (now dev17) came from TweetEval's neutral tweets,
where calm complaints and fault reports are filed: two helpers read them in the order of
``sha256("holdout16:" + id)``, the first 8,000 (40 complaints kept, 44 doubtful skipped)
and then 4,453 more (20 kept, 21 doubtful skipped), and annotated the 60 blind; a third
wrote ``phrase2`` blind to both. Scored once at b4dd4a7: echo 30/59 (second annotator
28/59, either 31/59; the annotators agreed on 55/59), category 29/60 (rules alone
19/60), grounding violations 0; the code of the session before (d818d19) scores 29/59
on the same rows. Holdout17 (now dev18) was the rest of that reading: 9,089 more, to the
pool's end, 41 kept and 29 doubtful skipped, annotated blind, ``phrase2`` blind; scored
once at 54e4e9f: echo 9/41 (second annotator 10/41, either 11/41; the annotators agreed
on 37/41), category 23/41 (rules alone 17/41), grounding violations 0; d818d19 scores
9/41. TweetEval's train and val splits are now used up too: "holdout" is empty.
The learned category choice (``benchmarks/fit_categories.py``) is now fitted on every
tuning split, so category accuracy here is its training accuracy; its cross-validated
figure is that script's. Its first fit (dev to dev6) was scored once on each holdout
that followed: holdout6 (now dev7) 40/60 right and 10 wrong-specific, against 35/60 and
12 for the rules alone; holdout7 (dev8) 33/60 and 7, against 34/60 and 13; holdout8
(dev9) 31/60, against 27/60; holdout9 (dev10) 39/60, against 31/60. The refit on all
ten scored holdout10 (dev11): 6/14 and 2 wrong-specific, against 6/14 and 4.
Reported for the chosen split: grounding
violations (claims the complaint does not support, by the checker's rule), echo rate
of the annotated phrase, category accuracy, question and cue recall, checker findings
and seconds per draft (analysis and drafting, encoder warm). ``--show N`` prints the
first N drafts for reading; don't paste them anywhere public, they quote real posts.
``--calls N`` times N whole ``amends draft`` processes instead, one per post: on the
2-core AMD EPYC (avx2, no avx512 nor VNNI), 2026-11-28, ``--split tune --calls 40`` to
``60`` gave medians of 1.28 to 1.46 s and maxima of 1.51 to 2.05 s over seven runs,
with 1 to 24 calls over 1.5 s (the machine's speed moves that much between runs); 0.6
to 0.75 s of each call is Python importing amends and its libraries, 0.15 to 0.2 s
opening the encoder. (The libraries alone, numpy, pydantic, onnxruntime, typer, rich,
jinja2 and tokenizers, take 0.45 to 0.48 s to import; compiling amends' patterns 0.1 s.)
The next day the tagger stopped building a dict of its 94,000-word lexicon (10-13 ms
instead of 69-114 ms), and five runs of ``--calls 40``, the CPU fold beside them
paused, gave medians of 1.19 to 1.32 s and maxima of 1.40 to 1.55 s: one call over
1.5 s in two runs, none in three. An ORT-format copy of the encoder opened no faster
(216 against 184 ms). 2026-11-29, three runs of ``--calls 40`` (the CPU fold paused),
the machine slower that day: medians 1.28, 1.52 and 1.38 s, maxima 1.67 to 1.77 s, 1 to
22 calls over 1.5 s; in the same minute, one post six times each, 1.07 to 1.45 s at
e6a97ae and 1.30 to 1.48 s at 17edeb7 (the new rules cost nothing measurable).
2026-11-29 later, nothing else running: at c4e8fb2 one run of ``--calls 40`` gave a
median of 1.13 s and a maximum of 1.43 s; at e6d28fe (config sections built on
first use, this stop's rules in) two runs gave medians of 1.25 and 1.24 s, maxima 1.46
and 1.45 s, none over 1.5 s; twelve interleaved pairs of one post, c4e8fb2 against
e6d28fe: medians 1.23 and 1.16 s, maxima 1.46 and 1.26 s.
2026-11-29, end of the next round (a02fb6b), nothing else running but the machine slow
that hour: ``--calls 40`` twice gave medians of 1.37 and 1.38 s, maxima 1.76 and 1.65 s,
12 and 7 calls over 1.5 s; interleaved with the round's starting code (1933059) on the
same posts, ``--calls 30``: 1.44 and 1.36 s with 9 and 9 over for the old code, 1.45 and
1.28 s with 7 and 1 over for the new (no slowdown from this round's rules). This sandbox
sets PYTHONDONTWRITEBYTECODE=1, so every call compiled amends' sources again; an
installed package has its bytecode cached, and with it (the variable unset, a first
call writing the cache) two runs of ``--calls 40`` gave medians of 1.18 and 1.24 s,
maxima 1.44 and 1.49 s, none over 1.5 s.
2026-11-29, end of the next round (after 3975491's mends), nothing else running: with
cached bytecode two runs of ``--calls 40`` gave medians of 1.07 and 1.12 s, maxima 1.58
and 1.56 s, one call over 1.5 s in each; without it, one run: median 1.06 s, maximum
1.49 s, none over. Earlier that hour, the machine slower, twelve interleaved calls of one
post gave medians of 1.48 s for d4f651e and 1.47 s for 684abd2 (the round's rules cost
nothing measurable).

"written1" to "written6" (``benchmarks/data/drafts_written.jsonl``, texts included) are
complaints written for this benchmark by helpers who never saw the code or the data: 40
each, fictional brands, fifteen industries, one-liners to 280 characters, typos, amounts,
references, questions, threats to leave, welfare, theft, thread replies, each annotated
by its writer the same way (a phrase copied from the post, category, cues, question,
thread). They need no shared data. written1 was scored once on 2026-11-29, on 17edeb7
plus two mends found on complaints the developer wrote (the "charging me" billing cue; a
lower-case common word that begins a handle is a thing: "my pizza" to @PizzaHut):
echo 21/38, category 26/40 (8 'other'), grounding violations 0, checker findings
edit-before-posting 15, not-specific 3; its 40 drafts graded by hand as a support lead
would: 15 pass, 20 weak, 5 wrong (a theft called a wait, "Thanks for telling us about the
newborn", "the rest of the train" for a conductor who shouted, "Problems with the
internet" where the post says the internet is fine, a missed flight connection read as a
network connection). What was mended from it is general (people alone are no problem
phrase; a thing said to be fine is ruled out; "the rest of" names the thing; theft,
welfare, churn and repeat cues it missed; the person a staff complaint is about named in
the generic draft; a theft is no wait), so written1 is a tuning split from then on;
written2 was kept unread until it was scored once, on b8f0f94: echo 18/38, category
27/40 (4 'other'), grounding violations 0, question 17/17, thread replies 1/3, cues found
(churn 4/5, welfare 4/10, theft 1/2, refund 4/7, repeat 5/11), checker findings
edit-before-posting 13, not-specific 4; its 40 drafts graded by hand: 19 pass, 14 weak,
7 wrong. The wrong ones: "the oat milk put it at risk" (they had asked for oat milk and
got dairy), "Thanks for flagging the fraud line" for £1,450 taken from an account, "the
burst pipe ... stops you getting things done" to an insurance claim, "The backup battery
has let you down" in a power cut, "Thanks for flagging the gate" for security shoving a
child, "I'm sorry the last bus is gone" for a cancelled ferry and a wheelchair user alone
at night, "Thanks for telling us about the replacement bus" where there was none.
What was mended from them made written2 a tuning split too, so a third helper wrote
"written3" the same way, scored once on e6a97ae (every mend above in): echo 19/39,
category 19/40 (9 'other'), grounding violations 0, question 19/20, thread replies 1/3,
cues found (churn 3/5, welfare 6/8, theft 1/3, safety 2/5, refund 4/9, repeat 4/10),
checker findings edit-before-posting 13, not-specific 3; graded by hand: 19 pass, 17
weak, 4 wrong ("the smart meter and the £95" where £95 was the usual bill, "Thanks for
flagging the bottled water" to a street with no water, "I hear you on your daughter's
prom", "Sorting out the driver and the £23" to someone left at a roadside at 1am).
What was mended from written3 (a service named by its departure time, a changed sum,
a supply that is out, cues it missed, and the category model refitted with written1
to written3 in its rows: ``fit_categories.py``) made it a tuning split too, so a fourth
helper wrote "written4" the same way (36 industries, five thread replies), scored once
on 088d632: echo 21/39, category 29/40 (7 'other'), grounding violations 0, question
10/13, thread replies 3/5, cues found (churn 2/3, welfare 5/9, theft 1/2, safety 2/2,
refund 5/6, repeat 2/5), checker findings edit-before-posting 17, not-specific 3;
graded by hand: 15 pass, 20 weak, 5 wrong ("the nut allergy put it at risk", "Thanks for
flagging the bags" where the driver who carried them was praised and the chicken had
gone off, "Problems with the router reset" that did not fix the broadband, "I hear you
on the better buns" echoing a quoted marketing claim, "about the phone" for a man on the
phone who laughed at them). What was mended from written4 (scare quotes, a fix that
didn't fix it, an allergy as culprit, what a post praised before turning, the age of a
thing, welfare said in every travel and generic variant, cues, the category model
refitted with written4) made it a tuning split, and a fifth helper wrote "written5" the
same way (36 industries, four thread replies), scored once on e1dee0d: echo 20/39,
category 26/40 (9 'other'), grounding violations 0, question 14/17, thread replies 2/4,
cues found (churn 1/3, welfare 4/7, theft 0/2, safety 2/3, refund 4/7, repeat 2/6),
checker findings edit-before-posting 17, not-specific 4; graded by hand: 17 pass, 17
weak, 6 wrong ("Thanks for telling us about the pizza" that was fine when the garlic
bread was missing, "left without an answer for 14 minutes" after 2 hours 14 minutes on
hold, "Thanks for flagging your permission" for a number ported by a fraudster, "the aqua
aerobics" a trainer told a 67-year-old to try, "Problems with our app" for a bus 40
minutes late with a child freezing at the stop, "the router reset" again, said after
"did the router reset like you said"). Mended from written5 (a wait said whole, a fix
they did, a thing said fine anywhere, "broadband's", a fault in its own verb, cues, the
category model refitted with written5), then a sixth helper wrote "written6" the same
way (36 industries, five thread replies), scored once on 9133623: echo 19/37, category
30/40 (5 'other'), grounding violations 0, question 14/16, thread replies 2/5, cues found
(churn 2/3, welfare 4/8, theft 0/1, safety 3/4, refund 6/7, repeat 7/8), checker findings
edit-before-posting 10, not-specific 4; graded by hand: 22 pass, 12 weak, 6 wrong ("We
should have done better with your daughter's party" for a missing cake, "Trouble with
the unlit lane" for a driver who frightened a woman alone at 1am, "With the foxes we fell
short" for uncollected bins, the conditions template for a delayed sailing, "I'm sorry
about your order" to a courier's customer who named no order, "the 2 preorders" for the
Nova 2). Mended from written6 (a handle is no evidence, occasions, a number in the
brand's name, "sold out", the category model refitted with written6), then a seventh
helper wrote "written7" the same way (34 industries, four thread replies), scored once
on b2e41c5: echo 21/38, category 29/40 (7 'other'), grounding violations 0, question
12/15, thread replies 2/4, cues found (churn 1/2, welfare 6/9, theft 0/2, safety 2/4,
refund 3/6, repeat 3/8), checker findings edit-before-posting 13, blame 1, not-specific
1; graded by hand, strictly: 19 pass, 10 weak, 11 wrong. Four of the wrong ones are one
fault, a sum or a percentage read without its sign ("the two 35 tickets", "the 125
overcharge and the £125", "the 80 polyester", "your money back for the date (£1,899)");
the others: an account takeover as "your phone number", "the tarp" for an insurance
claim, "Kettle's of grit", "the bus" for an advert at a bus stop, the dealer's "software
glitch" said back as the cause, "the council tax" for uncollected bins, "the wheelchair"
for a manager who turned a wheelchair user away. Mended from written7 (a sum said with
its sign), then an eighth helper wrote
"written8" the same way (35 industries, six thread replies), scored once on 1933059:
echo 25/40, category 23/40 (7 'other'), grounding violations 0, question 11/16, thread
replies 0/6, cues found (churn 2/4, welfare 5/8, theft 1/3, safety 1/3, refund 7/7,
repeat 2/6), checker findings edit-before-posting 12, not-specific 3; graded by hand,
strictly: 20 pass, 12 weak, 8 wrong ("your money back for your account overnight" for
a hacked account, "the room 314 smells", "get hold of us about the ombudsman" for an
open claim, "the bottled water stations" for no water to a home-dialysis patient's
house, "your ring doorbell" for a driver seen taking a parcel back, "your 06:15 to Palma
AT", "the signalling" the customer said was not our fault, "the train" for downloads
taken out of an app). Mended from written8 (quoted speech, thread replies by what they
answer, a care sentence in every category, questions without a mark, cues, a far phrase
dropped, the category model refitted with written7 and written8); "written9" was set
aside unread as the last holdout; then a tenth helper wrote "written10" the same way
(29 industries, six thread replies), scored once on 450871d: echo 28/40, category 29/40
(9 'other'), grounding violations 0, question 15/18, thread replies 3/6, cues found
(churn 2/4, welfare 7/7, theft 1/3, safety 1/3, refund 3/3, repeat 4/7), checker
findings edit-before-posting 14; graded by hand, strictly: 25 pass, 11 weak, 4 wrong
(the conditions template, "DM us where it was", for a toaster that died; "the
childcare" for an inset day announced late; "your cat" for a vet's bill £290 over the
quote; "the trespasser" for a train sat 40 minutes outside a station).
Mended from written10 (praise a post opens with names no category, a time alone that is
late is a service, a quoted reason of theirs, pets, cues, the category model refitted
with written10), then an eleventh helper wrote "written11" the same way (35 industries,
six thread replies), scored once on 5ae820b: echo 24/40, category 28/40 (8 'other'),
grounding violations 0, question 9/18, thread replies 4/6, cues found (churn 3/4,
welfare 3/6, theft 0/2, safety 1/2, refund 4/6, repeat 1/10), checker findings
edit-before-posting 11, not-specific 3; graded by hand, strictly: 21 pass, 14 weak, 5
wrong ("the email password" for a hacked account, "the call" for a £65 missed-
appointment charge after a cancellation, the conditions template for a GP phone queue
with a father's chest pains, "the sea view" the customer said was fine, "the fog" the
customer said we don't control).
Mended from written11 (cues, a quoted excuse, what they say we cannot control, a job
title is a person, a road, "stay safe" for a danger that is past, the category model
refitted with written11), then two more helpers wrote "written12" (32 industries, five
thread replies) and "written13" (34 industries, six thread replies), both scored once on
dde377f. written12: echo 22/40, category 27/40 (6 'other'), grounding violations 0,
question 13/16, thread replies 5/5, cues found (churn 2/5, welfare 3/7, theft 1/2,
safety 2/2, refund 2/6, repeat 8/11), edit-before-posting 15, not-specific 3; graded
23 pass, 11 weak, 6 wrong ("Bramble's lump" for a receptionist's clinical call, the
conditions template for a boiler engineer's no-show, "the accident form" for a toddler's
bump, "the ice packs" for chicken that was off, "the wait for 4 minutes" that was the
thief's, "the sign of the bag"). written13: echo 21/40, category 27/40 (7 'other'),
grounding violations 0, question 14/15, thread replies 6/6, cues found (churn 2/5,
welfare 5/8, theft 2/2, safety 1/4, refund 8/10, repeat 7/11), edit-before-posting 11,
not-specific 2; graded 27 pass, 8 weak, 5 wrong ("the stone" from "stone cold", "our
website" for a street without water, "your train" for a ride-hailing driver 20 minutes
late, "your car" from a caravan's car-park view, "our new vitamin" for a vitamin C serum).
Mended from written12 and written13 (sayings, what a problem cost them, a supply that
is out, a letter inside a name, cues, the category model refitted with both), then two
more helpers wrote "written14" (28 industries, North American customers, six thread
replies) and "written15" (32 industries, six thread replies), both scored once on
f0ac0d9. written14: echo 22/40, category 30/40 (7 'other'), grounding violations 0,
question 11/14, thread replies 5/6, cues found (churn 1/5, welfare 5/8, theft 2/3, safety
1/3, refund 4/5, repeat 5/6), edit-before-posting 14, not-specific 1; graded 24 pass, 10
weak, 6 wrong (the outage template for a driver running red lights, "the new ghost pepper
fries" the post praised, "your roku" for our app, "the winnipeg" for a bag that went on
without its owner, "your camera cash", "the ticket" for a 50-minute lift queue).
written15: echo 22/40, category 27/40 (5 'other'), grounding violations 0, question 9/12,
thread replies 3/6, cues found (churn 1/4, welfare 5/8, theft 2/3, safety 1/2, refund 5/6,
repeat 6/8), edit-before-posting 11, not-specific 2; graded 22 pass, 12 weak, 6 wrong
("the foxes" for uncollected bins, "old's bottles", the air traffic control strike the
customer said was not our fault as what we needed to go to plan, "the ticket service fee
order", "the school bus" for bullying on it, the defect template for a camera stolen from
a bag).
Mended from written14 and written15 (a "+" between things, praise said other ways,
a place between a thing and what went wrong, cues, the category model refitted with
both), then two more helpers wrote "written16" (39 industries, many uncommon: payroll
software, EV charging, bike shares, care homes, funeral directors; six thread replies)
and "written17" (32 industries, a third of the posts calm and polite; five thread
replies), both scored once on c69f7ce. written16: echo 19/40, category 20/40 (8
'other'), grounding violations 0, question 14/17, thread replies 5/6, cues found (churn
1/5, welfare 7/11, theft 2/3, safety 0/2, refund 4/6, repeat 6/8), edit-before-posting
15; graded 25 pass, 7 weak, 8 wrong (the staff template for a payroll run paid twice and
for a gym cable that snapped, "the car" for a breakdown van three hours late with a
family on the roadside, "the NOTHING gluten", "the bag" a security guard searched, a
band's lateness the customer excused as our wait, a care home's staff template for a
resident's stolen ring, "the storm" the customer said was not our fault). written17:
echo 21/40, category 30/40 (8 'other'), grounding violations 0, question 18/18, thread
replies 4/5, cues found (churn 2/4, welfare 7/9, theft 3/3, safety 2/2, refund 5/9,
repeat 6/10), edit-before-posting 12; graded 24 pass, 10 weak, 6 wrong (the conditions
template for a GP phone queue, "the strike" the customer said was not our call, a
security queue they said was not our fault owned as our standard, "the delivery photo"
for a driver taking a parcel back, "your money back for the Gatwick prices", "your bag"
for a security guard who searched it).
Mended from written16 and written17 (what a customer excuses us for, a security guard, a
phone queue, the category model refitted with both). Last, "written9", written blind by
a helper at the start of the round (28 industries, six thread replies) and kept unread
through all of the above, was scored once on 086777d: echo 19/40, category 29/40 (2
'other'), grounding violations 0, question 14/19, thread replies 6/6, cues found (churn
2/4, welfare 6/8, theft 2/3, safety 1/2, refund 3/4, repeat 7/10), checker findings
edit-before-posting 12, not-specific 3; graded by hand, strictly: 24 pass, 9 weak, 7
wrong ("the 3rd branch" for an EpiPen out of stock, "I'm sorry it is down" from "chucking
it down", the conditions template for a cancelled sailing, "the factory reset" they had
tried, the staff template for a treadmill that threw someone off, "your PLAN (ticket
TLV-009931) (£65)", "the hotel" for a building site next door they said was not our
fault).
Mended from written9 once scored (a saying, a count of where they tried, whose alone,
the category model refitted with every written set), then two last helpers wrote
"written18" (28 industries, six thread replies) and "written19" (30 industries, small
local businesses beside big brands, six thread replies), both kept unread and scored
once on the round's last code, bf05177. written18: echo 20/40, category 29/40 (7
'other'), grounding violations 0, question 18/18, thread replies 3/6, cues found (churn
3/4, welfare 5/7, theft 2/2, safety 1/3, refund 3/4, repeat 8/12), edit-before-posting
16, not-specific 3; graded 29 pass, 6 weak, 5 wrong ("your money back for the meter",
"the fraud line" for money taken from an account, the staff template for plastic in a
burger, "the CO alarm has let you down" when it was doing its job, "the hr queue").
written19: echo 21/40, category 31/40 (7 'other'), grounding violations 0, question
17/22, thread replies 4/6, cues found (churn 3/4, welfare 5/9, theft 1/4, safety 0/5,
refund 6/6, repeat 7/8), edit-before-posting 18, not-specific 2; graded 27 pass, 8 weak,
5 wrong ("your money back for your cockapoo", "the £450" that was the quote, not the
£780 bill, "the vouchers" a stranded family never got, "the Exeter stop" for a case
stolen from the hold, "the french ATC strike" the customer said was not on us).
Together: 56 pass, 14 weak, 10 wrong of 80 (70 % pass, 12.5 % wrong).
Mended from written18 and written19 once scored (a quoted price, "isn't on you", a pet
by its breed, vouchers never given, "that's a ..."), the next stop had three more
helpers write "written20" (32 industries), "written21" and "written22" (30 industries),
six thread replies each, all scored once on d4f651e. written20: echo 26/40, category
33/40 (1 'other'), grounding violations 0, question 16/18, thread replies 3/6, cues
found (churn 2/5, welfare 8/9, theft 2/2, safety 2/3, refund 6/6, repeat 6/7),
edit-before-posting 10; graded 27 pass, 8 weak, 5 wrong ("the meter readings" for a £612
estimated bill, read as a thread from "like you asked"; "your money back for the
voucher" they refused; "your money back for the scammer"; "the chance of a goodwill
gesture" and "we fell short" for weather they said was not our fault; "the 3 washes").
written21: echo 26/40, category 33/40 (7 'other'), grounding violations 0, question
16/17, thread replies 3/6, cues found (churn 2/4, welfare 6/7, theft 1/2, safety 1/2,
refund 4/6, repeat 9/12), edit-before-posting 17, not-specific 3; graded 24 pass, 11
weak, 5 wrong ("your money back for the chips" when they asked for the whole order
back, "our Brighton", "the stick" for a woman who fell as a bus pulled away, "your money
back for the emergency", the cancelled flight they said was not on us instead of the
night manager who shut them out). written22: echo 24/40, category 30/40 (2 'other'),
grounding violations 0, question 14/14, thread replies 3/6, cues found (churn 1/4,
welfare 4/9, theft 2/3, safety 1/2, refund 3/5, repeat 7/7), edit-before-posting 9,
not-specific 3; graded 26 pass, 8 weak, 6 wrong (the account template for a watch
stolen from a hotel room, "the bakery" a queue reached back to, "the 8 trip" for the
year 8 trip, "our waiting room", "the 8 12 slot", the staff template for a wet floor a
grandmother slipped on). Together: 77 pass, 27 weak, 16 wrong of 120 (64 % pass, 13 %
wrong), on code that passed 70 % of the last pair.
Mended from those three (an excused cause, money back for what was paid, a place or a
number that says which, injuries, thefts, a supply they are without), two more helpers
wrote "written25" and "written26" (34 industries), scored once on 684abd2 as a check in
the middle of the round. ("written23" and "written24" were written at the round's start
and kept unread as its closing holdout.) written25: echo 23/40, category 32/40 (6
'other'), grounding violations 0, question 18/18, thread replies 3/5, cues found (churn
2/4, welfare 6/13, theft 2/3, safety 3/3, refund 6/7, repeat 2/8), edit-before-posting 11,
not-specific 5; graded 22 pass, 11 weak, 7 wrong ("the toilets" for a manager who sat a
wheelchair user by them, "our colleague", "your daughter's bedroom put it at risk" for
mould in it, "the Ellis Rd store ... hard to find", "the bus station" for a fall from a
bus, "you want the refunds" from an FAQ, "the update" a post opened with). written26:
echo 21/40, category 36/40 (2 'other'), grounding violations 0, question 8/13, thread
replies 4/6, cues found (churn 2/4, welfare 7/9, theft 2/3, safety 2/2, refund 4/6, repeat
5/6), edit-before-posting 10, not-specific 1; graded 28 pass, 8 weak, 4 wrong ("the 20
second loop of vivaldi", the staff template for a manager they asked for and never
reached, "the update" they asked for, the account template for money wanted back in a
bank). Together: 50 pass, 19 weak, 11 wrong of 80 (62.5 % pass).
Mended from written25 and written26 (a policy, a request, a room, a named shop, a sum
said with its thing, the category model refitted with written18 to written26), then
"written23" (29 industries) and "written24" (27 industries), written blind at the round's
start and kept unread through all of it, were scored once on the round's last code,
0b7d409. written23: echo 24/40, category 32/40 (5 'other'), grounding violations 0,
question 9/15, thread replies 4/6, cues found (churn 3/4, welfare 5/9, theft 2/3, safety
2/3, refund 4/4, repeat 4/6), edit-before-posting 12, not-specific 2; graded 23 pass, 11
weak, 6 wrong ("the 14 Ashdown Close" for a streetlight out, "the squat rack" for a
trainer's remark, the generic draft for a gas smell with a newborn and for plastic a
child nearly swallowed, the outage template for a sideboard out of stock, "the blue
badge" for a cycle lane). written24: echo 26/40, category 37/40 (4 'other'), grounding
violations 0, question 16/18, thread replies 3/6, cues found (churn 3/4, welfare 7/8,
theft 1/3, safety 3/3, refund 6/8, repeat 8/10), edit-before-posting 11, not-specific 2;
graded 24 pass, 12 weak, 4 wrong ("the theres rats", "the tonights margherita", the
French ATC strike the customer said was not ours as what we needed to go to plan, "your
money back for the rice" when they asked for the lot back). Together: 47 pass, 23 weak,
10 wrong of 80 (59 % pass, 12.5 % wrong); echo 50/80 and category 69/80, against 41/80
and 60/80 on the last round's closing pair. One commit after it (3975491) mended its
ten wrong drafts in general ways (an address, words run together, staff's words in
quotes, a blue badge, "not blaming you for", a gas smell or plastic in food as safety,
"ever coming back" as stock, "refund the lot"); all ten read right or weak now, but that
reading is tuned, so the figures above stay those of 0b7d409.

2026-11-29, the next round. Helpers wrote five more sets blind at its start: "written27"
and "written28" for the round, "written31" for its middle, "written29" and "written30"
kept unread as its closing holdout. written27 and written28 (31 and 30 industries) were
scored once on 6510b2d. written27: echo 31/40, category 33/40 (6 'other'), grounding
violations 0, question 10/14, thread replies 2/6, cues found (churn 3/4, welfare 8/9,
theft 3/3, safety 1/3, refund 3/3, repeat 4/5), edit-before-posting 12; graded 18 pass,
17 weak, 5 wrong ("sorting out the gift cards" for an account someone got into, "the
Hanley bus station" for a fall from a bus, the generic draft for a CO alarm going off
beside a baby, "the 18:05 to Glasgow" for a bag stolen on it, "the smartphone" for a
clerk who rolled her eyes at a 78-year-old). written28: echo 24/40, category 30/40 (9
'other'), grounding violations 0, question 19/20, thread replies 4/6, cues found (churn
4/4, welfare 6/10, theft 2/2, safety 2/3, refund 3/5, repeat 5/6), edit-before-posting
14, not-specific 2; graded 19 pass, 14 weak, 7 wrong (a theft sentence for "how do i get
into my account?", "to get hold of us about our customer service line", "the asthma" for
black mould, "since the 3rd about the hire car" for a claim unanswered 19 days, "the
flight" they praised before a queue at passport control, the generic draft for water
off beside a father on home dialysis, "the order" from "out of order"). Together: 37
pass, 31 weak, 12 wrong of 80 (46 % pass). This round's grading was stricter again: a
draft that does not say a fault has happened again, when the post says "AGAIN" or "3rd
time this week", is weak.
Mended from those two (a0c1f73: a fault that happened again, a line waited on, the
total wanted back, an account or a bag as the thing, a CO alarm, how staff treated
them), "written31" (32 industries) was scored once on a0c1f73 as the middle check:
echo 28/40, category 35/40 (3 'other'), grounding violations 0, question 10/17, thread
replies 4/6, cues found (churn 0/3, welfare 6/7, theft 4/4, safety 2/2, refund 4/5,
repeat 8/10), edit-before-posting 9, not-specific 3; graded 19 pass, 15 weak, 6 wrong
("Tony's Pizzeria thru" for a cold pizza, "the card" from "no card" for a parcel left
with no one, "the rail" a woman fell into, "your account in Lisbon" for money taken,
"the laptop" for a suitcase someone walked off with, the safety reply for burnt-tasting
coffee).
Mended from written31 and refitted, two more helpers wrote "written32" and "written33"
(28 and 31 industries), scored once on 2b5ca78. written32: echo 28/40, category 33/40 (5
'other'), grounding violations 0, question 14/17, thread replies 5/6, cues found (churn
2/4, welfare 7/9, theft 2/3, safety 2/3, refund 4/6, repeat 10/12), edit-before-posting
10, not-specific 1; graded 20 pass, 14 weak, 6 wrong ("held up for 5 minutes" from a
board's 'delayed 5 mins' shown for 40, the praised till lady for a security guard who
followed someone, the staff template for undercooked pasta beside a praised waiter, the
staff template for a man who fell by an unsigned puddle, "your tyre's split", roadworks
the customer excused as ours to fix). written33: echo 22/40, category 35/40 (3 'other'),
grounding violations 0, question 14/20, thread replies 4/5, cues found (churn 2/3,
welfare 5/8, theft 2/2, safety 2/2, refund 4/6, repeat 7/10), edit-before-posting 7,
not-specific 1; graded 20 pass, 8 weak, 12 wrong ("your manager" (their own boss) as
staff, "your £194.97 back for the confirmation", "your card" for the lad who laughed at
it, "you needed the strike to go to plan" for a strike they excused, "your camera ... in
our care", "our high st branch read", "the Little Oat first infant", the defect template
for their laptop when sync was down, "the binmen" they did not blame, "your dogs stitches
are out" for an 85-minute wait, "staying with us on our colleague", "staying with us on
your PAC code"). Together: 40 pass, 22 weak, 18 wrong of 80 (50 % pass).
Mended from those two (dc06c36), "written34" and "written35" (28 and 33 industries) were
scored once on 17b2eab. written34: echo 30/40, category 33/40 (4 'other'), grounding
violations 0, question 15/16, thread replies 5/6, cues found (churn 3/4, welfare 5/9,
theft 2/3, safety 1/2, refund 4/4, repeat 7/9), edit-before-posting 9, not-specific 2;
graded 26 pass, 10 weak, 4 wrong ("your money back for the new turbo" a used car needs,
the quality template for a detention over uniform socks, "we fell short" for a date
change the customer said was the band's fault, the generic draft for a leaking chiller
an old man slipped on). written35: echo 28/40, category 38/40 (2 'other'), grounding
violations 0, question 11/16, thread replies 2/6, cues found (churn 2/4, welfare 7/10,
theft 2/2, safety 2/2, refund 4/4, repeat 5/10), edit-before-posting 15, not-specific 2;
graded 22 pass, 16 weak, 2 wrong ("your data cap" they dispute being on, "the receipt has
let you down"). Together: 48 pass, 26 weak, 6 wrong of 80 (60 % pass, 7.5 % wrong).
Mended from those two (853a0cf), "written36" and "written37" (32 and 30 industries) were
scored once on 853a0cf. written36: echo 30/40, category 34/40 (6 'other'), grounding
violations 0, question 16/18, thread replies 5/6, cues found (churn 3/4, welfare 7/7,
theft 0/2, safety 3/3, refund 4/4, repeat 4/9), edit-before-posting 5, not-specific 5;
graded 23 pass, 15 weak, 2 wrong (the theft sentence for "absolute scam" said of a
service fee, the conditions template owning a passport queue at Gatwick the customer
said was not ours). written37: echo 27/40, category 32/40 (5 'other'), grounding
violations 0, question 15/17, thread replies 3/6, cues found (churn 3/4, welfare 9/11,
theft 2/2, safety 1/3, refund 6/8, repeat 8/12), edit-before-posting 11, not-specific 3;
graded 19 pass, 15 weak, 6 wrong ("the Mama Rosa's food" they praised, "the warranty has
let you down", "the room hadnt", the quality template for black mould beside a
3-year-old on inhalers, "about the direct debit" they threatened to cancel, "these jeans
split"). Together: 42 pass, 30 weak, 8 wrong of 80 (52.5 % pass, 10 % wrong).
Mended from those two (309d27d to 8f5148c: a price called a scam, both payments back, an
excuse that opens the post), "written38" and "written39" (32 and 30 industries) were
scored once on 8f5148c. written38: echo 19/40, category 33/40 (4 'other'), grounding
violations 0, question 14/16, thread replies 3/6, cues found (churn 3/4, welfare 3/5,
theft 2/2, safety 2/2, refund 4/8, repeat 4/10), edit-before-posting 12, not-specific 1;
graded 20 pass, 14 weak, 6 wrong ("the desk" that was shut, for a flight cancelled at
the gate; "the plain black shoes" for a day in isolation; "the Elm Park" stop; "the 40
invoices" they had to send; "the cut"; "our local store" for a bench out of stock).
written39: echo 20/40, category 32/40 (6 'other'), grounding violations 0, question
13/15, thread replies 4/5, cues found (churn 3/4, welfare 8/9, theft 2/2, safety 3/3,
refund 5/6, repeat 8/10), edit-before-posting 9, not-specific 3; graded 26 pass, 10
weak, 4 wrong ("the 17:52 to Exeter St", "your council tax" for uncollected bins, "your
£34.99 back" when they asked for both payments, "the daylight robbery (£42)"). Together:
46 pass, 24 weak, 10 wrong of 80 (57.5 % pass). Over the round's eleven sets before its
closing pair (written27, 28, 31 to 39, 440 complaints, each scored once): 232 pass, 148
weak, 60 wrong (53 % pass, 14 % wrong).
Mended from those two and refitted (c18b0e2, b3c93d0), then "written29" (32 industries)
and "written30", written blind at the round's start and kept unread through all of it,
were scored once on the round's last code, b3c93d0. written29: echo 26/40, category
33/40 (3 'other'), grounding violations 0, question 16/18, thread replies 5/5, cues
found (churn 1/3, welfare 9/9, theft 2/2, safety 3/3, refund 3/4, repeat 6/8),
edit-before-posting 9, not-specific 3; graded 22 pass, 15 weak, 3 wrong (the generic
draft for a 4-year-old who cut her hand on broken glass in a playground, "your plans
thrown into doubt over the hotel" they asked for, "treadmill 3rd"). written30: echo
27/40, category 34/40 (3 'other'), grounding violations 0, question 11/16, thread
replies 5/6, cues found (churn 3/4, welfare 5/5, theft 1/3, safety 2/2, refund 5/7,
repeat 7/7), edit-before-posting 14, not-specific 2; graded 21 pass, 17 weak, 2 wrong
("I hear you on the headphones" someone on a train did not use, "getting an answer
about your order" to "I DON'T HAVE AN ORDER"). Together: 43 pass, 32 weak, 5 wrong of
80 (54 % pass, 6 % wrong); echo 53/80 and category 67/80, against 50/80 and 69/80 on
the last round's closing pair (47 pass, 23 weak, 10 wrong). One commit after it mended
four of its five wrong drafts in general ways (a cut hand on it, what a cancelled
journey left them without, an ordinal after a machine, what they say they never had);
that reading is tuned, so the figures above stay those of b3c93d0.

The next round opened with "written40" and "written41" (30 and 31 industries), scored
once on a03b0e4, the code the round above ended on. written40: echo 27/40, category
32/40 (7 'other'), grounding violations 0; graded 21 pass, 15 weak, 4 wrong ("your
kettle" in a hotel room, "the landlord" for no hot water beside a baby, the outage
template for a gig whose ticket site crashed, "the queue at YOUR"). written41: echo
28/40, category 31/40 (2 'other'), grounding violations 0; graded 28 pass, 7 weak, 5
wrong (the generic draft with no care sentence for water off beside an 89-year-old, the
conditions template owning an airport security queue, "staying with us on your
contract" they were cancelling, "our outage map" for a power cut, "your doorbell cam"
that filmed the driver). Together: 49 pass, 22 weak, 9 wrong of 80 (61 % pass).
Its closing holdout, "written42" and "written43", was written at the same time and is
kept unread until the round ends. "written44" (31 industries) and "written45" (31),
scored once on a570734: written44 echo 26/40, category 39/40 (1 'other'), grounding
violations 0; graded 25 pass, 11 weak, 4 wrong ("the fraud line" alone for £640 drained
from the account, "sorting out your passport" for an account still restricted, "where
it stands" for the wrong sofa delivered, "our app" for the 12 bus 50 minutes late).
written45 echo 29/40, category 34/40 (3 'other'), grounding violations 0; graded 28
pass, 10 weak, 2 wrong ("your bill (£18)", the price new customers pay; "I'm sorry it
is out" from "sort it out"). "written46" (35 industries) and "written47" (30), scored
once on 3874609: written46 echo 29/40, category 33/40 (4 'other'), grounding violations
0; graded 26 pass, 11 weak, 3 wrong (the safety template saying an adrenaline pen
refill out of stock "put it at risk", "thanks for flagging your pension" they were
moving elsewhere, the stock template "hard to find" for a kettle that switches itself
off). written47 echo 26/40, category 36/40 (3 'other'), grounding violations 0; graded
27 pass, 8 weak, 5 wrong ("the council tax" for bins not emptied, "trouble with the
deluxe edition" for servers down, the theft line for a driver who "drove off with her
half on", "an answer about the freeze card" a chatbot offered, the care sentence for a
hoodie "bobbling like a 10 yr old jumper"). "written48" (28 industries) and "written49"
(32), scored once on 3a10ac8: written48 echo 31/40, category 35/40 (2 'other'),
grounding violations 0; graded 32 pass, 7 weak, 1 wrong ("thanks for the update on the
lack of updates": a first post opening "ok the strike isn't your fault" read as a
thread reply). written49 echo 24/40, category 34/40 (4 'other'), grounding violations 0;
graded 22 pass, 12 weak, 6 wrong ("following up on our app (order 88213)" whose status
line they quoted, "sorting out your PAC code" they threatened to take, "what happened
with your car" they sat in at the port, "the 6 of the 10 self-checkouts", "sorting out
the printer (£38)" for service fees, the safety template for a latte that "tastes like
burnt dishwater"). The printer came from an order effect: the int8 encoder scaled each
batch as a whole and the phrase cache kept the first vector, so the drafts now embed one
text per run (``drafting_embedder``). "written50" (33 industries) and "written51" (30),
scored once on fa6fe25: written50 echo 30/40, category 35/40 (4 'other'), grounding
violations 0; graded 28 pass, 10 weak, 2 wrong ("I hear you on the gardens" for bin
collections missed, "an answer for 45 minutes about our advisor" who hung up on them).
written51 echo 33/40, category 36/40 (2 'other'), grounding violations 0; graded 29
pass, 6 weak, 5 wrong ("the service fees (£145)", the whole order; "your front door put
it at risk" for exposed wiring beside it; "thanks for the update" to "any update?"; the
conditions template owning an airport security queue; "I hear you on your wheelchair"
for bike racks across a dropped kerb). "written52" (30 industries) and "written53" (30),
scored once on 2bc166c: written52 echo 30/40, category 36/40 (3 'other'), grounding
violations 0; graded 31 pass, 5 weak, 4 wrong ("I hear you on the garlic bread" they
praised, "thanks for flagging day's notice", "an answer about our complaint" from our
own words they quoted, "no clear word on the sandwich" for a 5-hour delay). written53
echo 27/40, category 36/40 (1 'other'), grounding violations 0; graded 34 pass, 4 weak,
2 wrong ("sorting out the 1 bed flat (£412)" for an estimated bill, "your car keys
letting you down" stolen from a locker). "written54" (30 industries) and "written55"
(29), scored once on 0015313: written54 echo 30/40, category 34/40 (5 'other'),
grounding violations 0; graded 33 pass, 4 weak, 3 wrong ("I'm sorry about your order"
for a parcel the post never called one, "respect and help from our team over the
smartphone" their dad doesn't own, "your money back for the last update"). written55
echo 26/40, category 40/40 (1 'other'), grounding violations 0; graded 29 pass, 8 weak,
3 wrong ("the bag on the doorstep" for food never delivered, "I'm sorry about the
trainers" they praised, "thanks for flagging the wash" for a jumper ruined by one).
"written56" (31 industries) and "written57" (30), scored once on 064599a: written56 echo
23/40, category 30/40 (7 'other'), grounding violations 0; graded 25 pass, 9 weak, 6
wrong ("thanks for flagging our app" they did use, "what happened with the money" they
had none left of, "the venue 40 miles and the £22", "the vet" they praised, "your
money back for the billing page", "ELSE's booking confirmation"). written57 echo 30/40,
category 34/40 (2 'other'), grounding violations 0; graded 31 pass, 8 weak, 1 wrong
("our warranty line letting you down" for a car in limp mode on the hard shoulder).
"written58" (32 industries) and "written59" (33), scored once on ec4749f: written58 echo
28/40, category 34/40 (6 'other'), grounding violations 0; graded 31 pass, 7 weak, 2
wrong ("where it stands" for a parcel thrown over a gate and soaked, "what you describe
with the gas emergency line" for a CO alarm going off). written59 echo 28/40, category
37/40 (3 'other'), grounding violations 0; graded 27 pass, 11 weak, 2 wrong ("the
driver on the number", the 42 lost; "what you describe with the cone" they said was
missing). Category model refitted on every scored set of the round (d9f8cfb).

**The round's closing holdout**, "written42" (28 industries) and "written43" (29), written
at its start and kept unread until then, scored once on d9f8cfb: written42 echo 25/40,
category 35/40 (5 'other'), grounding violations 0; graded 27 pass, 6 weak, 7 wrong ("I
hear you on the online banking" for a man who laughed at their dad, "plans thrown into
doubt over the Mill Lane roadworks" they had excused, "plans thrown into doubt over the
Holyhead terminal", "what you found with the sea" of a sea view with no sea, "the
lecture notes have let you down" for a sync fault, a generic "I hear you on the
railing" for a child's head wound, "I hear you on Kevin's address" for someone else's
data sent to them). written43 echo 28/40, category 37/40 (2 'other'), grounding
violations 0; graded 32 pass, 4 weak, 4 wrong ("I'm sorry about the driver's proof
photo", "a problem with the Corsa 2 wks", "sorting out your printer and the £18.50",
"your money back for our app (booking WL99120, £62)"). Together: 59 pass, 10 weak, 11
wrong of 80 (74 % pass, 14 % wrong); echo 53/80, category 72/80 (the last closing pair:
43 pass, 32 weak, 5 wrong; echo 53/80, category 67/80). One commit after it mended
four of its eleven wrong drafts in general ways (a "proof" photo, printing on their own
printer, "2 wks" after a car's name, money back for a booking and not the app it was
bought in); that reading is tuned, so the figures above stay those of d9f8cfb.

``benchmarks/phrase_ranker_cv.py`` tried ranking the candidates with a model learned on
these rows, leaving one split out at a time: 519/910 phrases echo against the rules'
507 (tuned on these rows) and a ceiling of 647 for any ranking. The candidates, not
their order, keep the echo rate far from 80 %.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from monitor.classify.embedding import Embedder  # noqa: E402
from monitor.config import DeadlineSettings, DraftingSettings  # noqa: E402
from monitor.core.models import Analysis, Draft, Mention, Priority  # noqa: E402
from monitor.respond.analysis import analyse, category_set  # noqa: E402
from monitor.respond.drafting import draft_for, load_templates  # noqa: E402

ANNOTATIONS = ROOT / "benchmarks" / "data" / "drafts_eval.jsonl"
# Complaints written for this benchmark (fictional brands, no one's real post), with their
# texts: they need no shared data.
WRITTEN = ROOT / "benchmarks" / "data" / "drafts_written.jsonl"
# In the order they were scored; each round's closing holdout last in its round.
WRITTEN_SPLITS = tuple(
    f"written{n}"
    for n in (
        *(*range(1, 23), 25, 26, 23, 24, 27, 28, *range(31, 40), 29, 30),
        *(40, 41, *range(44, 60), 42, 43),  # this round: its closing holdout last
    )
)
DATA = ROOT.parent / "shared" / "data" / "complaints-acl2019" / "train.csv"
# TweetEval tweets (negative and neutral): a second source of complaints, other years and brands.
TWEETEVAL = ROOT.parent / "shared" / "data" / "tweeteval-sentiment"
_TWEETEVAL_ID = "tweeteval"  # ids "tweeteval:train:LINE" / "tweeteval:val:LINE", 1-based
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")
_DETERMINERS = {"the", "a", "an", "my", "your", "our"}
# Read and graded: tuned on, judged split by split.
TUNING = (
    "dev",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
    "dev13",
    "dev14",
    "dev15",
    "dev16",
    "dev17",
    "dev18",
)


@dataclass(frozen=True)
class Row:
    note: dict[str, Any]
    text: str


@dataclass(frozen=True)
class Result:
    row: Row
    analysis: Analysis
    draft: Draft
    seconds: float


def tweeteval_post(line: str) -> str:
    """A TweetEval line as it was posted: the file wraps some tweets in CSV quotes and
    keeps some characters as literal ``\\u2019`` or ``\\"`` escapes."""
    text = line.strip()
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text).replace('\\"', '"')


def tweeteval_tweets(labels_kept: tuple[str, ...] = ("0", "1")) -> dict[str, str]:
    """TweetEval tweets of train and val, by id: the negative ones ("0") and the neutral
    ones ("1"), where a polite complaint or a plain report of a fault is often filed."""
    texts = {}
    for part in ("train", "val"):
        lines = (TWEETEVAL / f"{part}_text.txt").read_text("utf-8").splitlines()
        labels = (TWEETEVAL / f"{part}_labels.txt").read_text("utf-8").split()
        for number, (line, label) in enumerate(zip(lines, labels, strict=True), 1):
            if label in labels_kept:
                texts[f"{_TWEETEVAL_ID}:{part}:{number}"] = tweeteval_post(line)
    return texts


def load_rows(split: str) -> tuple[list[Row], int]:
    """Annotated rows of ``split`` with their texts; and how many texts changed."""
    if split in WRITTEN_SPLITS:
        notes = [json.loads(line) for line in WRITTEN.read_text("utf-8").splitlines()]
        return [Row(n, n["text"]) for n in notes if n["split"] == split], 0
    texts = {r["id"]: r["text"] for r in csv.DictReader(DATA.open(encoding="utf-8"))}
    if TWEETEVAL.exists():
        texts |= tweeteval_tweets()
    rows, drifted = [], 0
    for line in ANNOTATIONS.read_text("utf-8").splitlines():
        note = json.loads(line)
        text = texts.get(str(note["id"]))
        if text is None or hashlib.sha256(text.encode()).hexdigest()[:16] != note["sha256"]:
            drifted += 1
            continue
        if split in ("all", note["split"]) or (split == "tune" and note["split"] in TUNING):
            rows.append(Row(note, text))
    return rows, drifted


def run(rows: list[Row], embedder: Embedder | None) -> list[Result]:
    cats = category_set(DraftingSettings(), embedder)
    templates = load_templates(DraftingSettings())
    out = []
    for row in rows:
        mention = Mention(
            platform="x",
            platform_id=str(row.note["id"]),
            author="customer",
            text=row.text,
            url=f"https://example.com/post/{row.note['id']}",
            created_at=datetime.now(UTC),
        )
        start = time.perf_counter()
        analysis = analyse(mention, embedder=embedder, categories=cats)
        draft = draft_for(
            mention,
            analysis,
            Priority(level="P2", reasons=()),
            signature="Sam",
            support_link=None,
            deadlines=DeadlineSettings(),
            templates=templates,
        )
        out.append(Result(row, analysis, draft, time.perf_counter() - start))
    return out


def echoes(phrase: str, reply: str) -> bool:
    """Every word of the annotated phrase is in the reply (determiners aside)."""
    words = [w for w in re.findall(r"[\w'-]+", phrase.lower()) if w not in _DETERMINERS]
    lower = reply.lower()
    return bool(words) and all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lower) for w in words)


def echo_counts(results: list[Result]) -> tuple[int, int]:
    """Drafts that echo the annotated phrase, and rows that have one."""
    phrased = [r for r in results if r.row.note["phrase"]]
    return sum(echoes(str(r.row.note["phrase"]), r.draft.public_reply) for r in phrased), len(
        phrased
    )


def second_reading(results: list[Result]) -> str:
    """Echo against the second annotator's phrase, and against either annotator's, on
    the rows a second annotator wrote a phrase for (holdout8 and holdout9)."""
    twice = [r for r in results if "phrase2" in r.row.note]
    if not twice:
        return ""
    reply = {id(r): r.draft.public_reply for r in twice}
    second = [r for r in twice if r.row.note["phrase2"]]
    by_second = sum(echoes(str(r.row.note["phrase2"]), reply[id(r)]) for r in second)
    either_rows = [r for r in twice if r.row.note["phrase"] or r.row.note["phrase2"]]
    either = sum(
        any(
            p and echoes(str(p), reply[id(r)])
            for p in (r.row.note["phrase"], r.row.note["phrase2"])
        )
        for r in either_rows
    )
    return (
        f"echo, second annotator's phrase: {by_second}/{len(second)}; either annotator's: "
        f"{either}/{len(either_rows)} (the {len(twice)} rows annotated twice)"
    )


def by_split(results: list[Result]) -> None:
    """The main figures of each tuning split side by side: a change that lifts one
    split and drops another is fitting wording, not generalising."""
    print(f"{'split':<6} {'echo':>11} {'category':>11} {'ungrounded':>10} {'edit':>5}")
    for split in TUNING:
        mine = [r for r in results if r.row.note["split"] == split]
        if not mine:
            continue
        echoed, phrased = echo_counts(mine)
        right = sum(r.analysis.category == r.row.note["category"] for r in mine)
        bad = sum(any(f.code == "ungrounded" for f in r.draft.checks) for r in mine)
        edit = sum(any(f.code == "edit-before-posting" for f in r.draft.checks) for r in mine)
        print(
            f"{split:<6} {echoed:>3}/{phrased:<3}{echoed / phrased:>4.0%} "
            f"{right:>3}/{len(mine):<3}{right / len(mine):>4.0%} {bad:>10} {edit:>5}"
        )


def report(results: list[Result]) -> None:
    n = len(results)
    codes = Counter(f.code for r in results for f in r.draft.checks)
    ungrounded = sum(any(f.code == "ungrounded" for f in r.draft.checks) for r in results)
    echoed, phrased = echo_counts(results)
    right = sum(r.analysis.category == r.row.note["category"] for r in results)
    generic = sum(r.analysis.category == "other" for r in results)
    asked = [r for r in results if r.row.note["question"]]
    answered = sum(
        any(s.startswith("Answer their question") for s in r.draft.followup) for r in asked
    )
    # A question the post does not ask, "answered" in public, reads as not listening.
    unasked = sum(
        any(s.startswith("Answer their question") for s in r.draft.followup)
        for r in results
        if not r.row.note["question"]
    )
    threads = [r for r in results if r.row.note["thread"]]
    read = sum(any(s.startswith("Read the thread") for s in r.draft.followup) for r in threads)
    print(f"drafts: {n}")
    print(f"grounding violations: {ungrounded} (target 0)")
    print(f"echo of the annotated phrase: {echoed}/{phrased} = {echoed / phrased:.0%}")
    if twice := second_reading(results):
        print(twice)
    print(f"category accuracy: {right}/{n} = {right / n:.0%} (generic 'other': {generic})")
    print(
        f"questions picked up: {answered}/{len(asked)}, extra {unasked}; "
        f"thread replies: {read}/{len(threads)}"
    )
    for cue in ("churn", "welfare", "theft", "safety", "refund", "repeat"):
        want = [r for r in results if cue in r.row.note["cues"]]
        got = sum(cue in r.analysis.severity_cues for r in want)
        extra = sum(
            cue in r.analysis.severity_cues and cue not in r.row.note["cues"] for r in results
        )
        print(f"cue {cue:<8} found {got}/{len(want)}, extra {extra}")
    print("checker findings: " + (", ".join(f"{k} {v}" for k, v in codes.most_common()) or "none"))
    seconds = sorted(r.seconds for r in results)
    print(
        f"seconds per draft (analysis + drafting, encoder warm): median "
        f"{seconds[n // 2]:.3f}, max {seconds[-1]:.3f}"
    )


def show(results: list[Result], count: int) -> None:
    for r in results[:count]:
        note = r.row.note
        print(
            f"\n[{note['id']}] want {note['category']} / got {r.analysis.category}"
            f" / phrase {note['phrase']!r}"
        )
        print(f"  post:  {' '.join(r.row.text.split())}")
        print(f"  draft: {r.draft.public_reply}")
        print(f"  found: {', '.join(f.code for f in r.draft.checks) or 'nothing'}")


def time_calls(rows: list[Row], count: int, cache_dir: Path) -> None:
    """Whole ``amends draft`` processes, one per post (the first ``count`` rows), as a
    support lead runs it by hand: start, encoder load, analysis, drafting, output.
    One untimed call first, so the encoder and the categories' embeddings are cached."""
    import subprocess

    # The console script installed beside this Python, as a user would type it.
    amends = str(Path(sys.executable).with_name("amends"))
    command = [amends, "--cache-dir", str(cache_dir), "draft"]
    subprocess.run(
        [*command, "--author", "customer", "--text", "warm up"], check=True, capture_output=True
    )
    seconds = []
    for row in rows[:count]:
        start = time.perf_counter()
        subprocess.run(
            [*command, "--author", "customer", "--text", row.text or " "],
            check=True,
            capture_output=True,
        )
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    n = len(seconds)
    print(
        f"amends draft, whole process, {n} calls: median {seconds[n // 2]:.2f} s, "
        f"90th percentile {seconds[int(n * 0.9) - 1]:.2f} s, max {seconds[-1]:.2f} s, "
        f"over 1.5 s: {sum(s > 1.5 for s in seconds)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split", choices=(*TUNING, "tune", "holdout", *WRITTEN_SPLITS, "all"), default="holdout"
    )
    parser.add_argument("--show", type=int, default=0, help="print the first N drafts")
    parser.add_argument(
        "--misses", action="store_true", help="print only the drafts that miss the phrase"
    )
    parser.add_argument(
        "--by-split", action="store_true", help="also the main figures of each tuning split"
    )
    parser.add_argument("--no-model", action="store_true", help="cue words only")
    parser.add_argument("--cache-dir", type=Path, default=Path("~/.cache/amends"))
    parser.add_argument(
        "--calls", type=int, default=0, help="instead, time N whole `amends draft` processes"
    )
    args = parser.parse_args()
    if not DATA.exists() and args.split not in WRITTEN_SPLITS:
        print(f"skipped: {DATA} is not here (the shared data set sits beside the checkout)")
        return
    rows, drifted = load_rows(args.split)
    if drifted:
        print(f"warning: {drifted} annotated rows are missing or changed in {DATA.name}")
    if not rows:
        print(f"no annotated rows in split {args.split!r} (a fresh holdout is annotated first)")
        return
    if args.calls:
        time_calls(rows, args.calls, args.cache_dir.expanduser())
        return
    embedder: Embedder | None = None
    if not args.no_model:
        from monitor.classify.embedding import drafting_embedder

        embedder = drafting_embedder(args.cache_dir.expanduser())
        embedder.embed(["warm up"])
    print(f"split: {args.split}")
    results = run(rows, embedder)
    report(results)
    if args.by_split:
        by_split(results)
    if args.misses:
        results = [
            r
            for r in results
            if r.row.note["phrase"] and not echoes(str(r.row.note["phrase"]), r.draft.public_reply)
        ]
    show(results, args.show)


if __name__ == "__main__":
    main()
