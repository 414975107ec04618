"""The built-in complaint categories: what each is, how it is recognised.

Each category has a description and example phrases (compared with the
complaint by the MiniLM encoder) and cue words (regex fragments matched at a
word start) for the obvious cases the small encoder blurs. They cover common
complaints across industries: orders, journeys, bags, money, products, people,
apps, accounts, safety, getting hold of support, the state of a place, stock.
"""

from __future__ import annotations

from dataclasses import dataclass

# The specifics key that says whether the post's own words name its category ("named")
# or only the encoder put it there ("inferred"): a draft asserts less on an inference.
BASIS = "category_basis"


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str  # the problem in plain words
    description: str
    examples: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()  # regex fragments, matched at a word start


_B = Category
BUILTIN: tuple[Category, ...] = (
    _B(
        "delivery",
        "late delivery",
        "An order or parcel is late, stuck, sent to the wrong place or never arrived.",
        (
            "where is my parcel, it still hasn't arrived",
            "my order is two weeks late",
            "tracking hasn't updated in days",
            "the delivery never came",
            "my food arrived an hour late and cold",
            "my order still has not been dispatched",
            "the package was sent to the wrong address",
        ),
        (
            r"deliver",
            r"parcel",
            r"package",
            r"tracking",
            r"shipped",
            r"shipping",
            r"dispatch",
            r"never came",
            r"in the post",
            r"out for delivery",
            r"courier",
            r"rider\b",
            r"(meant|supposed|due) to (come|arrive|be delivered|turn up)\b",
        ),
    ),
    _B(
        "delay",
        "delayed journey",
        "A flight, train, bus or ferry is running late or the passengers are kept waiting.",
        (
            "the flight was delayed for hours",
            "my train is late again",
            "we have been sitting on the tarmac for an hour",
            "the bus never showed up on time",
            "you are going to make me late with these delays",
            "why is the train so slow",
        ),
        (
            r"delay",
            r"late\b",
            r"tarmac",
            r"in departures",
            r"sat outside\b",
            r"sat (outside|on|at|in) (the )?(station|platform|runway|plane|train|port|car lanes?)",
            r"running late",
            r"\b(hrs?|hours?|mins?|minutes?) (wait|waiting) (at|in|for)\b",
            r"on time",
            r"(flight|train|bus|ferry)s? .{0,20}(late|slow|held)",
        ),
    ),
    _B(
        "disruption",
        "disrupted journey",
        "A flight, train or service is cancelled, not running, overbooked or the "
        "passengers are stranded or rebooked; a missed connection.",
        (
            "my flight was cancelled",
            "the train service is not running today",
            "we are stranded at the station",
            "missed my connection and nobody rebooked us",
            "the 8am service has disappeared from the timetable",
            "the line is malfunctioning and commuters are stranded",
        ),
        (
            r"cancell?ed (flight|train|service|bus|sailing|ferry|crossing)",
            r"cancell?ed (?-i:[A-Z]{2}\d{2,4})\b",  # "cancelled AV2291 to Lisbon"
            r"cancell?ed (the|my|our) (\d{1,2}[:.]\d{2}\s?([ap]m)?|(flight|train|service|bus|"
            r"sailing|ferry|crossing)\b)",
            r"(flight|train|service|bus|sailing|ferry|crossing) .{0,20}cancell?ed",
            # "the 07:42 to Leeds cancelled": a timetabled departure
            r"\d{1,2}[:.]\d{2}\b.{0,30}\bcancell?ed",
            r"stranded",
            r"missed (my|our|the) connection",
            r"rebook",
            r"overbook",
            r"not running",
            r"cancel(l?ing|s)? (the|my|our) (\d{1,2}[:.]\d{2}|flight|train|sailing|ferry|bus)",
            r"(bus|train|coach|tram|service|number \d+)\b.{0,25}\b"
            r"(hasn'?t|didn'?t|never|did not|has not) (turned|turn|showed|show) up",
            r"diverted",
            # a booked thing called off: "the Year 8 trip was cancelled", "cancelled my lesson"
            r"(trip|event|gig|concert|match|show|class|lesson|appointment|tour|course)s? "
            r"(was |were |has been |have been |been |got |is )?(cancell?ed|called off)|"
            r"cancell?ed (my|our|the|his|her) (\w+ )?(trip|event|gig|class|lesson|appointment)s?\b",
            r"(rail )?replacement (bus|buses|coach|coaches|service)|shuttle bus(es)? instead|"
            r"replaced by (a )?(shuttle )?(bus|buses|coach|coaches)",
        ),
    ),
    _B(
        "luggage",
        "your luggage",
        "A checked bag or suitcase was lost, delayed, damaged or had things stolen from it.",
        (
            "you lost my bag",
            "my suitcase never arrived",
            "my luggage came back damaged",
            "someone stole things from my checked bag",
            "still waiting for my bag three days later",
        ),
        (
            r"luggage",
            r"bags? came (off|back)",
            r"(on|off) the carousel",
            r"baggage",
            r"suitcase",
            r"checked bags?",
            # "bag" alone is often a carrier bag: only with what happens to luggage.
            r"(lost|lose|losing|missing|damaged|delayed|waiting for|where is) (my|our|the) bags?",
            r"bags? (is |are |was |were |still |has |have )*(lost|missing|delayed|damaged|"
            r"not arrived|never arrived|didn'?t arrive)",
            r"bags? (never|didn'?t|did not) (made? it|turn(ed)? up|show(ed)? up|come off)",
            # "landed ... my bag is apparently still in Manchester"
            r"bags? (is |are )?(apparently |somehow |still )+(in|at|sat in|sat at|sitting in) ",
        ),
    ),
    _B(
        "billing",
        "billing problem",
        "A wrong, double or unexpected charge, a refund that "
        "has not arrived, a price or subscription fee problem.",
        (
            "I was charged twice",
            "still waiting for my refund",
            "you overcharged me",
            "unexpected fee on my card",
            "the price went up without notice",
            "you keep taking money after I cancelled",
            "I need a refund for this",
            "the payment didn't go through",
        ),
        (
            r"charge[ds]?\b",
            r"charging (?:me|us|my|our|for|twice|extra)\b",
            r"overcharg",
            r"refund",
            r"(?<!pay a )(?<!pay my )(?<!pay the )(?<!pay your )bill\b",  # paying one is a task
            r"billing",
            r"billed",
            r"invoic",
            r"fee\b",
            r"fees\b",
            r"direct debit",
            r"charging [£$€]\d",
            r"(you'?ve|you have|you) (taken|took) [£$€]\d",
            r"renewal (quote|price|premium)",
            r"debited",
            r"price",
            r"money back",
            r"taking £|taking \$",
            r"[£$€]\d",
        ),
    ),
    _B(
        "defect",
        "faulty product",
        "A product is broken, faulty, stopped working, or keeps failing.",
        (
            "it stopped working after a week",
            "arrived broken",
            "it cracked after normal use",
            "the item is defective",
            "a part snapped off the first time I used it",
            "the battery died after a few months",
            "some of the buttons or keys don't respond",
            "my car turns itself off while driving",
            "the device won't sync or connect",
            "my new laptop does not work",
            "the drivers won't install",
            "the screen has a dimming issue, please fix it",
        ),
        (
            r"broke",
            r"faulty",
            r"fault\b",
            r"defect",
            r"stopped working",
            r"crack",
            r"smashed",
            r"fell apart",
            r"damaged",
            r"soaked",
            r"crushed",
            r"leak",
            r"dead pixel",
            r"doesn'?t work",
            r"not working",
            r"crackl",
            r"battery",
            r"warranty",
            # What a device won't do: "my officejet won't print", "it doesn't turn on".
            r"stopped (charging|heating|cooling|spinning|draining|responding|turning on|pairing)",
            r"(keeps|kept|is|still|constantly) beeping",
            r"(won'?t|doesn'?t|does not|will not|can'?t) (print|charge|turn on|switch on|"
            r"start|boot|power on|pair|scan|hold a charge)",
            r"design ?flaw",
            r"(already|just|gone|went) dead\b",
            r"('s|is|are) (already )?dead\b",
            r"died after",
            r"(engine|warning|dashboard) (management )?light",
            r"(screen|display|monitor|tv|television|bulb|lamp|phone)\W+(\w+\W+){0,2}flicker|"
            r"flicker\w* (screen|display)",
            r"grinding",
            r"(gearbox|engine|clutch|boiler|compressor|motor)('s| has| is)? (been )?"
            r"(gone|packed (up|in)|died|failed|broken)",
        ),
    ),
    _B(
        "quality",
        "what you received",
        "What they got was poor quality, not as described or pictured, incomplete, or the "
        "food was wrong, stale or missing items.",
        (
            "the quality is terrible",
            "it looks nothing like the picture",
            "there was no burger in my burger",
            "my order came with items missing",
            "the food was stale or had gone off",
            "the clothes lost their shape in the wash",
            "the finish came off after one use",
            "it is cheaply made",
        ),
        (
            r"quality",
            r"stale",
            # (mouldy food; mould in a home is the state of the place)
            r"mou?ldy|mou?ld (on|in) (the|my) (bread|food|cheese|fruit|cake|loaf|sandwich)|"
            r"(furry|covered|green|white) with mou?ld",
            r"shrank",
            r"torn",
            r"ripped",
            r"nothing like",
            r"not as (described|pictured)",
            r"missing from",
            r"crawling with|maggots|weevils|moths\b|(insects?|bugs?|a hair|hairs) in (my|the|our)",
            r"cold food",
            r"undercooked",
            # what came was spoilt: "came STONE cold", "lukewarm", "soggy in the middle"
            r"(came|arrived|was|were)( \w+)? (stone[- ])?cold\b|lukewarm|soggy|overcooked|"
            r"inedible|tasteless|rubbery|curdled|raw in the middle|(had )?leaked (into|all over)",
            r"burnt[- ]tast|burnt (coffee|toast|food|pizza|chips|rice|crust)",
            r"wrong (item|size|colou?r|order)",
            r"asked for [^.!?]{1,30}, got\b|\bgot [^.!?]{1,20} instead\b",
        ),
    ),
    _B(
        "staff",
        "how you were treated",
        "A member of staff, agent, driver or representative "
        "was rude, unhelpful, dismissive or behaved badly.",
        (
            "your staff member was rude to me",
            "the agent hung up on me",
            "the manager was condescending",
            "nobody would help me in store",
            "treated like a criminal by the employee",
            "the driver yelled at me",
            "customer care told me too bad",
        ),
        (
            r"rude",
            r"staff",
            r"cashier",
            r"employee",
            # (not "ask to speak to a manager": whom they asked for, not who did wrong)
            # (nor "my manager", their own boss)
            r"(?<!speak to a )(?<!talk to a )(?<!asked for a )(?<!ask for a )(?<!my )manager",
            r"waiter",
            r"attendant",
            r"\brep\b",
            r"reps\b",
            r"representative",
            r"attitude",
            r"condescending",
            r"unprofessional",
            r"swore",
            r"yelled",
            r"laughed at",
            r"(?:shouted|screamed|snapped) at",
            r"humiliat",
            r"belittl",
            r"patroni[sz]",
            r"treated",
            r"refused to (help|serve)",
            r"racist",
            # what the person did, not how they spoke: "driver ended the trip and left me"
            # "the driver left me at the roadside"; "left my parcel on the step" is delivery
            r"(driver|conductor|guard|agent|host|crew|cabbie) (just )?(ended|left (me|us|her|him|"
            r"them|my (mum|dad|son|daughter|wife|husband))|abandoned|dumped|kicked|threw|"
            r"drove off|drove away|refused|ignored|made (me|her|him|us))",
            r"rolled (his|her|their) eyes|eye-?roll",
            r"laughed (at|when|in my face)",
            r"security guard|followed (me|my \w+) (round|around)",
            r"(search|open)(ed)? (my|his|her) bag",
            r"(drove|driven|drives) (straight |right )?past (me|us|her|him|my (son|daughter|kid|"
            r"mum|mom|dad|nan|gran|wife|husband|partner))",
            r"(pharmacist|receptionist|nurse|doctor|dentist|conductor|steward|bouncer|porter|"
            r"concierge|instructor)s? ",
            r"teacher",
            r"told my (son|daughter|kid|child|wife|husband|mum|mom|dad|partner)\b",
        ),
    ),
    _B(
        "contact",
        "getting hold of us",
        "The customer cannot reach support: no reply to messages or emails, long hold "
        "times, no call back, passed around, ignored.",
        (
            "I've been on hold for an hour",
            "nobody replies to my emails",
            "still waiting to hear back from you",
            "I was promised a call back that never came",
            "thanks for ignoring my tweets",
            "I keep getting bounced between departments",
            "live chat is unavailable",
            "the automated phone line won't let me through",
            "still awaiting an answer on my issue",
        ),
        (
            r"on hold",
            r"hold time",
            r"hung up",
            r"call ?back",
            r"ring (?:me )?back",
            r"nobody ever (?:does|answers|calls|rings|replies)",
            r"no (reply|response|answer|respon)",
            r"\b(0|zero|nil) (replies|responses|response|reply|answers?)\b",
            r"\b\d+ (e-?mails|calls|messages),? (and )?(0|no|zero) (replies|responses|answers?)",
            r"(hear|heard|get|got|gotten) back",
            r"ignor",
            r"voicemail",
            r"answer (the|your) phone",
            r"waiting (on|for) (a|an|your) (reply|response|answer)",
            r"bounced",
            r"live chat",
            r"(number|no\.?) ?\d+ in the queue",
            r"got through (at|after)",
            r"caller (number|no\.?) \d+|phone queue",
            r"chat ?bot",
            r"(is there|speak to|talk to) a (real )?(human|person)",
            r"on the phone (with|to|for)",
            r"transferr?(ed|ing)? (me|my call)|transfer (me|my call)",
            r"\b(\d+(st|nd|rd|th)|another|different) (person|agent|rep|advisor)\b",
        ),
    ),
    _B(
        "outage",
        "service problem",
        "The app, website, network, streaming or online service is "
        "down, crashing, showing errors or not loading.",
        (
            "the app is down",
            "your website keeps crashing",
            "error 500 at checkout",
            "the site won't load",
            "streaming keeps stopping",
            "no phone signal or coverage today",
            "online banking is unavailable",
            "is the service down again?",
            "power cuts again this month",
            "it stopped working on my TV two days ago",
        ),
        (
            r"\bdown\b",
            r"outage",
            r"crash",
            r"error",
            r"won'?t load",
            r"not loading",
            r"blank (white )?page",
            r"server",
            r"\bapp\b",
            r"website",
            r"\bsite\b",
            r"something went wrong",
            r"coverage",
            r"signal",
            r"stream",
            r"latency",
            # A utility or connection that is out: "internet has been out", "no power".
            r"(internet|wi-?fi|broadband|power|network|cable|phone line|water supply|gas supply|"
            r"electricity supply)s?(?:'s|’s)? (has |have )?(been |is |are |went )?(out|off)\b",
            r"\b(water|gas)(?:'s|’s| has| is)? (been )?(off|cut off)\b",
            r"no (internet|power|signal|network|wi-?fi|broadband|connection|running water|"
            r"electricity)\b",
            # the supply, not a drink on a stuck plane: "no water in our street since 5am"
            r"no (water|gas) (supply|since|in (our|my|the) (street|area|road|house|flat|building|"
            r"village|town|estate))\b",
            # "still no water in Ashby Close": a place by its name is a street, not a plane
            r"no (water|gas) (at all )?(in|on|at|across) (the whole of )?(?-i:[A-Z])[a-z]+",
            # "not getting power back till the 11th", "lost power", "a power cut"
            r"(power|electricity|internet|wi-?fi|signal|service) (back|restored)\b",
            r"(without|lost) (power|electricity|internet|wi-?fi|signal|water|gas)\b",
            r"power cuts?\b|blackouts?\b",
            r"(not|isn'?t|won'?t|doesn'?t|can'?t) (connect|load|open|play)",
            r"time ?outs?\b|timing out",
            r"(down|broken|not working) for (everyone|anyone|everybody)|for everyone or (just )?me",
        ),
    ),
    _B(
        "account",
        "account access",
        "The customer cannot log in or use their account: password, verification code, "
        "locked, banned, hacked or suspended account, a code that won't apply.",
        (
            "I can't log in to my account",
            "locked out after a password reset",
            "my verification code doesn't work",
            "my account was hacked",
            "my account was suspended or banned",
            "it keeps logging me out",
            "the site no longer recognises that I'm a subscriber",
            "my discount code won't apply",
        ),
        (
            r"log ?in",
            r"logs? me out",
            r"logged (me )?out",
            r"sign ?in",
            r"password",
            r"locked out",
            r"account",
            r"verification code",
            r"reset (email|link|code)s?",
            r"2fa",
            r"two-factor",
            r"hacked",
            r"sim swap",
            r"ported (my|our) number",
            # (not "someone got into our room": a break-in, not an account)
            r"(got|broke|logged|hacked) into (my|our) (?!room|car|van|house|flat|home|shed|garage|"
            r"locker|cabin|caravan|tent|office)",
            r"suspended",
            r"banned",
            r"user not found",
        ),
    ),
    _B(
        "safety",
        "safety issue",
        "Someone was hurt or put at risk: fire, smoke, burns, "
        "electric shock, injury, allergic reaction, food poisoning, choking hazard.",
        (
            "it caught fire",
            "my child nearly choked",
            "I got an electric shock",
            "allergic reaction to food labelled safe",
            "I was injured in your store",
            "this product is dangerous",
            "the car cuts out while I'm driving",
        ),
        (
            r"fire\b",
            r"caught fire",
            r"smok(e|ing)\b",
            # (not "burnt tasting" coffee nor burnt toast: quality)
            # (nor "tastes like burnt dishwater")
            r"(?<!like )(?<!tastes )(?<!tasted )(?<!tasting )"
            r"burn(?!t[- ]tast|t (?:coffee|toast|food|pizza|chips|rice|beans|crust|edges|milk))",
            r"shock\b",
            r"injur",
            r"\bhurt",
            r"allerg",
            r"food poisoning",
            r"poison",
            r"chok",
            r"dangerous",
            r"hazard",
            r"unsafe",
            r"safety",
            r"glass in",
            r"a&e",
            r"hospital",
            r"overheat",
            r"explod",
            r"blew up",
            r"bomb went off",
            r"(smells?|smelt|smelled|smelling) (of|like) (gas|burning)",
            r"gas leak|leaking gas",
            r"burning (smell|plastic)",
            r"pothole",
            r"mugged|assaulted|attacked|stabbed",
            r"felt unsafe|feel unsafe",
            r"threw me off|thrown off|grazed|bruised",
            r"ran (a |\d+ |two |three )?red lights?",
            r"texting (while|the whole|at the wheel)|going to crash",
            r"came off (his|her|my|their) (bike|scooter|motorbike)",
            r"(nearly|almost) (walked|fell|tripped|slipped|stepped)",
            r"smashed (jar|glass|bottle)",
        ),
    ),
    _B(
        "conditions",
        "the state of the place",
        "The state of a store, station, hotel, train or plane: dirty, broken facilities, "
        "long queues, no trolleys, crowded, too hot or cold.",
        (
            "the toilets were filthy",
            "the queue was out of the door",
            "not a single cart available",
            "the room was dirty",
            "the charger sockets on the train don't work",
            "no seats and the carriage was packed",
            "the hotel room was in a nasty state",
        ),
        (
            r"filthy",
            r"dirty",
            r"clean",
            r"queue",
            r"washroom",
            r"toilet",
            r"bathroom",
            r"smell",
            r"crowded",
            r"packed",
            r"sockets?",
            r"\bcarts?\b",
            r"trolley",
            r"air ?con",
            r"showers? (are |is |was |were )?(stone |ice |freezing )?cold|cold showers?",
            r"out of order (signs?|for)\b",
            # a room or a home gone bad: "black mould round the shower", "the carpet is damp"
            r"mou?ld (in|on|round|around|all over|all round|back in) (the|my|our|her|his) "
            r"(\w+'s )?(shower|bathroom|walls?|ceiling|room|bedroom|window|kitchen)|black mou?ld|"
            r"damp and (black )?mou?ld|"
            r"(carpet|walls?|room|bedding|sheets) (is |are |was |were )?damp",
        ),
    ),
    _B(
        "stock",
        "finding what you wanted",
        "An item is out of stock, sold out, not available to buy or preorder, or was "
        "discontinued and they want it back.",
        (
            "why are you always out of stock",
            "it's sold out everywhere",
            "not available to preorder",
            "please bring back the one you discontinued",
            "every location is out of it",
            "never take this off the menu",
        ),
        (
            r"out of stock",
            r"sold out",
            r"in stock",
            r"restock",
            r"ever coming back|coming soon",
            r"bring (it |them )?back(?! to\b)",  # (bringing it back to the store: a return)
            r"never any\b|none left|empty shel(f|ves)",
            r"(nobody|no one|none of (you|them|your \w+)) (has|have|had) (it|them|any|my|the)\b",
            r"(still|been) on (back)?order\b|back-?ordered\b",
            r"discontinu",
            r"preorder",
            r"out of the",
            r"(get|got|getting) rid of",
            r"off the menu",
            r"where (can|do) (i|we) (buy|get|find)",
            r"when will (it|they|(the|these|this|those) [\w ]{1,30}) be (in|available|back)",
        ),
    ),
)
OTHER = Category(
    "other",
    "your experience with us",
    "A complaint about a choice we made: design, taste, "
    "range, opening hours, advertising, marketing, packaging or a policy change.",
    (
        "I don't like the new design",
        "your marketing is annoying",
        "the new rules are worse than the old ones",
        "so much packaging waste",
    ),
)
