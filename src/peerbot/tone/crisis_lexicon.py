"""Crisis vocabulary: self-harm and suicidal language, what negates it, and
what marks a recovery story told about the past.

Kept apart from the nudge lexicons so that crisis recognition can change
without touching the rules that decide nudges. Written from scratch, like the
other lexicons: nothing here is copied from evaluation or benchmark sets.
"""

from __future__ import annotations

# Self-harm and suicidal language. Indirect forms matter as much as direct ones.
CRISIS_PATTERNS: tuple[str, ...] = (
    r"\b(?:kill|killing|kms|off|hang|hanging|shoot|shooting|drown) (?:my ?self|meself)\b",
    r"\bkms\b",
    r"\bunalive (?:my ?self)\b",
    r"\b(?:end|ending|take|taking|took) my (?:own )?life\b",
    r"\bend(?:ing)? it all\b",
    r"\b(?:easy|easier|tempting) to (?:just )?end (?:it|things|everything|my life)\b",
    r"\b(?:want(?:ed)? to|going to|gonna|ready to|i'll|i will|i could|i should|i might|thinking (?:of|about)) end(?:ing)? it\b(?! (?:with|between|for|on|off|early|there|here|now that))",
    r"\b(?:want|wanna|wanted|plan|planning|ready) (?:to )?die\b",
    r"\bi (?:just )?(?:want|wanna|wish (?:i could|to)) (?:to )?(?:die|disappear forever|stop existing|not exist|not wake up)\b",
    r"\bwish (?:i|that i) (?:was|were|had been) (?:dead|never born|gone)\b",
    r"\bwish i (?:wasn't|wasnt|weren't|werent) (?:alive|here|born|around)\b",
    r"\b(?:better off|be better) (?:dead|without me|if i (?:was|were) (?:gone|dead)|if i (?:wasn't|wasnt|weren't) (?:here|around|alive))\b",
    r"\b(?:nobody|no one|no1|noone)(?: would| will|'d|'ll)? (?:even )?(?:miss|notice|care) (?:me|if i)\b",
    r"\bno (?:reason|point) (?:to|in|for) (?:live|living|go on|going on|keep going|being alive|me being here)\b",
    r"\b(?:life|living)(?: is|'s| isn't| isnt| is not|n't)? (?:not |no longer )?worth (?:living|it anymore)\b",
    r"\b(?:life|it) (?:isn't|isnt|is not|ain't|aint) worth (?:living|it anymore)\b",
    r"\bnot worth living\b",
    r"\b(?:can't|cant|cannot) (?:go on|do this anymore|keep going|take it anymore|take this anymore)\b",
    r"\b(?:don't|dont|do not) want to (?:live|be alive|exist|be here|wake up|be around)(?: anymore| any more| tomorrow)?\b",
    r"\b(?:never|not) (?:want to |wanna )?wake up\b",
    r"\b(?:go to sleep|fall asleep|sleep) and (?:never|not) wake\b",
    r"\b(?:saying|say|said) (?:my )?goodbyes? (?:to (?:everyone|everybody|you all|all of you|y'all|yall)|for good|forever)\b",
    r"\b(?:this is|it's|its) (?:my )?(?:final )?goodbye\b",
    r"\bgoodbye (?:everyone|everybody|all|world|forever|for good|cruel world)\b",
    r"\b(?:won't|wont|will not|not going to|not gonna) be (?:around|here|alive) (?:much longer|for long|anymore|tomorrow|next week)\b",
    r"\b(?:not sure i'll|don't think i'll|dont think i'll|i might not|i may not) (?:still )?be (?:here|around|alive)\b",
    r"\b(?:hurt|hurting|hurted|cut|cutting|burn|burning|harm|harming|starve|starving|punish|punishing) my ?self\b",
    r"\bself[- ]?harm(?:ing|ed)?\b",
    r"\b(?:suicide|suicidal) attempt\b",
    r"\battempted suicide\b|\b(?:tried|attempted) to (?:kill myself|end my life|take my (?:own )?life)\b",
    r"\b(?:take|taking|swallow|swallowing) (?:them all|all of them|all (?:of )?(?:my|the) (?:pills|meds|tablets)|the whole bottle)\b",
    r"\bi(?:'ve| have|'m| am)? (?:got|have|bought|holding) (?:the |a |my )(?:rope|gun|razor|blade)s?\b(?! control| laws?| rights| owners)",
    r"\b(?:pills|rope|gun|razor|blade)s? (?:is |are )?(?:in front of me|ready|next to me|right here|in my hand)\b",
    r"\bjump (?:off|from) (?:a|the|this) (?:bridge|building|roof|ledge|cliff)\b",
    r"\bslit my wrists?\b",
    r"\b(?:write|wrote|writing) (?:a|my) (?:suicide |goodbye )?note\b",
    r"\b(?:giving|gave|give) away (?:all )?my (?:stuff|things|belongings)\b",
    r"\bdisappear forever\b",
    r"\b(?:everyone|everybody|people|my family|my kids|the world|you all|y'all|they)(?:'d| would| will)? be (?:happier|better(?: off)?|fine|relieved)(?: off)? (?:if i (?:just )?(?:was|were|wasn't|weren't|died|disappeared|left|was gone|were gone)|without me|when i'm gone)\b",
    r"\b(?:just )?in case i(?:'m| am)? (?:not here|gone|not around|don't make it|dont make it)\b",
    r"\b(?:can't|cant|cannot|don't|dont) see myself (?:being )?(?:alive|here|around|living)\b",
    r"\bwhat(?:'s| is) the point (?:of|in) (?:living|life|going on|being alive|anything anymore|trying anymore|being here)\b",
    r"\b(?:jump|jumping|step|stepping|throw myself|throwing myself|walk|walking) (?:in front of|off|from) (?:a|the) (?:train|bus|car|truck|traffic|bridge|building|roof|ledge|cliff)\b",
    r"\b(?:giving|gave|give|started giving) (?:all )?my (?:stuff|things|belongings|possessions) away\b",
    r"\b(?:want|wanna|wish i could|just want) (?:to )?(?:sleep forever|go to sleep forever|never wake up|not wake up|stop existing)\b",
    r"\b(?:been|started|keep|kept|i'm|im) (?:cutting|burning|hurting|harming)(?: myself)? again\b",
    r"\bi have a plan to (?:die|end|kill)\b",
    r"\b(?:no|any) (?:reason|point) (?:to|in|for) (?:keep(?:ing)? going|go(?:ing)? on|liv(?:e|ing)|be(?:ing)? here|stay(?:ing)? alive|continu(?:e|ing))\b",
    r"\bi(?:'ve| have)? (?:decided|made (?:up my mind|my decision))\b[^.!?]{0,30}?\b(?:tonight|today|it's time|the night|the day|to do it|to end)\b",
    r"\b(?:took|taken|swallowed|downed) (?:all|too many|a bunch of|a handful of|a lot of|the whole bottle of|every one of) (?:my |the |those )?(?:pills|meds|tablets|medication|sleeping pills)\b",
    r"\b(?:sitting|standing|i'm|im|i am) (?:on|at) (?:the|a) (?:edge of (?:the|a) )?(?:bridge|ledge|roof|rooftop|cliff|tracks|train tracks)\b",
    r"\b(?:just )?(?:want|wanna|wish i could|going to|gonna) (?:to )?disappear(?= *(?:[.!?]|$)| forever| for good| completely| from (?:this|the) world| and never)",
    r"\b(?:this is|this'll be|this will be|here's) my (?:last|final) (?:message|post|goodbye|words)\b",
    r"\b(?:last|final) (?:time )?you(?:'ll| will) (?:ever )?(?:hear|see) from me\b",
    r"\b(?:want|wanna|wish|wishing) (?:to )?(?:be )?dead\b",
    r"\b(?:want|wanna) (?:it all|everything) to (?:end|stop|be over)\b",
    r"\bmy life (?:is|feels) (?:so )?(?:pointless|meaningless|not worth it)\b",
    r"\b(?:tired|sick) of (?:being alive|living|life|existing|being here)\b",
    r"\bdone with (?:life|living|being alive|existing)\b",
    r"\b(?:finally |going to |gonna |want to |ready to |should )end(?:ing)? (?:things|everything)\b(?! (?:with|between))",
    r"\b(?:stockpil|hoard|sav)(?:e|es|ed|ing) (?:up )?(?:my |all my |the )?(?:meds|pills|medication|medications|sleeping pills)\b",
    r"\b(?:driv(?:e|ing)|crash(?:ing)?|steer(?:ing)?|swerv(?:e|ing)) (?:my car |the car |myself )?(?:off|into) (?:the road|a bridge|a tree|a wall|traffic|oncoming traffic|the river|a cliff)\b",
    r"\b(?:can't|cant|cannot|can not|don't think i can|dont think i can|do not think i can) (?:keep (?:living|going|doing this)|go on|live like this|do this anymore|take (?:it|this) anymore)\b",
    r"\b(?:thinking (?:of|about)|planning|plan|going to|gonna|want to|wanna) (?:overdosing|overdose|od'ing|killing myself|ending (?:it|my life)|hurting myself|cutting myself|taking (?:all )?(?:my|the) pills)\b",
    r"\bwant (?:the|my|this) pain to (?:stop|end|go away) (?:forever|for good|permanently)\b",
    r"\bend (?:my|the) (?:pain|suffering) (?:for good|forever|permanently)\b",
    r"\bi (?:don't|dont|do not) see (?:a|any) (?:way out|point|future)\b",
    r"\b(?:can't|cant|cannot) see (?:a|any) (?:way out|future)(?: for me| where i)?\b",
)

