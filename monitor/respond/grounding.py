"""Grounding: a reply names only what the complaint supports.

A draft that says "your order" to someone whose bag was lost, or "a delay" to
someone whose cabin was filthy, is wrong however polite it is. Each claim a
reply can make is a pattern; the complaint must hold some evidence for it (its
own words, or words that imply it). The lists are deliberately generous on the
evidence side: the rule is there to catch a claim from nowhere, not to argue
about synonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.core.patterns import compile_fast


@dataclass(frozen=True, slots=True)
class Claim:
    name: str  # what the reply asserts, in the finding's words
    said: re.Pattern[str]  # the claim in a reply
    evidence: re.Pattern[str]  # what in the complaint supports it
    against: re.Pattern[str] | None = None  # what in the complaint makes it false anyway


def _claim(name: str, said: str, evidence: str, against: str | None = None) -> Claim:
    return Claim(
        name,
        compile_fast(said, re.I),
        compile_fast(evidence, re.I),
        compile_fast(against, re.I) if against else None,
    )


# Words that say the thing came: "finally arrived", "this is how my parcel arrives".
_ARRIVED = (
    r"\bfinally (came|arrived|got here|turned up|showed up|delivered)|"
    r"\b(came|arrived|got here|turned up|showed up) "
    r"(today|yesterday|this morning|\d+ \w+ late)|"
    r"\bhow (my|our|the|this) \w+ (arrives|arrived|came|turned up)\b|"
    r"\barrived (damaged|broken|crushed|smashed|open|opened|torn|wet|like this)\b"
)
_MONEY = r"[$£€₹]|\d\s?(usd|gbp|eur|dollars?|pounds?|bucks|rs)\b"
CLAIMS: tuple[Claim, ...] = (
    _claim(
        "an order",
        r"\border(s|ed)?\b",
        r"\border|\bpurchas|\bbought|\bdeliver|\bparcel|\bpackage|\bship|\bdispatch|"
        r"\bcheckout|\bcart\b|\bbasket",
    ),
    _claim(
        "a delivery",
        r"\bdeliver(y|ies|ed)?\b|\bparcels?\b|\bpackages?\b|\bshipments?\b|\bdispatch",
        r"\bdeliver|\bparcel|\bpackage|\bship|\bdispatch|\bcourier|\barriv|\bpost(ed|al)?\b|"
        r"\bmail|\btracking|\bsent\b|\bsend\b",
    ),
    _claim(
        "a purchase",
        r"\bpurchase|\bbought\b|\bpaid for\b|\byou paid\b|\byour money\b|\bspent\b",
        rf"\bbought|\bbuy|\bpurchas|\bpaid|\bpay|\bspent|\bspend|\border|\bprice|\bcost|"
        rf"\bmoney|\brefund|{_MONEY}",
    ),
    _claim(
        "a product fault",
        r"\bfault(y|s)?\b|\bbroken\b|\bbroke\b|\bdefect|\bstopped working|\bnot working|"
        r"\bisn'?t working|\bdoesn'?t work|\brepair|\breplacement",
        r"\bbroke|\bfault|\bdefect|\bnot work|n'?t work|\bstopped|\bquit|\bdead\b|\bdies\b|"
        r"\bdied\b|\bcrack|\bdamag|\bmalfunction|\bwarrant|\bissue|\bproblem|\bswitch(ed|es)? "
        r"off|\bturns? (itself )?off|\bwon'?t|\bcan'?t|\bfix|\bwrong",
    ),
    _claim("the app", r"\bapps?\b", r"\bapps?\b|\bios\b|\bandroid|\bapplication"),
    _claim(
        "the website",
        r"\b(web)?sites?\b|\bonline\b|\bcheckout\b|\bweb ?page",
        r"\bsite\b|\bweb|\bonline|\.com\b|\bpage\b|\bbrowser|\bcheckout|\blink\b|\burl\b|"
        r"\binternet|\bportal|\bsafari|\bchrome",
    ),
    _claim(
        "a charge",
        r"\bcharg(e|es|ed|ing)\b|\bbill(s|ing|ed)?\b|\brefund|\bpayments?\b|\binvoice|\bfees?\b|"
        r"\bmoney\b|\bovercharg",
        rf"\bcharg(e|es|ed|ing)\b|\bovercharg|\bbill|\brefund|\bmoney|\bpay|\bpaid|\binvoice|"
        rf"\bfee|\bprice|\bcost|"
        rf"\bdebit|\bcard\b|\bsubscri|\bplan\b|\bcompensat|\bcredit|\btokens?\b|{_MONEY}",
    ),
    _claim(
        "a booking",
        r"\bbooking|\breservation|\bbooked\b",
        r"\bbook|\breserv|\bticket|\bstay\b|\broom\b|\bseat\b",
    ),
    _claim(
        "a journey",
        r"\bflights?\b|\bjourney|\btrips?\b|\btrains?\b|\bplane\b|\btravel",
        r"\bflight|\bfly|\bflew|\bplane|\bairport|\bgate\b|\btarmac|\btrain|\bjourney|\btrip\b|"
        r"\brail|\bstation|\bbus\b|\btravel|\bservice (from|to)\b|\bferry|\bairline|"
        r"\bcommut|\bseat\b|\bboarding|\bplatform|\bdepart|\bholiday",
    ),
    _claim(
        "a delay",
        r"\bdelay(s|ed)?\b|\blate\b|\brunning late\b|\bslow\b|\bheld up\b|\brun on time\b",
        r"\bdelay|\blate\b|\bslow|\bwait|\bstill\b|\byet\b|\bhours?\b|\bhrs?\b|\bminutes?\b|"
        r"\bmins?\b|\bdays?\b|\bweeks?\b|\bsince\b|\bago\b|\bawaiting|\bon hold|\btarmac|"
        r"\bnot (been )?dispatched",
    ),
    _claim(
        "a wait",
        r"\bwait(ing|ed)?\b|\bstill waiting\b|\bkept waiting\b",
        r"\bwait|\bstill\b|\byet\b|\bhours?\b|\bhrs?\b|\bminutes?\b|\bmins?\b|\bdays?\b|"
        r"\bweeks?\b|\bmonths?\b|\bsince\b|\bago\b|\bawaiting|\bon hold|\bdelay|\blate\b|"
        r"\bno (reply|response|answer|call|respon)|\bnever\b|\bnot\b.{0,30}\b(back|arrived|"
        r"received|dispatched)|\btill now",
    ),
    # "Should have reached you", "where it is": only when they say it hasn't come. A
    # parcel that "finally came" with two copies in it has arrived.
    _claim(
        "something not arrived",
        r"\breached you\b|\b(hasn'?t|not|never|yet to) (arrived|come|reached)|\bwhere it is\b|"
        r"\btrack it down\b",
        r"\bstill\b|\byet\b|\bwhere\b|\bnever\b|\bawaiting|\bwaiting|\blate\b|\bdelay|"
        r"\bmissing|\blost\b|\bsupposed to|\bpromised|\bexpected|\bestimated|\bno sign|"
        r"n'?t (arrived|arrive|come|received|turned up|got|shown up|been (delivered|dispatched))|"
        r"\bnot (arrived|received|here|come|delivered|dispatched)|\bnowhere\b|\bhasn'?t\b|"
        r"\bhaven'?t\b|\bheld up|\bwrong (address|state|place)",
        _ARRIVED,
    ),
    # "Where it stands" fits anything on its way, not a parcel that came damaged.
    _claim("something on its way", r"\bwhere it stands\b", r".", _ARRIVED),
    _claim("a cancellation", r"\bcancel", r"\bcancel"),
    _claim(
        "luggage",
        r"\bbags?\b|\bbaggage\b|\bluggage\b|\bsuitcases?\b",
        r"\bbags?\b|\bbaggage|\bluggage|\bsuitcase",
    ),
    _claim(
        "something lost",
        r"\blost\b|\bmissing\b|\bnever (arrived|came|turned up)",
        r"\blost\b|\blose\b|\bmissing|\bnever (arrived|came|showed|turned up)|"
        r"n'?t (arrived|arrive|come|turned up)|\bnot arrived|\bgone\b|\bwhere (is|are)\b|"
        r"\bwhere'?s\b|\bcan'?t find|\bvanished|\bdisappear|\bnone were there|\bno \w+ (in|on)\b",
    ),
    _claim(
        "a theft",
        r"\bstol(e|en)\b|\btheft\b|\bthie(f|ves)\b|\brobbed\b",
        r"\bstol|\btheft|\bthie|\brob|\bpickpocket|\bscam|\bfraud|\btaken from",
    ),
    _claim(
        "damage",
        r"\bdamag",
        r"\bdamag|\bbroke|\bsmash|\bcrack|\btorn\b|\brip(ped)?\b|\bdent|\bscratch|\bbent\b",
    ),
    _claim(
        "a member of staff",
        r"\bstaff\b|\bteam members?\b|\bcolleagues?\b|\bemployees?\b|\bagents?\b|\btreated\b|"
        r"\bdrivers?\b",
        r"\bstaff|\breps?\b|\bagent|\bemployee|\bmanager|\bdriver|\bcashier|\bworker|"
        r"\btreated|\brude|\btold (me|us)|\bsaid\b|\byelled|\bshout|\bcustomer (care|service)|"
        r"\bguy\b|\blady\b|\bwoman\b|\bcrew\b|\bpilot|\bwaiter|\bwaitress|\bassistant|"
        r"\bsecurity|\bcalled me|\bperson\b|\bracist|\bhung up",
    ),
    _claim(
        "an account",
        r"\baccounts?\b|\blog ?in\b|\bpassword|\bsign ?in\b|\blocked out",
        r"\baccount|\ba/c\b|\blog|\bpassword|\bsign|\blocked|\bprofile|\bsubscri|\bmember|"
        r"\bbanned|\busername|\bcode\b",
    ),
    _claim(
        "a safety risk",
        r"\bsafety\b|\bsafe\b|\bhurt\b|\binjur|\brisk\b|\bdanger|\bhazard",
        r"\bfire\b|\bsmok|\bburn|\bshock|\binjur|\bhurt|\ballerg|\bpoison|\bchok|\bswallow|"
        r"\bdanger|\bhazard|\bunsafe|\bsafe|\bhospital|\bbleed|\bvomit|\bspark|\bscorch|"
        r"\belectrocut|\bturns? (itself )?off while driving|\bbrake|\baccident|\bcrash(ed)? into",
    ),
    _claim(
        "a phone call",
        r"\bon hold\b|\bhold times?\b|\bcall ?backs?\b|\bphone\b|\bcalled\b",
        r"\bhold\b|\bcall|\bphone|\brang\b|\bring\b|\bvoicemail|\bhung up",
    ),
    _claim(
        "a missing reply",
        r"\b(no|our|the) (reply|replies|response|answer)\b|\b(didn'?t|not|never) (get|got|"
        r"getting) back\b|\bheard back\b|\bignored\b|\bslow (reply|response)",
        r"\brepl|\brespon|\banswer|\bhear|\bheard|\bget back|\bgotten back|\bgot back|\bignor|"
        r"\bdms?\b|\bemail|\be-mail|\bmessage|\btweets?\b|\bno one|\bnobody|\bwaiting|"
        r"\bcall|\bchat\b",
    ),
    _claim(
        "being left without word",
        r"\bno (clear )?(word|answer|update|news|information|explanation)\b",
        # asking, or saying no one tells them: "where is it?", "any update", "no info"
        r"\?|\bno (word|answer|update|news|info|explanation|idea|clue|communication)|"
        r"\bno ?(one|body) (knows|told|tells|said|can tell|is telling|answer|repl|respond|"
        r"gets back|got back)|\bnever (answer|repl|respond|heard)|\bnot (been )?told|"
        r"\bin the dark|\bany (update|news|info|word)|\bwhere\b|\bwhy\b|\bwhen\b|"
        r"\bunclear|\bconfus|\bhaven'?t heard|\bno (reply|response)|\bignor|\bstill waiting",
    ),
    _claim(
        "a queue",
        r"\bqueues?\b|\bqueuing\b|\bqueueing\b|\bthe line\b",
        r"\bqueu|\bline\b|\bwait",
    ),
    _claim(
        "cleanliness",
        r"\bclean(ed|ing|liness)?\b|\bdirty\b|\bfilthy\b|\bhygien",
        r"\bclean|\bdirty|\bfilth|\bhygien|\bdisgust|\bgross|\bnasty|\bsmell|\bstain|\bmess\b|"
        r"\bpathetic|\bcondition",
    ),
    _claim(
        "stock",
        r"\bstock\b|\bsold out\b|\bavailab|\bdiscontinu|\bbring (it|them) back\b",
        r"\bstock|\bsold out|\bavailab|\bout of\b|\bfind\b|\bwhere\b|\bbring back|\bdiscontinu|"
        r"\bpreorder|\bcan'?t get|\bno longer|\bgo away|\bmaking\b|\bcraving",
    ),
    _claim("an update", r"\bupdates?\b", r"\bupdat|\bupgrade|\bversion|\bpatch"),
    _claim(
        "an outage",
        r"\b(is|are|being|went|goes|was) down\b|\boutages?\b|\bnot loading\b|\bcrash(es|ing)?\b|"
        r"\berrors?\b",
        r"\bdown\b|\boutage|\bload|\bcrash|\berror|\bunavailable|\bcoverage|\bconnect|"
        r"\bsignal|\bstream|\bnot (seem to be )?working|\bn'?t (seem to be )?working|\bfail|"
        r"\blatency|\bspeeds?\b|\bmaintenance|\bhangs\b|\bfreez",
    ),
    _claim(
        "the quality",
        r"\bquality\b|\bstale\b|\bnot as (described|pictured)\b",
        r"\bquality|\bstale|\bnothing like|\bpicture|\bcrap|\bcheap|\bpoor|\bworn|\bdefect|"
        r"\bnasty|\bterrible|\bno \w+ (in|on)\b|\bmissing",
    ),
)


_HANDLE = re.compile(r"(?<![\w@])@\w+|https?://\S+")


def unsupported(reply: str, complaint: str) -> list[tuple[str, str]]:
    """(claim, words in the reply) for each claim the complaint gives no ground for."""
    found = []
    # A handle is a name, not something they said: "@ParcelPigeon" names no parcel.
    complaint = _HANDLE.sub(" ", complaint)
    said = complaint.lower()
    for claim in CLAIMS:
        match = claim.said.search(reply)
        if match and claim.against is not None and claim.against.search(complaint):
            found.append((claim.name, match.group(0)))
            continue
        # Their own word, echoed back ("the replacement bus"), is always supported.
        if not match or claim.evidence.search(complaint):
            continue
        if not re.search(rf"(?<!\w){re.escape(match.group(0).lower())}(?!\w)", said):
            found.append((claim.name, match.group(0)))
    return found
