"""Crisis by meaning parts: what a person in crisis says, in the many ways they say it.

Whole phrases ("I want to kill myself") miss most of how people actually write:
plans with no death word ("the belt is already on the hook"), goodbyes and
affairs put in order ("if anyone wants my art supplies dm me"), self-harm
relapse ("relapsed on sh last night"), slang and typos ("ctb", "unalive",
"kil myslef"), second-language grammar ("for me is better to not exist").

Each family below recognises one part of meaning. Some parts are a crisis on
their own, said by the writer (``STRONG``); the others are a crisis only
together with a part of another family in the same stretch of text (a
goodbye and a time, a means and a preparation). The names of the families
that fired are the cues moderators and the report see.

Written from scratch as families of language; nothing here is copied from
the blind batches or the benchmark sets.
"""

from __future__ import annotations

import bisect
import functools
import re

from peerbot.tone.phrases import PhraseBook, Scan

__all__ = ["PHRASE_GROUPS", "find_parts", "may_match"]

_I = r"(?:i|i'm|im|i've|ive|i'll|ill|i'd|id|me|my|myself)"
_MYSELF = r"(?:my ?s[ea]?l?e?[lfv]{1,2}|my ?slef|my ?sefl|mysel|meself|my ?self)"
_KILL = r"(?:kill|kil|kll|klil|kiil)"
_SOON = (
    r"(?:tonight|tonite|tomorrow|tmrw|tmr|today|rn|right now|this (?:weekend|week|friday|saturday|sunday|monday|tuesday|wednesday|thursday)|"
    r"(?:on |after |by |before )?(?:monday|tuesday|tues|wednesday|thursday|friday|saturday|sunday)|after (?:this|today|tonight|the weekend|exams?)|"
    r"(?:after|before|by) (?:the )?\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:this|the|next) month|when (?:it'?s|its) dark|soon|later tonight|in a few (?:hours|days)|next (?:week|tues\w*|monday|friday)|(?:once|after|when) the (?:first|end) of the month)"
)