# What keeps a crisis phrase from being a crisis now.
CRISIS_NEGATIONS: tuple[str, ...] = (
    r"\b(?:not|never|wasn't|isn't|no longer|not feeling|not at all) (?:suicidal|going to (?:kill|hurt) myself)\b",
    r"\b(?:would|will|could) never (?:kill|hurt|harm) myself\b",
    r"\b(?:don't|dont|do not|didn't|didnt) (?:want|wanna) to (?:die|kill myself|hurt myself)\b",
    r"\bsuicide (?:prevention|awareness|hotline|lifeline|training|rates?|statistics|risk)\b",
    r"\b(?:could|would|gonna|going to) (?:just )?(?:die|kill myself) (?:laughing|of (?:embarrassment|laughter|shame|boredom|cringe))\b",
    r"\b(?:want|wanna) to die (?:of|from) (?:embarrassment|laughter|laughing|cringe|shame|boredom)\b",
    r"\bdying to\b",
    r"\b(?:die|dead|dying|kill (?:myself|me))\W*(?:haha\w*|hehe\w*|lol\w*|lmao\w*|jk|\U0001f602|\U0001f480|\U0001f923)(?![^.!?]{0,12}\b(?:seriously|for real|not joking|i mean it|not ok|not okay)\b)",
    r"\b(?:died|death|dying|lost (?:\w+ )?(?:\w+ )?) (?:by|to|from) suicide\b",
    r"\b(?:his|her|their|\w+'s) suicide\b",
    r"\b(?:assisted|political|social|career|commercial) suicide\b|\bsuicide (?:bomb\w*|squad|mission|attack\w*|vest|doors?|run|pact)\b",
    r"\b(?:hope|hoping|pray|praying) (?:i|we|you|they|he|she) (?:don't|won't|doesn't|dont|wont) die\b",
    r"\b(?:a|my|our) (?:friend|partner|sister|brother|mom|mum|dad|son|daughter|client|peer|kid|child|coworker|roommate|loved one)(?: who)? (?:is|'s|was|has been|seems|might be) (?:\w+ )?suicidal\b",
    r"\bif (?:you|you're|you are|anyone|someone|somebody|u|anybody)\b[^.!?]{0,40}?\b(?:suicid\w*|hurting (?:yourself|themselves)|self[- ]?harm\w*)",
    r"\bkill (?:myself|me) (?:at|with) (?:the gym|work|this workout)\b",
)

