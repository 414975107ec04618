"""Part-of-speech tags for a post's words: Brill's transformation-based tagger.

The phrase picker needs to know a noun from a verb or an adjective in words no hand
list foresaw ("worthless", "overbooked", "sticker"). Brill's tagger does that with
data alone: a lexicon of each word's most likely tag (Brown corpus, Penn Treebank and
annotated tweets), suffix and prefix rules for unknown words, then rules that change
a tag from its neighbours ("NN → VB after TO"). TextBlob ships those three files;
only the files are read here (``find_spec`` locates the package without importing
it: importing TextBlob would load NLTK and SciPy, seconds per ``amends draft``).

Tags are Penn Treebank's: NN nouns, NNS plural, NNP names, JJ adjectives, VB* verbs,
CD numbers, RB adverbs, IN prepositions, DT determiners, PRP pronouns.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_START = "STAART"  # the rule files' name for the edge of the sentence, both as tag and word
# Tags before which a word in -s is a plural noun: "the", "my", "new", "two".
_NOUNISH = frozenset(("DT", "PRP$", "JJ", "JJR", "JJS", "CD"))
_DESCRIBING = frozenset(("JJ", "JJR", "JJS", "VBN"))
# Object pronouns: a word in -s between a noun and one of these is that noun's verb
# ("the app logs me out", "the site kicks us off").
_OBJECTS = frozenset(("me", "us", "him", "her", "them"))
# Pronouns the lexicon lists as nouns: the word in -s after one is its verb ("nobody
# answers the phone").
_SOMEONE = frozenset(
    ("nobody", "somebody", "anybody", "everybody", "someone", "anyone", "everyone", "noone")
)


@dataclass(frozen=True, slots=True)
class _Lexical:
    """A rule for a word the lexicon lacks: ``when`` (the tag it has now, or "" for
    any), ``test`` and its argument, and the tag it gets."""

    when: str
    test: str
    arg: str
    tag: str


@dataclass(frozen=True, slots=True)
class _Context:
    """Change tag ``old`` to ``new`` where ``test`` holds with ``args`` around it."""

    old: str
    new: str
    test: str
    args: tuple[str, ...]


_REMEMBERED = 50_000  # lookups kept by SortedLexicon: a few MB at most


class SortedLexicon(Mapping[str, str]):
    """The lexicon file's own text, "word TAG" lines sorted by word, read by binary
    search: building a dict of its 94,000 entries took 60-110 ms of every ``amends
    draft`` on a 2-core EPYC, where a post's hundred lookups take about 2 ms."""

    def __init__(self, text: str) -> None:
        self._text = text if text.endswith("\n") else text + "\n"
        # Posts repeat their words; bounded, since a daemon reads endless new spellings.
        self._found: dict[str, str | None] = {}

    @staticmethod
    def sorted_lines(text: str, samples: int = 64) -> bool:
        """Whether ``text`` looks sorted: every line of a short file, else ``samples``
        evenly spaced pairs of neighbouring lines (a file in another order fails at
        once). The installed file is checked whole by the tests."""
        ends = len(text)
        if ends < 4096:
            # Lines end at "\n" alone, as the search reads them.
            words = [line.split(" ", 1)[0] for line in text.split("\n") if line]
            return words == sorted(words) and len(set(words)) == len(words)
        for k in range(1, samples + 1):
            at = text.find("\n", ends * k // (samples + 1)) + 1
            nxt = text.find("\n", at) + 1
            if at == 0 or nxt == 0 or nxt >= ends:
                continue
            if text[at : text.find(" ", at)] >= text[nxt : text.find(" ", nxt)]:
                return False
        return True

    def get(self, word: str, default: str | None = None) -> str | None:  # type: ignore[override]
        if word in self._found:
            found = self._found[word]
        else:
            if len(self._found) >= _REMEMBERED:
                self._found.clear()
            found = self._found[word] = self._search(word)
        return default if found is None else found

    def _search(self, word: str) -> str | None:
        text, lo, hi = self._text, 0, len(self._text)
        # lo and hi are always the starts of lines; the line holding mid is looked at.
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1
            space = text.find(" ", start)
            end = text.find("\n", start)
            if space < 0 or space > end:
                return None  # no "word TAG" line: not a file this reads
            here = text[start:space]
            if here == word:
                return text[space + 1 : end]
            if here < word:
                lo = end + 1
            else:
                hi = start
        return None

    def __getitem__(self, word: str) -> str:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        # Split on newlines only: a few words hold other line-breaking characters.
        return (line.split(" ", 1)[0] for line in self._text[:-1].split("\n"))

    def __len__(self) -> int:
        return self._text.count("\n")


@dataclass(frozen=True)
class Tagger:
    lexicon: Mapping[str, str]
    lexical: tuple[_Lexical, ...]
    contextual: tuple[_Context, ...]

    def tag(self, words: Sequence[str]) -> list[str]:
        """One tag per word, ``words`` being one sentence or clause, in order."""
        listed = [self._known(w) for w in words]  # looked up once: the rules below ask again
        tags = [tag or self._unknown(w) for w, tag in zip(words, listed, strict=True)]
        for i, word in enumerate(words):
            if listed[i] is None:
                tags[i] = self._guess(word, tags[i], _at(words, i - 1), _at(words, i + 1))
        numbers = [i for i, w in enumerate(words) if w[:1].isdigit()]
        for rule in self.contextual:
            check = _CONTEXT_TESTS.get(rule.test)
            if check is None:
                continue
            # A name is written with a capital: rules learnt on news prose ("RB → NNP
            # after NNP") would make "Went with Book Depository instead" one name.
            named = rule.new.startswith("NNP")
            for i in range(len(words)):
                if (
                    tags[i] == rule.old
                    and not (named and words[i][:1].islower())
                    and check(rule.args, words, tags, i)
                ):
                    tags[i] = rule.new
        for i in numbers:  # "2" in "Charge 2" is a number whatever its neighbours say
            tags[i] = "CD"
        # An unlisted word in -s whose stem is a listed verb is that verb ("it misplaces"),
        # unless a determiner or describing word makes it a plural noun.
        for i, word in enumerate(words):
            stem = self._known(word[:-1]) if word.endswith("s") and len(word) > 4 else None
            before = tags[i - 1] if i else ""
            if listed[i] is None and stem in ("VB", "VBP") and before not in _NOUNISH:
                tags[i] = "VBZ"
        # A word listed as a verb right after a plural is its verb ("those tools require"),
        # whatever a rule learnt on prose made of it.
        for i in range(1, len(words)):
            if tags[i - 1] == "NNS" and listed[i] in ("VB", "VBP"):
                tags[i] = "VBP"
        for i in range(1, len(words)):
            after = _at(words, i + 1).lower()
            if tags[i] == "NNS" and (
                (tags[i - 1] == "NN" and after in _OBJECTS) or words[i - 1].lower() in _SOMEONE
            ):
                tags[i] = "VBZ"
            # "my saved templates", "the new updates": a determiner, perhaps with one
            # describing word, makes the word in -s a plural noun, not a verb.
            elif (
                tags[i] == "VBZ"
                and words[i].endswith("s")
                and (
                    tags[i - 1] in ("DT", "PRP$")
                    or (i > 1 and tags[i - 1] in _DESCRIBING and tags[i - 2] in ("DT", "PRP$"))
                )
            ):
                tags[i] = "NNS"
        return tags

    def common_word(self, word: str) -> bool:
        """The lexicon knows the word, or its singular, as a common word rather than a
        name ("kiosks", "new"): a capital on it is only the start of a sentence."""
        low = word.lower()
        for form in (low, low[:-1] if low.endswith("s") else low):
            tag = self.lexicon.get(form, "")
            if tag and not tag.startswith("NNP"):
                return True
        return False

    def _known(self, word: str) -> str | None:
        # Posts capitalise at will ("Currently", "MY ORDER"): the lower-case entry then.
        return self.lexicon.get(word) or self.lexicon.get(word.lower())

    @staticmethod
    def _unknown(word: str) -> str:
        if word[:1].isdigit():
            return "CD"
        return "NNP" if word[:1].isupper() else "NN"

    def _guess(self, word: str, tag: str, before: str, after: str) -> str:
        for rule in self.lexical:
            if rule.when and rule.when != tag:
                continue
            if _lexical_holds(rule, word, before, after, self.lexicon):
                tag = rule.tag
        return tag


def _at(words: Sequence[str], i: int) -> str:
    return words[i] if 0 <= i < len(words) else _START


def _lexical_holds(
    rule: _Lexical, word: str, before: str, after: str, known: Mapping[str, str]
) -> bool:
    n, arg = len(rule.arg), rule.arg
    match rule.test:
        case "hassuf":
            return word.endswith(arg)
        case "haspref":
            return word.startswith(arg)
        case "deletesuf":
            return word.endswith(arg) and word[:-n] in known
        case "deletepref":
            return word.startswith(arg) and word[n:] in known
        case "addsuf":
            return word + arg in known
        case "addpref":
            return arg + word in known
        case "char":
            return arg in word
        case "goodleft":  # the word stands to the left of ``arg``
            return after == arg
        case "goodright":  # the word stands to the right of ``arg``
            return before == arg
    return False


def _tag_at(tags: Sequence[str], i: int) -> str:
    return tags[i] if 0 <= i < len(tags) else _START


_Test = Callable[[tuple[str, ...], Sequence[str], Sequence[str], int], bool]
# Brill's templates: what must hold around word i for its tag to change.
_CONTEXT_TESTS: dict[str, _Test] = {
    "PREVTAG": lambda a, w, t, i: _tag_at(t, i - 1) == a[0],
    "NEXTTAG": lambda a, w, t, i: _tag_at(t, i + 1) == a[0],
    "PREV2TAG": lambda a, w, t, i: _tag_at(t, i - 2) == a[0],
    "NEXT2TAG": lambda a, w, t, i: _tag_at(t, i + 2) == a[0],
    "PREV1OR2TAG": lambda a, w, t, i: a[0] in (_tag_at(t, i - 1), _tag_at(t, i - 2)),
    "NEXT1OR2TAG": lambda a, w, t, i: a[0] in (_tag_at(t, i + 1), _tag_at(t, i + 2)),
    "PREV1OR2OR3TAG": lambda a, w, t, i: a[0] in {_tag_at(t, i - k) for k in (1, 2, 3)},
    "NEXT1OR2OR3TAG": lambda a, w, t, i: a[0] in {_tag_at(t, i + k) for k in (1, 2, 3)},
    "SURROUNDTAG": lambda a, w, t, i: (_tag_at(t, i - 1), _tag_at(t, i + 1)) == a[:2],
    "PREVBIGRAM": lambda a, w, t, i: (_tag_at(t, i - 2), _tag_at(t, i - 1)) == a[:2],
    "NEXTBIGRAM": lambda a, w, t, i: (_tag_at(t, i + 1), _tag_at(t, i + 2)) == a[:2],
    "CURWD": lambda a, w, t, i: w[i] == a[0],
    "PREVWD": lambda a, w, t, i: _at(w, i - 1) == a[0],
    "NEXTWD": lambda a, w, t, i: _at(w, i + 1) == a[0],
    "PREV1OR2WD": lambda a, w, t, i: a[0] in (_at(w, i - 1), _at(w, i - 2)),
    "NEXT1OR2WD": lambda a, w, t, i: a[0] in (_at(w, i + 1), _at(w, i + 2)),
    "WDPREVTAG": lambda a, w, t, i: _tag_at(t, i - 1) == a[0] and w[i] == a[1],
    "WDNEXTTAG": lambda a, w, t, i: w[i] == a[0] and _tag_at(t, i + 1) == a[1],
    "WDAND2AFT": lambda a, w, t, i: w[i] == a[0] and _at(w, i + 2) == a[1],
    "WDAND2BFR": lambda a, w, t, i: _at(w, i - 2) == a[0] and w[i] == a[1],
    "WDAND2TAGAFT": lambda a, w, t, i: w[i] == a[0] and _tag_at(t, i + 2) == a[1],
    "WDAND2TAGBFR": lambda a, w, t, i: _tag_at(t, i - 2) == a[0] and w[i] == a[1],
    "LBIGRAM": lambda a, w, t, i: (_at(w, i - 1), w[i]) == a[:2],
    "RBIGRAM": lambda a, w, t, i: (w[i], _at(w, i + 1)) == a[:2],
}


def _rows(path: Path) -> list[list[str]]:
    """The file's rules or entries, split on white space, without its comments."""
    text = path.read_text("utf-8")
    return [line.split() for line in text.splitlines() if line.strip() and line[0] != ";"]


def read_tagger(folder: Path) -> Tagger:
    """The tagger from a folder holding en-lexicon.txt, en-morphology.txt and
    en-context.txt (word / rule per line, ";" comments)."""
    # 94,000 "word TAG" lines, read on every `amends draft`: searched where they lie
    # when sorted (TextBlob's are), else split once at the space into a dict.
    text = (folder / "en-lexicon.txt").read_text("utf-8")
    start = 0
    while text.startswith(";", start):  # the licence and credits come first
        start = text.find("\n", start) + 1 or len(text)
    body = text[start:]
    lexicon: Mapping[str, str]
    if SortedLexicon.sorted_lines(body):
        lexicon = SortedLexicon(body)
    else:
        pairs = (line.split(" ", 1) for line in body.splitlines() if line and line[0] != ";")
        lexicon = dict(pair for pair in pairs if len(pair) == 2)
    lexical = []
    for row in _rows(folder / "en-morphology.txt"):
        # "ly hassuf 2 RB x" (any word), or "NN s fhassuf 1 NNS x" (a word tagged NN now)
        if row[2].startswith("f") and len(row) >= 5:
            lexical.append(_Lexical(row[0], row[2][1:], row[1], row[-2]))
        elif len(row) >= 4:
            lexical.append(_Lexical("", row[1], row[0], row[-2]))
    contextual = tuple(
        rule
        for rule in (
            _Context(row[0], row[1], row[2], tuple(row[3:]))
            for row in _rows(folder / "en-context.txt")
        )
        if _kept(rule)
    )
    return Tagger(lexicon, tuple(lexical), contextual)


def _kept(rule: _Context) -> bool:
    """Rules that make a noun a verb only after "to" or a modal ("to wait", "will
    charge"). The others ("NN → VBG before a determiner") were learnt on edited prose and
    turn tweets' nouns into verbs ("your report button no worky", "have power near"); on
    the tuning complaints they echoed nothing more."""
    if rule.old.startswith("NN") and rule.new.startswith("VB"):
        return rule.args[:1] in (("TO",), ("MD",))
    return True


def data_folder() -> Path | None:
    """Where the installed TextBlob keeps its English tagger files, if it is installed."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "en"
    return folder if (folder / "en-lexicon.txt").is_file() else None


@cache
def default_tagger() -> Tagger | None:
    """The installed tagger, read once per process; None where its files are missing
    (the phrase picker then falls back on its word lists alone)."""
    folder = data_folder()
    return read_tagger(folder) if folder is not None else None