# Each family: name -> (patterns, strong alone).
FAMILIES: dict[str, tuple[tuple[str, ...], bool]] = {
    # Saying it outright, in slang or with typos.
    "intent": (
        (
            rf"\b{_KILL} {_MYSELF}\b",
            r"\b(?:kms|ctb|catch(?:ing)? the bus)\b",
            r"\bsewer ?slid(?:e|ing)\b|\bsewer ?side\b|\bsu[i1]c[i1]d(?:e|ing)\b(?= (?:tonight|today|soon|this|rn))",
            r"\b(?:unalive|unaliving|un-alive)\b",
            r"\b(?:delete|deleting|erase|erasing|remove|removing) (?:my ?self|me) (?:from (?:existence|this world|the world|life)|for good|permanently)\b",
            rf"\b(?:off|neck|rope|yeet) {_MYSELF}\b",
            r"\b(?:end|ending|finish|finishing) (?:my ?self|my life|my own life)\b",
            r"\bmy life is finish\b",
            r"\b(?:for me )?(?:is|it'?s|its) better (?:for me )?(?:to )?(?:not (?:exist|live|be (?:here|alive))|to die|if i (?:die|am not here|was not here))\b",
            r"\bi (?:want|wanna|wish to|like to|need to) (?:not exist|stop to exist|stop existing|no more live|not live anymore|die now)\b",
            r"\bno (?:want|wish) (?:to )?(?:live|to live|be alive)\b",
            r"\bi (?:don'?t|do not) (?:believe|think) i (?:want|wanna) to be (?:here|around|alive)\b",
            r"\b(?:see )?no (?:sense|point|reason) (?:in )?(?:carrying on|going on|living|continuing|being here)\b",
            r"\b(?:would|'d|i'd) (?:rather|just as soon) (?:just )?(?:be gone|vanish|disappear|be dead|not be here|not wake up)\b",
            r"\b(?:quickest|quietest|easiest|best|least painful|painless) way (?:for (?:\w+ ){1,3})?to go\b",
            r"\bwon'?t (?:much )?matter what (?:becomes|happens) (?:of|to) me\b",
            r"\b(?:cannot|can not|can'?t|not can) (?:more|continue(?: more)?|go on more)(?= *(?:[.!?,]|$))",
            r"\b(?:more )?better (?:for (?:\w+ ){1,2})?if i (?:am |was |were |be )?(?:not|no) (?:here|alive|more)\b",
        ),
        True,
    ),
    # Wanting, deciding or planning, and the ending it is about.
    "plan": (
        (
            rf"\b(?:planning|plan|planned|decided|deciding|going|gonna|ready|about|want|wanna|tryna|trying)(?: to)? (?:{_KILL} {_MYSELF}|end it(?: all)?|end (?:things|everything)|(?:off|hang|drown|shoot) {_MYSELF}|od|overdose|unalive|ctb|jump(?= *(?:[.!?,]|$| off| from| in front))|do it(?= *(?:[.!?,]|$| tonight| today| this| soon| rn)))",
            r"\bi(?:'m| am|m)? (?:actually |really |finally |just )?(?:gonna|going to|about to|ready to) do it\b",
            r"\b(?:picked|chosen|chose|found|know|scoped out|worked out|figured out) (?:the|a|my|which|where|when|how)\b[^.!?]{0,25}\b(?:spot|place|bridge|overpass|roof|building|day|date|night|time|way|method|number|dose)\b",
            r"\bfound a (?:number|way|spot|place|method)\b",
            r"\bi think i(?:'m|m| am) (?:actually |really |finally )?(?:gonna|going to)\s*(?:[.!?]|$)",
            r"\b(?:feels|seems|looks) like the (?:plan|only way|answer|way out)\b",
            r"\bhow many (?:of )?(?:my |the |those |these )?(?:\w+ )?(?:pills|tablets|meds|zoloft|sertraline|prozac|lexapro|xanax|tylenol|paracetamol|advil|ibuprofen|benadryl|it) (?:it )?(?:would|will|to|does it|do i need to) (?:take|kill|be enough|do it)\b",
            r"\b(?:googl(?:e|ing|ed)|looked up|looking up|researching|searched|searching) (?:how|what|the (?:fastest|easiest|quickest|least painful)|ways to|painless)\b",
            r"\b(?:i'?ve|i have|i) made up my mind\b",
            r"\bhelp (?:it|the answer|things|god|nature) along\b|\b(?:choose|chose|choosing|pick|picked) the day\b",
            r"\b(?:sav(?:e|ing)|spar(?:e|ing)) (?:\w+ ){0,2}the (?:trouble|bother|burden)\b",
            r"\b(?:think|thinking) (?:to|of|about) (?:jump|jumping|hang|hanging|kill|killing|cut|cutting|overdose|drown|drowning)\b",
            r"\bi know (?:the|which|what|where the) (?:tree|place|spot|bridge|building|way|exit|day)\b",
            r"\bdoing it (?:tonight|tomorrow|today|this|on|after|when|\w+day)\b",
            r"\b(?:i )?decide(?:d)? already\b|\bmy decision is (?:make|made|taken|final)\b",
        ),
        False,
    ),
    # The means, at hand.
    "means": (
        (
            r"\b(?:belt|rope|noose|cord|cable|scarf)\b[^.!?]{0,30}\b(?:hook|beam|rafter|ceiling|closet rod|door|banister|tied|ready|around my neck)\b",
            r"\b(?:blade|razor|razors|knife|box ?cutter|lighter)\b",
            r"\b(?:pills|tablets|meds|zoloft|sertraline|prozac|lexapro|xanax|tylenol|paracetamol|the bottle|sleeping pills|insulin|oxys|oxycodone|oxycontin)\b",
            r"\b(?:gun|pistol|rifle)\b(?! control| laws?| rights| owners| violence| shows?| safety)",
            r"\b(?:bridge|overpass|roof|rooftop|ledge|tracks|train tracks|cliff|parking garage|top floor)\b",
            r"\b(?:revolver|shotgun|handgun|firearm)\b",
            r"\bengine running\b",
            r"\bstart(?:ing)? the car\b[^.!?]{0,30}\bgarage\b",
            r"\bgarage\b[^.!?]{0,40}\b(?:door down|start(?:ing)? the car)\b",
            r"\b(?:sleeping )?pill\b",
            r"\bwindow\b[^.!?]{0,30}\bfloor\b",
        ),
        False,
    ),
    # Getting ready: saved up, set up, already there.
    "preparation": (
        (
            r"\balready (?:on|in|set up|tied|hung|ready|picked|bought|saved|written|wrote|there|counted|laid out)\b",
            r"\b(?:saved|saving|stockpil\w+|hoard\w*|collect\w*|stash\w*) (?:up )?(?:enough|all|my|them|a lot)\b",
            r"\b(?:got|have|bought) enough\b",
            r"\b(?:stood|standing|sat|sitting|stand) (?:there|on (?:it|the edge)|at the edge|on the ledge)\b",
            r"\blooked down\b|\blooking down\b",
            r"\bgoing back (?:tonight|tomorrow|later|there)\b",
            r"\b(?:been )?(?:driving|going|walking) (?:out )?there every (?:evening|night|day)\b",
            r"\b(?:wrote|written|writing|left) (?:the |my |a )?(?:letters?|notes?)\b[^.!?]{0,40}\b(?:find|found|read|for (?:my|them|everyone|mom|dad))\b",
            r"\b(?:letters?|notes?) (?:where|for) (?:they|my family|mom|dad|everyone)\b",
            r"\bcounted (?:them|out|the)\b",
            r"\bnot calling anyone\b|\bdon'?t (?:try to )?(?:stop|call|find) me\b",
            r"\b(?:holding|hold|held|taking (?:it|them) out)\b[^.!?]{0,20}\b(?:at night|a while|in my hand|in my lap)\b",
            r"\bhave what i need (?:put aside|set aside|ready|saved|put away)\b|\b(?:put|set) aside\b",
            r"\b(?:written|wrote|writing) (?:\w+ )?letters? to (?:each of )?my\b",
            r"\b(?:i'?ve|i have) seen to everything\b|\b(?:papers|affairs) in order\b",
            r"(?:^|(?<=[.!?,] )|\bi |\bi've |\bive |\bjust |\balready |\bfinally )(?:buy|bought|got|get|have) (?:a |the |my )?(?:rope|noose|gun|pills?|blade|razor|knife|charcoal)\b(?! control| laws?| rights| owners| violence)",
            r"\bin my hand (?:now|right now)\b|\ball the (?:box|bottle|pack)\b",
            r"\b(?:door is lock(?:ed)?|locked the door)\b",
            r"\bi have (?:all )?ready\b",
            r"\b(?:only|just) wait(?:ing)? (?:for )?my \w+ (?:go|to go|leave|to leave)\b",
        ),
        False,
    ),
    # Goodbyes: last words, thanks for everything, deleting oneself from places.
    "farewell": (
        (
            r"\b(?:last|final) (?:msg|message|post|text|time (?:you'?ll|u'?ll) hear)\b",
            r"\b(?:bye|goodbye|byebye|farewell)(?: (?:all|everyone|every1|guys|yall|y'all|friends|forever|for good|world))?\b(?! (?:for now|till|until|tmrw|tomorrow|later|see))",
            r"\bdeleting (?:all )?my (?:socials|accounts?|profiles?|posts|discord|insta|tiktok)\b",
            r"\bthank(?:s|x| you)? (?:for (?:everything|being (?:there|cool|kind|my friends?|nice)|putting up with me)|all for everything)\b",
            r"\b(?:you|u|yall|y'all) (?:guys |all )?(?:were|was) the best (?:part|thing)\b",
            r"\blove (?:you|u|yall|y'all) all\b",
            r"\bsorry in advance\b",
            r"\bwho(?:ever)? (?:has|have|will have|is going to have|is gonna have) to (?:find|clean)\b",
            r"\b(?:you|u|yall|y'all|nobody|no one|none of (?:you|u)) (?:didn'?t|did not|didnt) do anything wrong\b|\b(?:it'?s|its|this is) not (?:your|anyone'?s|anybodys) fault\b",
            r"\bremember me\b|\bdon'?t be sad\b|\bplease don'?t blame\b",
            r"\b(?:doesn'?t|didn'?t|won'?t|don'?t|dont|doesnt|didnt|wont) (?:get|understand|know|realize) what i (?:meant|mean)\b",
            r"\b(?:only |just )?want(?:ed)? to say thank you\b",
            r"\bkinder to me than i deserved\b|\bbetter than i deserved\b",
            r"\bi won'?t be back\b",
            r"\btell (?:the |everyone|them|my )(?:\w+ ){0,3}i'?m (?:grateful|sorry|thankful)\b",
            r"\b(?:some of )?(?:you|u) (?:will )?(?:understand|know) what i mean\b",
            r"\bthank(?:s| you)? (?:all |everybody |everyone )?for help(?:ing)? me\b",
            r"\b(?:you are|you're|your) (?:good|kind|nice) people\b",
            r"\bi (?:not|won'?t|will not|don'?t|do not) come back (?:more|anymore|again|no more)\b",
            r"\bforgive me (?:everybody|everyone|all|please)\b",
            r"\b(?:she|he|they|you) will understand (?:later|one day|someday|after)\b",
        ),
        False,
    ),
    # Putting affairs in order: giving things away, cancelling the future.
    "affairs": (
        (
            r"\bif anyone wants my\b",
            r"\b(?:giving|give|gave|gonna give|going to give) (?:away )?(?:all )?my \w+(?: \w+)? (?:away|to)\b",
            r"\bclearing out my (?:room|stuff|things|place)\b",
            r"\btake care of (?:\w+ ){0,3}(?:if|when) (?:anything|something) (?:happens|were to happen|happened)\b",
            r"\b(?:look after|take care of|feed|keep) my (?:cat|dog|pets?|fish|bird|plants|kids)\b[^.!?]{0,30}\b(?:when i'?m gone|after|if anything)\b",
            r"\bcancel(?:l?ed|l?ing|s)? (?:my |all my |all |the )?(?:therapy|appointments?|sessions?|plans|dentist|doctor|classes|subscriptions?)\b",
            r"\bno (?:point|need|use) (?:in )?(?:booking|planning|scheduling|making plans|signing up|buying|renewing)\b",
            r"\b(?:made|wrote|updated|sorted) (?:out )?(?:my |a )?will\b",
            r"\bpasswords? (?:are )?(?:in|on) (?:the|my)\b",
            r"\b(?:put|putting|got|getting|have) (?:my |all my )?(?:papers|affairs|things|house|finances) in order\b",
            r"\b(?:the|my) will is (?:with|in|at)\b",
            r"\barranged for (?:\w+ ){0,5}to take\b",
            r"\bgave (?:away )?my (?:\w+ ){0,2}to\b",
            r"\bno (?:sense|point|need|use) (?:in )?(?:scheduling|booking|planning|renewing)\b",
            r"\bcancel(?:l?ed|l?ing|s)? (?:my |all my |the )?(?:\w+ )?(?:follow-?ups?|check-?ups?|appointments?|therapy|sessions?)\b",
            r"\b(?:giv(?:e|ing)|gave) (?:away )?(?:all )?my (?:\w+ ){0,5}(?:away|to (?:my|the|a))\b",
            r"\bi (?:give|gave) my (?:dog|cat|pet|bird|fish)\b",
        ),
        False,
    ),
    # No future: absent from it, or it will not matter.
    "no future": (
        (
            r"\b(?:won'?t|wont|will not|not gonna|not going to|never gonna) (?:need (?:it|them|this|that|any)|be (?:around|here|alive) (?:to see|by then|for it|after (?:this|that|tonight|today|\w+day)|much longer|anymore)|have to (?:deal|worry)|matter)\b",
            r"\b(?:none of (?:this|it)|nothing) (?:will|is going to|gonna) (?:matter|be a problem)\b",
            r"\b(?:don'?t|dont|do not|can'?t|cant) see (?:myself|me) (?:making it|being (?:here|around|alive)|living|getting|reaching|alive)\b",
            r"\b(?:not|never) (?:gonna|going to) make it (?:to|past|through)\b",
            r"\b(?:this|it) (?:will|is going to|gonna) be (?:my|the) last\b",
            r"\bmy last (?:birthday|christmas|weekend|day|night|week)\b",
            r"\bwon'?t be needing (?:it|them|this|that|any)\b",
            r"\b(?:anything|nothing) (?:past|after|beyond) (?:the end of the month|\w+day|next week|this week)\b",
            r"\b(?:going on|taking) a long trip\b",
            r"\bwon'?t be a burden\b",
            r"\bi (?:will not|won'?t|will no|not will) be (?:here|alive|around)\b",
            r"\bnothing (?:is |will )?matters? (?:anymore|more|no more)\b",
            r"\b(?:is )?not (?:necessary|needed|need) (?:anymore|more|no more)\b",
            r"\b(?:my )?life (?:not have|has no|have no) future\b",
            r"\bi tell (?:her|him|them) i (?:go|am going) (?:travel|on a trip|away)\b",
        ),
        False,
    ),
    # Hurting oneself: the act, a relapse, the tools at hand.
    "self-harm": (
        (
            r"\b(?:relaps(?:e|ed|ing)|slipped|fell off)\b[^.!?]{0,25}\b(?:sh|self ?harm\w*|cut\w*|blade|razor|burn\w*)\b",
            r"\bsh\b[^.!?]{0,25}\b(?:relapse|relapsed|relapsing|again)\b",
            r"\bself ?harm(?:ed|ing)?\b[^.!?]{0,25}\b(?:relapse|relapsed|relapsing|again)\b",
            r"\bpicked up the (?:blade|razor|knife|lighter) again\b",
            r"\b(?:cut|cutting|burned|burnt|burning|scratched|carved) (?:deeper|myself|my (?:wrists?|thighs?))\b",
            r"\b(?:urge|urges) to (?:cut|sh|burn|bleed)\b|\b(?:want|wanna|need) to (?:cut|sh) (?:again|so bad|rn|right now)\b",
            r"\bhide (?:the )?(?:towel|blood|cuts|scars|marks)\b",
            r"\b(?:sitting|sat|in the (?:tub|bath(?:room)?)) (?:w|with) (?:the|a|my) (?:blade|razor|knife)\b",
            r"\b(?:after|broke|broken|lost) (?:\d+|a|one|two|three|six) (?:days?|weeks?|months?|years?) (?:clean|streak)\b",
            r"\btook (?:a |the |my )?(?:\w+ )?(?:knife|blade|razor|lighter) to my\b",
            r"\b(?:burn|cut|hit|strik|bang|scratch|punch|slam)\w* my (?:\w+ ){0,2}[^.!?]{0,30}\bon purpose\b",
            r"\b(?:strik|bang|hit|slam)\w* my head (?:against|on|into)\b",
            r"\b(?:quit|stopped|stop) taking my (?:\w+ )?(?:insulin|meds|medication|pills|heart pills)\b[^.!?]{0,20}\bon purpose\b",
        ),
        True,
    ),
    # A means set up and waiting: a crisis on its own.
    "means in place": (
        (
            r"\b(?:belt|rope|noose|cord|cable)\b[^.!?]{0,20}\b(?:already|ready|tied|set up|hanging|up)\b[^.!?]{0,20}\b(?:hook|beam|rafter|ceiling|rod|door|banister|fan|closet)\b",
            r"\b(?:pills|tablets|meds)\b[^.!?]{0,20}\b(?:counted out|lined up|laid out|in front of me)\b",
        ),
        True,
    ),
    # Words left for after: a crisis on their own.
    "last words": (
        (
            r"\bwho(?:ever)? (?:has|have|will have|is going to have|is gonna have) to find me\b",
            r"\b(?:by the time|when) (?:you|u|anyone|someone) (?:read|reads|see|sees|find|finds) this\b",
            r"\bthis is my (?:suicide |goodbye )?(?:note|letter)\b",
            r"\b(?:i'?m|im|i am) sorry for what i'?m about to do\b",
            r"\b(?:trouble|mess|pain|hurt) i'?m (?:about to|going to|gonna) cause\b",
            r"\b(?:marked )?for (?:afterwards|after i'?m gone|when i'?m gone)\b",
            r"\bwhere i'?m (?:headed|going)(?= *(?:[.!?,]|$))",
            r"\bwhen i(?:'m| am) (?:gone|not more (?:here|alive)|no more (?:here|alive)|no longer (?:here|alive))\b",
            r"\bproblem i (?:will|am going to|gonna) (?:make|cause)\b",
        ),
        True,
    ),
    # Wishing for death to come: a crisis on its own.
    "death wish": (
        (
            r"\bwouldn'?t (?:be mad|mind|care|complain) if (?:a |some )?(?:car|truck|bus|train|something|someone|i)\b[^.!?]{0,25}\b(?:hit|killed|ran|got|died|didn'?t wake)\b",
            r"\b(?:wish|hope|hoping|pray|praying) (?:i could )?(?:just )?(?:delete|erase) (?:my ?self|me)\b",
            r"\b(?:hope|hoping|pray|praying) (?:that )?i (?:don'?t|dont|never|won'?t|wont) wake up\b",
            r"\b(?:hope|hoping|pray|praying) (?:that )?(?:a |some )?(?:car|truck|bus|something|cancer|covid) (?:hits|kills|takes) me\b",
            r"\bwouldn'?t mind (?:terribly |much |at all )?if i (?:went to sleep|didn'?t wake|died|was gone|never woke)\b",
            r"\b(?:pray|praying|hope|hoping|wish|wishing) (?:every night |each night )?(?:not to wake up|to not wake up|i don'?t wake up)\b",
            r"\b(?:the lord|god|he|death) (?:may|can|could) take me\b",
            r"\bif (?:god|the lord|death) takes? me\b",
            r"\b(?:sleep|go to sleep) and (?:no|not|never) wake up\b",
        ),
        True,
    ),
    # A thought of dying that is a part, not a whole.
    "death thought": (
        (
            r"\bkys\b",
            r"\bsuicid(?:e|al)\b",
            r"\b(?:want|wanna|wanting) to die\b",
            r"\bready to go (?:home|be with)\b",
            r"\bthat (?:was|would be) the end of (?:it|me)\b",
            r"\b(?:sucide|suicde|suiside|sucidal|suicdal|suicid|suicidio|suicídio)\b",
            r"\b(?:sleep|go to sleep) (?:for always|forever)\b|\bfinish this\b(?! (?:week|project|work|job|task|essay|game|book))",
            r"\b(?:is|will be|everything|all) finish\b",
        ),
        False,
    ),
    # Wishing not to be, or not to be missed.
    "hopelessness": (
        (
            r"\b(?:wish|want|wanna) (?:i could |to )?(?:just )?(?:delete|erase|disappear|vanish|stop existing|not exist|not be born|never have been born)\b",
            r"\b(?:nobody|no one|noone|no1)(?: would| will|'d)? (?:even )?(?:notice|miss me|care if i)\b",
            r"\b(?:everyone|everybody|they|my family|my parents)(?:'d| would| will)? be (?:better|happier|fine|relieved)(?: off)? (?:without me|if i (?:was|were|wasn'?t|weren'?t))\b",
            r"\b(?:better|easier) (?:for everyone|for them|for my family) (?:if i|without me)\b",
            r"\bi(?:'m| am|m) (?:just )?(?:a burden|done with (?:everything|life|it all))\b",
            r"\b(?:don'?t|dont|do not) want to (?:exist|be alive|live|wake up|be here|make it)\b",
            r"\bmy life is (?:finished|over|done)\b",
            r"\b(?:and|tbh|honestly|ngl) i (?:don'?t|dont|do not) (?:even )?(?:want|wanna)(?: to)?\s*(?:[.!?]|$)",
            r"\bwhat'?s the point (?:of|in) (?:me|living|anything|going on|trying|staying)\b",
            r"\b(?:i am|i'm|im) (?:only |just )?(?:a )?(?:problem|burden) for (?:my family|everyone|everybody|all)\b",
            r"\b(?:nobody|no one) (?:will|would) (?:miss|missing|missed) me\b",
            r"\b(?:don'?t|do not) want (?:to )?open my eyes\b",
        ),
        False,
    ),
}

