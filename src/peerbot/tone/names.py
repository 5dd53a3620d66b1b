"""Which capitalised words in a message are people's names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from peerbot.tone import lexicon as lx
from peerbot.tone.sentiment import VADER_LEXICON as _VADER_LEXICON

__all__ = ["find_names"]

_CAPITALISED = re.compile(r"(?<![\w'-])([A-Z][A-Za-z'-]*)(?=\s+([A-Za-z']+))?")

_NOT_NAMES = frozenset(
    """
    i the a an this that these those my your our his her their its it he she they we you me us
    what why how when where who which there here is are was were do does did can could would
    should will just so and but or if because also then now today tomorrow tonight yesterday
    yes no ok okay well oh hey hi hello thanks thank sorry please maybe honestly seriously really
    everyone everybody someone somebody nobody anyone anybody people class group session module
    next last first some all any every each both not never always sometimes great good welcome
    happy god jesus lord christ monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    english spanish american life work school job home everything nothing something anything
    traffic weather parking wifi internet homework exam quiz test book textbook app form website
    food coffee day week month year meeting zoom phone computer bus train car room office
    policy system government movie show game team song music article post thread chat channel
    server bot name one two three love hate wow lol lmao omg ugh yeah yep nope sure fine
    mom dad mum mother father sister brother husband wife partner boyfriend girlfriend
    supervisor boss trainer teacher doctor nurse therapist counselor cohort snowstorm winter
    summer spring fall autumn christmas holidays thanksgiving url user sir madam mr mrs ms dr
    still though although while since unless until once after before during without about
    """.split()
)
_NAME_FOLLOWERS = frozenset(
    {"is", "was", "has", "had", "really", "always", "never", "just", "got", "said", "did", "thinks",
     "thought", "keeps", "seems", "can", "cannot", "should", "will", "would", "told", "does",
     "totally", "literally", "honestly", "clearly", "obviously", "acts", "acted", "talks", "needs"}
)


def find_names(cased: str, extra: Iterable[str]) -> frozenset[str]:
    """Capitalised words that look like people's names, lower-cased."""
    names = {n.lower().lstrip("@") for n in extra if n}
    for match in _CAPITALISED.finditer(cased, 0, 20_000):
        word = match.group(1)
        if (word.isupper() and len(word) > 1) or len(word) < 2:
            continue
        possessive = word.endswith("'s")
        key = (word[:-2] if possessive else word).lower()
        if key in _NOT_NAMES or key in _VADER_LEXICON or key in lx.PERSON_NOUNS or key in lx.GROUP_NOUNS:
            continue
        if key in lx.JUDGEMENTS or key in lx.PERSON_INSULTS or key in lx.FEELINGS or key.endswith("ing"):
            continue
        k = match.start() - 1
        while k >= 0 and cased[k].isspace():
            k -= 1
        if k < 0 or cased[k] in ".!?":
            # A capital that opens a sentence proves nothing on its own.
            following = (match.group(2) or "").lower()
            if not (possessive or following in _NAME_FOLLOWERS):
                continue
        names.add(key)
    return frozenset(names)