# A recovery story: the crisis is in the past and the teller is here now.
RECOVERY_MARKERS: tuple[str, ...] = (
    r"\b(?:years?|months?|weeks?) ago\b",
    r"\b(?:when|back when) i (?:was|tried|attempted|used)\b",
    r"\bback (?:then|in (?:19|20)\d\d)\b",
    r"\bin (?:19|20)\d\d\b",
    r"\bused to (?:self[- ]?harm|cut|hurt|want|think|feel)\b",
    r"\b(?:my|an|a) (?:past |previous |first |last )?(?:suicide )?attempt\b",
    r"\b(?:i )?survived\b",
    r"\b(?:since|after) (?:my|the) (?:attempt|overdose|hospitali[sz]ation)\b",
    r"\b(?:clean|sober|free|harm[- ]free) (?:for|since)\b",
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:years?|months?|days?) (?:clean|sober|free|harm[- ]free)\b",
    r"\b(?:today|now|these days) i(?:'m| am)? (?:grateful|glad|thankful|alive|doing|okay|ok|better|here)\b",
    r"\b(?:i'm|im|i am) (?:so )?(?:glad|grateful|thankful) (?:i|to be) (?:survived|am still here|stayed|didn't|alive|here)\b",
    r"\b(?:my|our) (?:story|recovery|journey)\b",
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|many) (?:days?|weeks?|months?|years?) since (?:i|my)\b",
    r"\bsince i last\b",
    r"\b(?:through|in|during) (?:most of |all of )?my (?:teens|twenties|thirties|forties|youth|childhood|college years|teenage years)\b",
    r"\b(?:\w+) years on\b",
    r"\bscars (?:have )?(?:faded|healed)\b",
    r"\bnever thought i'?d (?:say|type|write|see)\b",
)