_STRONG = {name for name, (_, strong) in FAMILIES.items() if strong}
#: Phrase-book groups, one per family, screened in the analyzer's single pass.
PHRASE_GROUPS: dict[str, tuple[str, ...]] = {f"parts:{name}": patterns for name, (patterns, _) in FAMILIES.items()}
# For checking one sentence on its own (recovery stories), outside the analyzer's scan.
@functools.cache
def phrase_scan() -> PhraseBook:
    return PhraseBook(PHRASE_GROUPS)

_SOON_RE = re.compile(rf"\b{_SOON}\b")
_FIRST_PERSON = re.compile(rf"\b{_I}\b")

# Pairs of families that together make a crisis; a means with nothing else is
# someone talking about a bridge or a kitchen knife.
_TOGETHER = {
    frozenset(pair)
    for pair in (
        ("plan", "means"), ("plan", "preparation"), ("plan", "no future"), ("plan", "farewell"), ("plan", "affairs"),
        ("plan", "hopelessness"), ("means", "preparation"), ("means", "no future"), ("means", "farewell"),
        ("means", "hopelessness"), ("farewell", "affairs"), ("farewell", "no future"), ("farewell", "hopelessness"),
        ("farewell", "preparation"), ("affairs", "no future"), ("affairs", "hopelessness"), ("affairs", "preparation"),
        ("no future", "hopelessness"), ("no future", "preparation"), ("preparation", "hopelessness"),
        ("death thought", "plan"), ("death thought", "means"), ("death thought", "preparation"),
        ("death thought", "no future"), ("death thought", "farewell"), ("death thought", "affairs"),
        ("death thought", "hopelessness"),
    )
}
# A part with a near time ("tonight", "after Friday") is a plan with a date.
_TIMED = {"plan", "no future", "death thought"}
# How close two parts must be to belong to one thought (characters).
_NEAR = 240
# Parts looked at per family: a crisis is rarely the 500th mention of pills.
_MAX_PER_FAMILY = 500
# Someone else as the subject: then the parts are theirs, unless the writer says "I".
_OTHERS = re.compile(r"\b(?:he|she|hes|shes|he's|she's)\b")


def _inside(match: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    """Whether ``match`` overlaps one of ``spans`` (sorted by start)."""
    k = bisect.bisect_left(spans, (match.end(), -1))
    return any(match.start() < nb for _, nb in spans[max(0, k - 8):k])


def writers_own(flat: str, at: int, end: int | None = None) -> bool:
    """Whether words at ``at`` are the writer's: not when someone else is the
    last subject named before them in their sentence ("she's been thinking
    about ending it"), with no "I" after them."""
    # A sentence is looked back over for at most _NEAR characters, so a long
    # text without punctuation costs no more per part than a short one.
    floor = max(0, at - _NEAR)
    start = max(flat.rfind(".", floor, at), flat.rfind("!", floor, at), flat.rfind("?", floor, at), floor - 1) + 1
    last_other = None
    for m in _OTHERS.finditer(flat, start, at):
        last_other = m
    return last_other is None or _FIRST_PERSON.search(flat, last_other.end(), at if end is None else end) is not None


def may_match(scan: Scan) -> bool:
    return any(scan.could_match(group) for group in PHRASE_GROUPS)


def find_parts(flat: str, scan: Scan, negated: list[tuple[int, int]] = ()) -> list[tuple[str, re.Match[str]]]:
    """(family, match) for each part of crisis meaning in ``flat`` when the
    parts found add up to a crisis, else []. Parts inside ``negated`` spans
    ("died by suicide", "suicide hotline") do not count; parts add up only
    when they are close together, said by the writer."""
    found: list[tuple[str, re.Match[str]]] = []
    for group in PHRASE_GROUPS:
        for m, _ in scan.matches(group, flat)[:_MAX_PER_FAMILY]:
            if not _inside(m, negated):
                found.append((group[6:], m))
    found.sort(key=lambda item: item[1].start())
    if not found:
        return []

    found = [(name, m) for name, m in found if writers_own(flat, m.start(), m.end())]
    strong = [(name, m) for name, m in found if name in _STRONG]
    if strong:
        return strong
    farewells = [m for name, m in found if name == "farewell"]
    for m in farewells:
        near = {f.group(0) for f in farewells if abs(f.start() - m.start()) <= _NEAR}
        if len(near) >= 3:
            return [("farewell", f) for f in farewells if abs(f.start() - m.start()) <= _NEAR]
    for name, m in found:
        if name in _TIMED:
            for soon in _SOON_RE.finditer(flat, max(0, m.start() - 120), m.end() + 120):
                return [(name, m), ("time", soon)]
    for i, (a, ma) in enumerate(found):
        for b, mb in found[i + 1:]:
            if mb.start() - ma.start() > _NEAR:
                break
            apart = ma.end() <= mb.start() or mb.end() <= ma.start()
            if a != b and apart and abs(ma.start() - mb.start()) <= _NEAR and frozenset({a, b}) in _TOGETHER:
                return [(a, ma), (b, mb)]
    return []