# Crisis language composed of parts, for the many ways people say it: a thought
# of death or of ending (DEATH) together with wanting, planning or dwelling on
# it (DWELLING), said by the speaker about themselves.
CRISIS_DEATH: tuple[str, ...] = (
    r"\b(?:die|dying|my (?:own )?death|kill(?:ing)? myself|take my (?:own )?life)\b",
    r"\bsuicid(?:e|al|ally)\b",
    r"\b(?:be|being|was|were|rather be|better off) dead\b",
    r"\bend(?:ing)? (?:it|things|everything|my life|it all|the pain)\b",
    r"\b(?:not|never|won't|wouldn't|don't) (?:wake|waking) up\b",
    r"\b(?:not|didn't|don't|stop|no longer|never) exist(?:ed|ing)?\b",
    r"\b(?:it|my life|everything|it all|this life) (?:to )?be over\b",
    r"\bmy (?:own )?funeral\b",
    r"\boverdos\w*\b",
    r"\b(?:how many|enough) (?:pills|tablets|meds)\b",
    r"\bjump(?:ing)?(?= *(?:[.!?]|$)| off| from| in front)",
    r"\bwalk(?:ing)? into (?:the )?(?:ocean|sea|lake|river|water|traffic)\b",
    r"\bnot (?:be )?(?:here|around|alive) (?:anymore|any more|tomorrow)\b",
)
CRISIS_DWELLING = (
    r"\b(?:want|wants|wanna|wanted|wish|wishing|easy to|easier to|pray|praying|hope|hoping|ready|going to|gonna|plan|planning|planned|"
    r"decided|thinking|thought about|think about|keep thinking|imagining|imagine|rather|looking up|looked up|"
    r"researching|googling|prepared|preparing|about to|urges?|tempted|what if i|can't stop thinking)\b"
)
# Strong enough with the speaker alone in the sentence.
CRISIS_SELF_ALONE: tuple[str, ...] = (
    r"\b(?:i'm|im|i am|i've been|ive been|i have been|i was|i feel|feeling|i get|getting|i keep getting) (?:so |really |very |pretty |kind of |kinda |a bit |a little )?suicidal\b",
    r"\b(?:suicidal|suicide) (?:thoughts|feelings|ideation|urges|plan)\b",
    r"\bthoughts? (?:of|about) (?:suicide|killing myself|ending (?:it|my life)|dying)\b",
    r"\b(?:cut|cutting|cuts|burn(?:ing|ed|t)?|scratch(?:ing|ed)?|hurt(?:ing)?|harm(?:ing|ed)?|hit(?:ting)?|"
    r"punch(?:ing|ed)?|starv(?:e|ing|ed)|carv(?:e|ing|ed))\b[^.!?]{0,20}?\b(?:myself|my (?:wrists?|arms?|legs?|thighs?|skin|stomach))\b",
    r"\buntil i bleed\b",
    r"\bno way out\b",
    r"\bi want out(?= *(?:[.!?,]|$))",
    r"\b(?:wrote|writing|write|written|finished) (?:my |a |the )?(?:goodbye|suicide|farewell) (?:letters?|notes?)\b",
    r"\b(?:easier|better|happier|relieved|lighter)\b[^.!?]{0,40}?\bif i (?:just )?(?:wasn't|weren't|was gone|were gone|died|disappeared|didn't exist|wasn't here|wasn't around)\b",
    r"\bplanning (?:how|when|where) (?:to|i'll|i will|i'm going to) do it\b",
)
FIRST_PERSON_MARKERS = r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|myself)\b"
