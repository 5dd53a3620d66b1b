"""Unkind acts that no word list holds, as target + act patterns by family.

Each family is a way of belittling someone whose words are ordinary on their
own: condescension ("did you figure that out all by yourself"), dismissive
orders ("log off", "not my problem you can't..."), sarcasm that names its
target ("the resident expert has arrived"), put-downs built on a comparison
("about as useful as ..."), insinuation without a gossip marker ("funny how
X always ..."), rhetorical questions ("who even asked you"), generalisations
about the people here, veiled threats, and attacks framed as the speaker's
feelings ("being around you is draining").

A pattern names its target in its own words (you, ur, him, a role, "people
like you") or is an order or question said to the reader. The act is the
verb or frame around it. Patterns are written as families of structure in
general English, never from any evaluation data, so that they carry over to
phrasings nobody here has seen. Every hit becomes a cue that names its family,
so a moderator can see why a message was nudged.
"""

from __future__ import annotations

# Who a remark is aimed at, as regex fragments.
YOU = r"(?:you|u|ya|yall|y'all|you guys|you all)"
# Texting forms: "uve", "ull", "u've".
YOUVE = r"(?:you've|youve|you have|uve|u've|u have)"
YOULL = r"(?:you'll|youll|you will|ull|u'll|u will)"
YOUR = r"(?:your|ur|yer)"
YOURE = r"(?:you're|youre|you are|ur|u r|u are|you r)"
HIM = r"(?:him|her|them)"
HE = r"(?:he|she|they)"
HES = r"(?:he's|she's|hes|shes|he is|she is|they're|theyre|they are)"
# Anyone but the speaker: a pronoun, a name or a role ("our mentor").
SOMEONE = r"(?:you|u|he|she|they|(?:the|our|this|that) \w+|\w+)"
# Belittling words of address.
PET_NAMES = r"(?:sweetie|sweety|sweetheart|honey|hun|hon|darling|dear|sugar|kiddo|champ|sport|buddy|little buddy|lil bro|lil sis|little one|princess|bestie)"
# Small tasks a capable adult could do: "couldn't run a ..." them is a put-down.
SMALL_TASKS = (
    r"(?:bake sale|lemonade stand|group ?chat|gc|raffle|potluck|party|piss-up|bath|meeting|"
    r"book club|car wash|yard sale|sleepover|zoom call|discord|server|chat|picnic|karaoke night|"
    r"pizza order|spreadsheet|calendar|bus|microwave|toaster|kettle)"
)
# Ways a comparison says someone is useless, slow or unwanted.
NEGATIVE_ADJ = (
    r"(?:bad|dumb|slow|clueless|dense|oblivious|stupid|useless|annoying|rude|lazy|fake|"
    r"dramatic|sensitive|petty|entitled|awful|terrible|bad at \w+|wrong|loud|negative|miserable|boring|selfish)"
)

CONDESCENSION: dict[str, float] = {
    # The workplace register: softeners that open a criticism, and backhanded advice.
    r"not to pile on|hate to be the one to say (?:it|this)|(?:i'll|ill|i will) just say|just my two cents|(?:gentle|friendly|quick) reminder that|fyi to whoever": 0.3,
    r"(?:some|the rest) of us (?:actually|did|have actually|do|read|know how)": 0.4,
    r"next time,? (?:maybe )?(?:try|consider) (?:letting|not|actually|being|giving)": 0.45,
    r"maybe sit (?:this|that) (?:one|debate|discussion|conversation|meeting|round) out": 0.5,
    rf"{YOUVE} (?:only )?been (?:a [\w-]+(?: [\w-]+)? |here |doing this |in recovery )?for (?:six|6|three|3|two|2|a few|five|5|four|4|one|1) (?:months|weeks|days)": 0.4,
    r"(?:should|ought to) (?:really )?be seen and not heard": 0.55,
    r"(?:could|should|might) (?:try|start by) (?:opening|reading|checking|looking at) (?:the|a) (?:handbook|manual|guide|docs|agenda|schedule|pinned)": 0.4,
    rf"when {YOUVE} been (?:doing this|around|here|in recovery|at this|parenting|sober) (?:as long as|for as long as) (?:i have|me|some of us|we have)": 0.5,
    rf"{YOULL} (?:understand|get it|see)(?: one day| someday)?[.!,]* (?:till|until) then": 0.45,
    r"(?:maybe|just) (?:just )?(?:listen|sit back|take notes|watch and learn)[.!]*(?:$|\n)": 0.35,
    r"well,? no wonder[.!?]*(?:$|\n)": 0.45,
    r"(?:i'll|i will|let me) (?:try to )?keep (?:this|it) (?:simple|short and simple|basic|nice and simple)": 0.45,
    r"(?:i'd|i would) (?:gently |kindly )?suggest (?:you|that you)": 0.3,
    r"(?:someone|somebody|anyone|a person) who (?:only |just )?recently (?:completed|finished|joined|started|got|earned)": 0.4,
    r"(?:which is|that's|thats|it's|its) (?:lovely|sweet|cute|adorable|perfectly normal|understandable|natural) (?:at|for) (?:your|ur|her|his) age": 0.55,
    r"when (?:you've|you have|you) (?:been (?:doing this|around|here|in recovery|at this)|done this) (?:as long as|for as long as) (?:i have|me|some of us|we have)": 0.5,
    r"^\W*(?:sweetheart|sweetie|honey|hun|dear|kiddo|young (?:man|lady)),": 0.4,
    r"(?:you|u) (?:might|may|will|would) be surprised how (?:much|little) (?:you|u) (?:don't|do not) know": 0.5,
    r"have a (?:little )?(?:chuckle|laugh) at (?:yourself|urself)": 0.45,
    # ("Aww," opening a remark to the reader; the remark itself is matched on its own.)
    r"aww(?:w*)(?:,|!|\.\.\.)": 0.3,
    # Grammar-tolerant forms: second-language writers drop articles and endings.
    r"(?:talks?|talking|speaks?|speaking|acts?|acting|writes?|explains?)(?: to (?:us|me|everyone|everybody))? like (?:a |an |the |our )?(?:teacher|boss|professor|parent|king|queen|expert|god|doctor|genius|police|principal|mother|father)": 0.45,
    r"(?:not|isn't|is not|are not|aren't|no) (?:more |any |much )?(?:better|smarter|more important|more special) than (?:anybody|anyone|everyone|everybody|us|the rest|other people|nobody)": 0.45,
    # The polite register: deference turned into a put-down.
    r"(?:leave|let) (?:the|that|this|all the) (?:[\w-]+ ){0,2}(?:to|for) (?:those of us|the (?:rest of us|professionals|adults|experts|grown[- ]?ups)|people who (?:actually|know|understand))": 0.55,
    r"those of us who (?:actually|really|have actually|did)": 0.4,
    r"(?:some|most|the rest) of us (?:were|have been|had been) (?:doing|working|running|in) (?:this|here|these \w+)\b[^.!?]{0,30}(?:before|since|while) (?:you|u)": 0.55,
    r"perhaps (?:you could |you might )?(?:listen|learn|read|wait|think|watch)(?: a little| a bit)? (?:longer|more|first|before)": 0.45,
    r"(?:someone|somebody) (?:really )?(?:ought to|should|needs to|might want to) (?:let|tell|remind|inform) (?:her|him|them|\w+) (?:know )?(?:that )?": 0.4,
    r"(?:may|might) (?:wish|want|care) to (?:revisit|review|brush up on|look up|reread|re-read|reconsider|familiari[sz]e)": 0.45,
    r"[,.] (?:dear|my dear|sweetie|honey|hun|sweetheart|darling)[.!]*(?:$|\n)": 0.35,
    r"(?:you'll|you will|you'd) forgive me if i (?:don't|do not|doubt|ignore|pass)": 0.5,
    rf"(?:aw+|oh|ok(?:ay)?|there there|nice try|good try|cute|relax|calm down),? {PET_NAMES}\b": 0.45,
    rf"did {YOU} (?:just |finally |really )?(?:come up with|think of|figure|work|discover|learn|find|realize|realise|notice|read)\b[^.?!]{{0,50}}?(?:all )?by {YOUR} ?(?:own |little )?(?:self|selves)": 0.65,
    rf"did {YOU} (?:just |finally )?(?:discover|learn about|find out about|hear about|invent) (?:feelings|emotions|therapy|google|the internet|basic \w+|common sense|reading)": 0.55,
    rf"all by {YOUR} ?(?:own |little |widdle )?self": 0.45,
    r"(?:let|leave (?:it|this|that) to) the (?:grown[- ]?ups?|adults|big (?:kids|boys|girls)|professionals|real (?:adults|members|experts))": 0.55,
    r"(?:the )?(?:grown[- ]?ups?|adults|big kids) (?:are |r )?(?:talking|speaking|working|busy|handling (?:this|it))": 0.55,
    rf"(?:how|that's|thats|so|it's|its) (?:adorable|cute|precious|sweet) (?:that|how|when) {YOU}": 0.5,
    rf"(?:[.?!,]|\b{YOU}\b[^.?!]{{3,80}}[.?!,]+) *(?:cute|adorable|precious|how cute|so cute|bless)[ .!]*(?:$|\n)": 0.4,
    r"welcome to the (?:rest of us|real world|club,? (?:kid|sweetie))": 0.35,
    rf"(?:is|was|are) (?:\w+ ){{0,3}}(?:too|a little too|a bit too) (?:hard|difficult|complicated|much|advanced|confusing) for {YOU}": 0.55,
    r"(?:explain|spell|break) (?:it|this|that) (?:out |down )?(?:slowly|in small words|with (?:small words|crayons|pictures))|like (?:you're|youre|ur|you are) (?:five|5|a child|a toddler)": 0.55,
    rf"(?:you'll|youll|u'll|you will) (?:understand|get it) when {YOURE} (?:older|a grown[- ]?up|an adult)": 0.5,
    r"(?:someone|somebody)(?:'s| is) (?:a little |a bit |extra |very )?(?:sensitive|touchy|cranky|grumpy|salty|triggered|pressed) today": 0.45,
    r"(?:it's|its|that's|thats) (?:okay|ok|fine),? not everyone can (?:be|understand|keep up|read)": 0.5,
    rf"{YOU} (?:tried|try) (?:your|ur) best,? (?:i guess|sweetie|hun|and that's what counts)": 0.4,
    rf"(?:did|do) {YOU} need (?:a|some) (?:help|adult|grown[- ]?up) (?:with|to) (?:that|this|read|spell)": 0.5,
    rf"{YOU} (?:really |actually |honestly )?(?:thought|think|expected|believed)\b[^.?!]{{0,80}}?(?:parade|medal|trophy|cookie|award|world record|standing ovation|gold star|round of applause)": 0.55,
    r"(?:want|expect|deserve|get|need|needs|wants|expects) (?:a |an )?(?:cookie|medal|trophy|parade|gold star|award|standing ovation|round of applause|participation trophy)": 0.45,
}

DISMISSAL: dict[str, float] = {
    r"(?:just|only|clearly) (?:here|there|in it) for the (?:stipend|money|paycheck|attention|free food|snacks|credits|drama|clout|likes)": 0.45,
    r"(?:save|keep) the (?:[\w-]+ )?(?:slots|spots|seats|places|time) for (?:people|folks|those) who (?:actually|really)": 0.45,
    r"(?:i'm|im|i am) looking at you": 0.4,
    r"can (?:someone|somebody|anyone) (?:who|that) (?:isn't|is not|isnt|wasn't) \w+ (?:take|do|run|lead|handle|write)": 0.45,
    r"cool story(?:,? (?:bro|sis|babe|\w+))?[.!]": 0.4,
    r"(?:nobody|no one|noone) (?:even )?asked(?: you| u| for (?:this|that|your \w+|ur \w+))?[.!]*(?:$|\n)": 0.5,
    r"same (?:old )?(?:sob story|story|song|complaint|post|rant) every (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|morning|night|meeting)": 0.45,
    r"(?:close|shut|closed) (?:the|your|ur|that) (?:mouth|trap)": 0.55,
    rf"(?:maybe |please |just )?{YOU} (?:can|could|should|must|need to|better) (?:stay|be|keep|remain) (?:quiet|silent)": 0.45,
    r"(?:the )?same (?:old )?(?:song|story|speech|complaint|thing|record) every (?:week|time|day|meeting|session)": 0.4,
    rf"(?:nobody|no one|noone) (?:asks?|asked|vote|votes|voted|elected|chose|invited|wants?|needs?)(?: for)? {YOUR} (?:opinion|advice|input|comment|idea|thoughts)": 0.55,
    rf"(?:nobody|no one|noone) (?:vote|votes|voted|elected|chose|picked) (?:for )?{YOU}\b": 0.5,
    r"(?:it would be|it might be|it'd be|perhaps it would be|it may be) (?:best|better|wise|kinder) (?:for everyone )?if (?:you|u) (?:sat|stayed|stepped|kept|took|didn't|did not|let|left|just)": 0.5,
    r"(?:we|everyone|everybody|the group) (?:would|could) (?:all )?benefit from (?:the|some|a little|a bit of) (?:quiet|silence|peace|break|rest)": 0.5,
    r"(?:run out of|lost|losing|have no|no more) (?:patience|sympathy|time|energy) for (?:your|ur|his|her|their|\w+'s)": 0.55,
    r"(?:your|ur|his|her|their|\w+'s) (?:weekly|daily|latest|usual|constant|endless|monthly|nightly|regular) (?:crisis|crises|drama|emergency|emergencies|saga|complaints?|meltdowns?|sob stor(?:y|ies)|updates?|episodes?)": 0.5,
    r"only so much (?:of (?:that|this|it) )?(?:any of us|we|anyone|one|people) can (?:be expected to )?(?:carry|take|handle|listen to|put up with)": 0.45,
    r"(?:nobody|no one|noone|no1)(?:'s| is| was)? (?:interested|listening|impressed|asking|reading (?:this|that|all that))": 0.5,
    rf"not my (?:problem|fault|job|issue|concern) (?:that )?{YOU}": 0.55,
    rf"{YOU} (?:can't|cant|cannot|couldn't) keep up": 0.45,
    r"(?:^|[.,!] *)(?:just )?(?:move on|move along)(?: already| buddy| pal)?[ .!]*(?:$|\n)": 0.35,
    r"(?:log|logg) off(?! for| early| now| tonight| soon)": 0.4,
    r"touch (?:some )?grass": 0.5,
    rf"(?:take|keep) (?:it|that|this|{YOUR} \w+(?: \w+)?) (?:somewhere else|elsewhere|to (?:yourself|urself)|outside|to another (?:channel|server|thread))": 0.45,
    rf"keep {YOUR} (?:\w+ )?(?:opinions?|thoughts|comments|takes|hot takes|advice|two cents|input) to (?:yourself|urself)": 0.55,
    r"cope harder|cope and seethe|stay mad": 0.5,
    r"seethe|malding|mald": 0.45,
    r"ratio(?:'d|ed)?(?! of)": 0.4,
    rf"(?:nobody|no one|noone)(?: here| in (?:this|here) \w+)? (?:wants|needs|asked for|cares about|is interested in) {YOUR} (?:\w+ ){{0,2}}(?:opinions?|input|takes?|advice|commentary|two cents|life story|thoughts|posts?|updates?|nonsense|drama)": 0.6,
    r"(?:don't|dont) (?:quit|give up) (?:your|ur) day job": 0.5,
    r"(?:go|run along|run back)(?: and)? (?:cry|whine|complain|tattle) (?:to|about)": 0.5,
    rf"(?:who|nobody|no one) (?:invited|asked for|wanted) {YOU}\b": 0.55,
    rf"(?:not|isn't|isnt|is not|aint) (?:everything|the world|this) (?:is )?about {YOU}|(?:this|it) (?:isn't|isnt|is not|ain't|aint) about {YOU}(?: |,)?(?:buddy|pal|sweetie)?": 0.4,
    rf"stay in {YOUR} lane": 0.5,
    rf"mind {YOUR} own (?:business|life)": 0.45,
    rf"(?:sit|pipe) (?:down|it)(?:,)? (?:lil|little|kid|buddy|bro|boy|girl|pal|sweetie|{PET_NAMES})": 0.5,
    r"(?:better yet|or better yet),? (?:nowhere|never|not at all|don't)": 0.45,
    r"(?:^|[.!] *)ok(?:ay)? and\?+": 0.35,
    r"k bye|bye felicia": 0.35,
    rf"(?:^|[.,!] *)(?:whatever|who cares),? (?:{YOU}|dude|bro|man|buddy)?[ .!]*(?:$|\n)": 0.35,
    rf"{YOU} (?:need|should|oughta|ought to) (?:to )?(?:read the room|get over (?:yourself|urself)|calm down|chill|relax|log off|leave)": 0.45,
    rf"(?:read|learn to read) the room,? ({YOU}|@\w+|\w+)?": 0.35,
}

NAMED_SARCASM: dict[str, float] = {
    r"(?:example|textbook case|case study|masterclass|demonstration) (?:of|in) (?:what|how) \*?not\*? to": 0.55,
    r"(?:tends? to|always|conveniently|seems? to|somehow) ['\"]\w+['\"]": 0.45,
    r"the way (?:\w+ ){1,3}['\"]\w+['\"]": 0.45,
    r"(?:is|was) (?:certainly|definitely|quite|sure|really|truly) a choice": 0.45,
    r"(?:reads|listens|works|drives|handles|treats) (?:[\w-]+ ){0,3}the way (?:i|we|you|most people) (?:read|skim|ignore|treat)": 0.45,
    r"(?:basically|pure|total|mostly) fan ?fiction": 0.4,
    r"a little\.{2,}\s*\w+": 0.35,
    r"(?:must have|must've|musta) lowered the bar": 0.5,
    r"(?:mom|mum|mother|dad|father|parent|wife|husband|friend|sponsor|member|employee|peer|sponsee) of the year": 0.45,
    r"tell us again (?:how|about|why)": 0.45,
    r"another ['\"][^'\"\n]{3,40}['\"] (?:post|story|rant|update|message|thread|speech)": 0.5,
    r"love how (?:the|our|this|that|every) (?:\w+ ){0,3}(?:who|are|is|always|now)": 0.35,
    r"(?:are|is) (?:now )?lecturing (?:everyone|everybody|us|people|the rest)": 0.45,
    r"deserves? (?:an? )?(?:oscar|emmy|award|grammy|tony|golden globe)": 0.5,
    r"(?:bringing|bring|grab|get|pass) (?:the |some |me the )?popcorn": 0.4,
    r"(?:same|exact same) (?:performance|show|routine|act|script|speech|story) every": 0.45,
    r"rehearses? (?:it )?in (?:the|a) mirror": 0.45,
    r"(?:a )?(?:big |huge )?round of applause for": 0.45,
    r"(?:has )?once again (?:solved|saved|fixed|figured out)": 0.4,
    r"(?:truly|honestly|really),? the (?:\w+ )?(?:selflessness|humility|generosity|wisdom|modesty|genius|dedication) is (?:breathtaking|astounding|inspiring|staggering|overwhelming)": 0.5,
    r"(?:i'm|im|i am) sure (?:it's|its|it is|that's|thats|that was) (?:just |also |all |purely )?(?:an oversight|a coincidence|an accident|nothing|unrelated|a mistake)": 0.5,
    r"please,? keep sharing your (?:wisdom|insights|genius|brilliance)": 0.5,
    # In-group irony: praise, welcome and wonder said so that they mean the opposite.
    r"(?:oh |ah )?(?:good|great|look|yay|wonderful|fantastic|perfect|joy),? (?:[\w']+ ){1,5}(?:has|have) (?:arrived|graced us|spoken|logged on|entered the chat|returned)": 0.5,
    r"(?:it's|its|it is) (?:lecture|sermon|story|preaching|ted talk|therapy|storytime) time": 0.45,
    r"nothing says (?:[\w'-]+ ){1,3}like": 0.45,
    r"(?:the )?world's (?:leading|foremost|greatest|biggest|top|number one) (?:authority|expert|genius|specialist)": 0.55,
    r"enlighten us|(?:us )?(?:mere mortals|lowly peasants|peasants)": 0.4,
    r"(?:you|your|ur|u|how you) ['\"]\w+(?: \w+){0,2}['\"]": 0.4,
    r"(?:is )?doing a lot of (?:heavy lifting|work) (?:there|here)": 0.45,
    r"bold of (?:you|u|him|her|them) to": 0.5,
    r"what(?:'s| is) it like,? (?:\w+,? )?(?:being|to be) (?:wrong|so|that|this|always)": 0.5,
    r"(?:wrong|clueless|loud) with (?:that|this|so) much confidence": 0.5,
    r"(?:a )?(?:real|absolute|regular|total) ray of sunshine": 0.45,
    r"(?:a |such a )?(?:special|real|fine|lovely|charming|rare) (?:bunch|lot|crowd|breed)": 0.4,
    r"every last one of (?:them|you|us)": 0.35,
    r"['\"][\w' ]{3,30}['\"] again": 0.4,
    r"['\"](?:brilliant|genius|great|amazing|helpful|expert|smart|perfect|fun|hilarious|funny|professional|important|urgent|busy|sick|emergency|advice|help|expertise)['\"]": 0.45,
    r"(?:truly|such|a real|what a) (?:a )?gift to (?:the|this|us|humanity|mankind|the world)": 0.4,
    r"(?:the rest of us|we all|we) (?:get to|have to|had to|always|will) clean up": 0.45,
    r"(?:we'd|we would|i'd|i would) (?:all |just )?love (?:another|more|yet another|to hear (?:more|another))": 0.45,
    r"(?:another|yet another|one more) (?:[\w-]+ ){0,2}(?:monologue|lecture|sermon|rant|speech|essay|saga|ted talk)": 0.45,
    r"(?:truly |so |such )?riveting(?: stuff)?|never gets old": 0.4,
    r"(?:congrats|congratulations|well done|bravo|kudos),? (?:\w+,? )?on (?:finally )?(?:discovering|learning|finding|figuring out|realizing|realising|grasping|noticing)": 0.55,
    r"only took (?:you|him|her|them|u) (?:\w+ ){0,3}(?:years|months|weeks|tries)": 0.45,
    r"(?:'s|is|are) explaining (?:[\w-]+ ){1,2}to us(?: again)?": 0.4,
    r"['\"](?:forgot|forgets|lost|missed|accidentally|didn't see|overslept|was sick|had to leave|misplaced|busy|emergency)['\"]": 0.45,
    r"(?:pure|total|complete|sheer) coincidence": 0.4,
    r"(?:wow|oh|ooh),? (?:\w+,? )?(?:so|such|very|what a|what|such a) (?:helpful|useful|great|brilliant|smart|wise|deep|good|amazing|original) (?:advice|idea|tip|comment|insight|contribution|answer|suggestion)": 0.5,
    r"(?:thank you|thanks) (?:very much|so much|a lot),? (?:captain obvious|professor|doctor|einstein|genius|sherlock|expert|teacher)": 0.5,
    r"(?:give|get|gives) (?:her|him|them|this \w+|\w+) (?:a |the )?(?:medal|trophy|prize|award|cookie|gold star)": 0.5,
    r"(?:the )?(?:champion|queen|king|master|expert|professor|olympic champion|world champion) of (?:late|lateness|being late|drama|excuses|complaining|complain|gossip|interrupting|talking|nothing)": 0.5,
    r"congratulation(?:s)?,? (?:\w+ )?(?:is|are|was|you|he|she) (?:late|wrong|again|finally)": 0.45,
    r"(?:i'm|im|i am) sure (?:\w+|he|she|they) means? well": 0.45,
    r"(?:it's|its|it is) (?:just )?(?:a pity|a shame|unfortunate) (?:that|how)": 0.35,
    r"(?:it|that) must be (?:lovely|nice|wonderful|great|so nice) to (?:have|be|get|live)": 0.5,
    r"(?:is|was|must be) the (?:difficult|hard|tricky|challenging|confusing) part": 0.4,
    r"per my (?:last|previous|earlier)(?: \w+)? (?:messages?|emails?|posts?|notes?|reminders?)": 0.4,
    r"(?:thank you|thanks),? (?:\w+,? )?for that (?:contribution|input|insight|insightful|enlightening|helpful|interesting)\b[^.!?]{0,40}\.{2,}": 0.5,
    r"\w+\.{3} ?(?:a |an )?(?:contribution|choice|idea|take|effort|interesting|something|unique|special)": 0.35,
    r"(?:has|have) a (?:real |rare |special |remarkable |true )?(?:gift|talent|knack) for (?:\w+ing|making|turning|finding|scheduling|missing|forgetting|derailing)": 0.35,
    r"one (?:might|could|would) (?:almost )?(?:think|suspect|assume|imagine)": 0.4,
    r"(?:oh )?(?:good|great|look|wonderful|perfect|yay|joy|lovely|fantastic|wow),? (?:the|our|here comes the|it's the|its the) (?:resident |local |self[- ]appointed |self[- ]proclaimed )?(?:expert|genius|professor|guru|know[- ]it[- ]all|authority|scholar|prophet|therapist|doctor|oracle|queen|king|princess|main character|saint|hero|legend|smartest \w+|philosopher|life coach|comedian|critic|police)\b": 0.6,
    r"(?:the|our|this) (?:resident|local|self[- ]appointed|self[- ]proclaimed|designated|unofficial) (?:expert|genius|therapist|guru|authority|critic|saint|know[- ]it[- ]all|comedian|philosopher|life coach|genius|drama queen|victim|tough guy|police|hall monitor)": 0.55,
    r"(?:expert|genius|professor|guru|oracle|main character|royalty|the queen|the king|his majesty|her majesty|the prophet) (?:has|have) (?:arrived|spoken|graced us|blessed us|entered the chat|logged on)": 0.55,
    r"(?:couldn't|couldnt|could not|can't|cant) be (?:me|you|u)(?:,)? (?:though|right|tho|lol|haha)?\s*(?:@\w+|\w+)?": 0.35,
    r"(?:can't|cant|cannot) wait for (?:\w+(?:'s)? )?(?:next|today's|tomorrow's|todays|another|the next) (?:ted ?talk|lecture|sermon|masterclass|essay|speech|hot take|life lesson|monologue|rant|seminar|podcast|motivational \w+)": 0.55,
    r"(?:another|today's|todays|daily|weekly|free|unsolicited) (?:ted ?talk|lecture|sermon|masterclass|seminar) (?:on|about|from)": 0.45,
    r"(?:thank you|thanks|ty|ok|okay|sure),? (?:captain obvious|professor|doctor|einstein|genius|sherlock|dr\.? phil|mr\.? \w+|miss \w+|your (?:majesty|highness))": 0.55,
    r"(?:wow|ooh|oo+h?),? (?:so|such|what a|how) (?:brave|deep|edgy|original|profound|quirky|unique|inspiring|revolutionary)": 0.45,
    rf"(?:sure|yeah|yep|right|totally),? (?:because|cause|cuz|bc) {SOMEONE} (?:is|are|'s|'re|was|were) (?:such )?(?:an? )?(?:expert|genius|pro|authority|model \w+|role model|saint)": 0.5,
    r"(?:imagine|picture) (?:being|having|needing|thinking|still|getting|posting|writing|acting)\b": 0.3,
    r"(?:look|omg look|lol look) (?:who|at who)(?:'s| is) (?:back|here|awake|talking|online|posting)": 0.4,
    rf"(?:did|does|do) {SOMEONE} (?:want|need|expect) a (?:medal|cookie|trophy|parade|prize)": 0.55,
}

PUTDOWNS: dict[str, float] = {
    rf"(?:{YOURE}|he's|she's|hes|shes|he is|she is|they're) the last (?:person|one|people)(?: in here| here| on earth)? (?:who )?(?:should|to) (?:be )?(?:giving|talking|judging|lecturing|preach|preaching|give|talk|lecture|judge)": 0.55,
    r"(?:doesn't|doesnt|does not|don't|dont|do not) (?:even )?know what (?:she|he|they|you|u)(?:'s|s|'re| is| are| r)? talking about": 0.55,
    r"(?:has|have|got) (?:zero|no) (?:clue|idea) what (?:she|he|they|you|u)(?:'s|s|'re| is| are| r)? (?:talking about|doing)": 0.55,
    r"(?:do|does|doing|did) the bare minimum": 0.45,
    r"(?:half|a fraction|a tenth) (?:of )?the (?:energy|effort|time|attention|care) (?:into|on|for) (?:her|his|their|your|ur) (?:kids?|children|job|recovery|life|family|work)": 0.5,
    r"the way (?:you|u|he|she|they) (?:\w+ ){1,8}(?:is|was|are|were) (?:\w+ ){0,2}(?:scary|concerning|worrying|disturbing|gross|sad|embarrassing|awful|terrible|pathetic|ridiculous|cringe|rude|toxic|abusive|alarming)": 0.55,
    r"(?:show(?:s|ed)? up|come|came|coming) (?:to (?:\w+ ){1,2})?(?:high|drunk|wasted|loaded|hammered|stoned|buzzed) again": 0.5,
    r"(?:knows?|know) how to do anything (?:besides|but|except|other than)": 0.5,
    r"(?:has|have) no business (?:running|leading|being|moderating|facilitating|teaching|sponsoring|giving)": 0.5,
    r"(?:a|the) (?:human|walking|living) (?:fog machine|megaphone|black hole|mood killer|buzzkill|rain cloud|storm cloud|headache)": 0.55,
    r"(?:is|it's|its) like watching (?:a|an|someone|somebody) ": 0.35,
    r"(?:couldn't|could not|can't|cant|wouldn't|would not) (?:spot|see|find|recognize|recognise|notice|catch) (?:a |an |the )?\w+(?: \w+)? if (?:it|they|one|he|she) (?:was|were|bit|hit|slapped|stared|walked|came|jumped)": 0.55,
    r"(?:leaves|gives|left|gave) (?:everybody|everyone|us|people|me|the whole \w+) (?:with )?a (?:headache|migraine|rash|hangover|sunburn)": 0.5,
    r"is like being (?:stuck|trapped|locked) (?:in|with|on) ": 0.45,
    r"(?:sharing|spending|being in) (?:a |the )?(?:room|space|time|shift|car|meeting) with (?:you|u|him|her|them|\w+) is like": 0.5,
    r"(?:is|are|'s|was) like (?:a |an )?(?:empty|broken|hollow|old|dead|rusty|cracked|leaking) (?:bottle|drum|can|box|house|radio|record|shell|battery|tap|machine)": 0.5,
    r"(?:nobody|no one|noone)(?: is|'s)? (?:at )?home(?: in| up)? (?:there|here)?": 0.4,
    r"(?:your|ur|his|her|their) (?:head|brain|mind) (?:is|are) (?:like )?(?:a |an )?(?:empty|house|room|box|hole|desert|balloon)": 0.5,
    r"plays? the victim(?: card)?|playing the victim(?: card)?": 0.5,
    r"(?:is|are|they are|they're) not serious (?:people|peoples|persons|members|person)": 0.4,
    r"(?:is|was|would be|it's|its|like) (?:like )?asking (?:a|an) \w+ to (?:teach|lead|run|fly|swim|judge|cook|drive|moderate|facilitate)": 0.55,
    r"like (?:talking|speaking|arguing|reasoning|chatting) (?:to|with) (?:a|an) (?:\w+ ){0,2}(?:wall|brick|rock|toddler|goldfish|bot|potato|child|npc|pigeon|tree|robot|zombie|void|brick wall|houseplant|fence post)": 0.55,
    r"(?:someone|somebody|a person|people) who (?:was|were|is) (?:still )?(?:using|drinking|in rehab|in detox|relapsing|on probation)": 0.45,
    r"about as (?:useful|helpful|sharp|bright|smart|fun|exciting|interesting|reliable|welcome|pleasant|effective|productive|supportive|warm|quick|competent|relevant) as (?:a|an)": 0.6,
    r"(?:is|are|'s|'re|was|were|r|ur) (?:just |literally |basically )?as (?:useful|helpful|sharp|reliable|welcome|pleasant|effective|productive|competent) as (?:a|an) (?:\w+ ){0,3}(?:screen door|chocolate|paper|broken|wet|soggy|ashtray|handbrake|umbrella in|chocolate teapot|inflatable|rubber)": 0.55,
    rf"(?<!\bi )(?<!\bi'm )(?:couldn't|couldnt|could not|can't|cant|cannot) (?:run|organi[sz]e|lead|manage|plan|host|pour|find|fix|handle|moderate|facilitate) (?:a |an |the |his |her |their |your |ur |my )?(?:\w+ ){{0,3}}?{SMALL_TASKS}": 0.55,
    r"(?:couldn't|couldnt|could not|can't|cant|cannot) (?:\w+ ){1,5}?(?:if (?:his|her|their|your|ur) li(?:fe|ves) depended on it|to save (?:his|her|their|your|ur) li(?:fe|ves)|with (?:a map|both hands|instructions|a manual|a guide|a flashlight))": 0.55,
    r"(?:without it|without (?:the (?:whole )?)?(?:thing|place|chat|group|room)) catching (?:on )?fire|(?:catching|catch|goes up|go up) (?:on )?(?:fire|in flames)": 0.3,
    r"(?:you're|youre|ur|you are|u r|he's|she's|hes|shes|he is|she is|they're|theyre|\w+ is) (?:like|basically|literally|just) (?:a|an|the) (?:\w+ ){1,5}?(?:nobody|no one|noone) (?:wants|asked for|can|likes|needs|reads|uses|would|ever)": 0.6,
    r"(?:talking|dealing|working|arguing|chatting|texting|playing|reasoning|living) (?:to|with) (?:you|u|him|her|them|\w+) (?:is|was|feels) like (?:\w+ ){0,4}(?:wall|brick|rock|toddler|goldfish|bot|potato|child|npc|pigeon|tree|rock|robot|drunk|zombie|chatbot|wet sock|pillow|void|brick wall)": 0.6,
    r"(?:is|was|feels) like (?:talking to|arguing with|reasoning with|teaching|explaining \w+ to|playing with|queueing with|duo ?queueing with|babysitting) (?:a|an) (?:\w+ ){0,5}(?:wall|brick|rock|toddler|goldfish|bot|potato|child|npc|pigeon|tree|robot|zombie|chatbot|wet sock|void|troll)": 0.55,
    r"(?:the|a|an) (?:personality|charisma|emotional range|brain ?power|attention span|iq|social skills|people skills|common sense|self[- ]awareness|sense of humou?r) of (?:a|an) (?:\w+ ){0,3}\w+": 0.55,
    r"(?:whole|entire|only) personality is": 0.5,
    r"not the (?:sharpest|brightest) (?:tool|crayon|bulb|knife|pencil|light)": 0.6,
    r"(?:a )?(?:few|couple) (?:fries|sandwiches|bricks|cards|screws|beers|crayons|marbles) short": 0.6,
    r"(?:two|2|three|3|single|one) (?:functioning )?brain ?cells?|room[- ]temperature iq|(?:head|brain) (?:full of|made of) (?:air|rocks|mush|cotton)": 0.55,
    r"(?:a|the) (?:walking|living|human) (?:disaster|red flag|cautionary tale|headache|l|participation trophy|nightmare|dumpster fire|trainwreck|train wreck|mess|joke|cringe compilation)": 0.6,
    r"waste of (?:oxygen|space|air|skin|a (?:seat|spot|chair|login|username))": 0.7,
    r"(?:for|just for|all for|farming) (?:the )?(?:clout|attention|likes|sympathy|pity|views|clicks|validation|engagement)(?! (?:is|isn't|was) (?:fine|okay|ok|normal|valid))": 0.4,
    r"(?:fishing|begging|farming) for (?:sympathy|attention|compliments|pity|likes|validation)": 0.5,
    r"(?:could|couldn't) (?:\w+ )?(?:find|locate) (?:their|his|her|your|ur) (?:own )?(?:way|ass|butt|head) (?:out of|with)": 0.55,
    r"(?:never|barely|hardly) (?:had|has|have) (?:an? )?(?:original|single|coherent|useful) (?:thought|idea|opinion)": 0.55,
    r"(?:brings?|brought|adds?|added|contributes?) (?:absolutely |literally )?(?:nothing|zero|0) to (?:the|this) (?:table|group|conversation|team|server|chat|circle)": 0.5,
}

# Insinuation: something shameful hinted about someone, with no gossip word.
INSINUATION: dict[str, float] = {
    r"can we talk about how (?:\w+ ){1,2}(?:got|gets|became|passed|keeps)": 0.4,
    r"asking for a friend": 0.3,
    r"(?:i )?(?:wouldn't|would not|wouldnt) trust (?:her|him|them|\w+) with": 0.5,
    r"you know who you are": 0.45,
    r"we all (?:heard|saw|know) (?:it|that|what)": 0.35,
    r"(?:i'd|id|i would|i'd really) think twice before (?:leaving|trusting|letting|lending|giving|telling)": 0.5,
    r"(?:that's|thats) all (?:i'll|ill|i will|i'm gonna|im gonna) say": 0.4,
    r"(?:i|we) (?:hear|hears|hearing) (?:that )?(?:\w+|he|she|they) (?:is|was|has|got|not|are|have)": 0.4,
    r"(?:i|i'm|im) (?:only|just) (?:say|saying)": 0.35,
    r"say only|just saying": 0.35,
    r"(?:not so|not really|not very) (?:sober|clean|honest|sick|busy|innocent) (?:like|as) (?:he|she|they|\w+) (?:says?|said|tells?|claims?|pretends?)": 0.5,
    r"(?:won't|will not|wont|i won't|i will not) name (?:any )?names": 0.45,
    r"let's just say|lets just say": 0.35,
    r"coincides? (?:remarkably|suspiciously|conveniently|perfectly|oddly) (?:well )?with|(?:remarkably|suspiciously|conveniently) timed": 0.45,
    r"certain (?:people|members|individuals|folks|someones|persons|colleagues|staff)": 0.35,
    r"(?:i|we) (?:notice|noticed|can't help noticing|couldn't help noticing) (?:that )?(?:\w+ )(?:only|always|never|conveniently|somehow)": 0.4,
    r"(?:only ever|always conveniently|somehow always|conveniently) (?:volunteers?|shows? up|appears?|helps?|calls? in sick|leaves? early|disappears?|gets?)": 0.4,
    r"(?:wonder|wondering|makes (?:you|me) wonder|curious) (?:what|who|why|where|how) (?:\w+ ){1,3}(?:was|were|is|has been|'s been|had been|is really|was really|was actually)\b[^.?!]{0,40}(?:really|actually|up to|doing|with|all (?:weekend|night|day))": 0.45,
    r"(?:kinda|kind of|pretty|real|so|funny|interesting|curious|weird|strange|convenient|odd|wild)(?: funny| interesting| curious| convenient| wild)? how (?:\w+(?:'s)? ){1,4}(?:always|every time|whenever|only|never|suddenly|right after|conveniently|keeps?)": 0.45,
    r"(?:not saying|i'm not saying|im not saying|i'm just saying|not gonna say|won't say|wont say|not naming (?:any )?names|no names mentioned|i'll say no more|say no more|if you know you know|iykyk|draw your own conclusions|connect the dots|just an observation|make of that what you will|read between the lines|i'll leave it at that|ill leave it at that)": 0.4,
    r"(?:everyone|everybody|we all|y'all|yall|you all) (?:knows?|know) (?:why|what|who|how|the real reason)": 0.45,
    r"[\"'](?:had to|needed to|decided to|chose to|taking|took|working from home|family emergency|personal reasons|stepp?(?:ed|ing)? back|busy|sick|tired|helping|visiting|studying|resting|a friend|just friends|coincidence)[^\"'\n]{0,30}[\"']": 0.35,
    r"(?:really|actually|supposedly|allegedly) (?:was |were )?(?:doing|with|at|up to)\b[^.?!]{0,30}(?:weekend|night|hours|time)": 0.3,
    r"(?:totally|definitely|surely|i'm sure it's|im sure its) (?:a )?(?:coincidence|unrelated|nothing)": 0.4,
    # Scare quotes around what someone says they did: "her 'overtime'".
    r"\w+'s ['\"]\w+(?: \w+){0,2}['\"]": 0.4,
    r"(?:his|her|their) ['\"]\w+(?: \w+){0,2}['\"]": 0.4,
    r"(?:every ?time|whenever) (?:his|her|their|\w+'s) (?:\w+ ){0,2}(?:comes|visits|shows up|is around|gets paid|is in town)": 0.35,
}

RHETORICAL: dict[str, float] = {
    r"if (?:\w+ ){1,3}spent less time (?:on|doing|talking|telling|posting)": 0.5,
    r"maybe if (?:you|u|ur|your|he|she|they|\w+) (?:actually |just |ever )?(?:put|picked|paid|spent|listened|stopped|tried|did|showed|got off|set|watched|parented|cared)\b[^.!?]{0,70}?(?:wouldn't|wouldnt|would not|won't|wont|might not|would stop|would be)": 0.55,
    r"(?:yes|yeah|and yes),? this (?:is|one is|was|post is) (?:about|for|directed at|aimed at) (?:you|u)\b": 0.5,
    r"what(?:'s| is) your (?:deal|problem|issue|damage)": 0.55,
    r"does it make (?:you|u) feel (?:big|good|important|powerful|better|tough|smart)": 0.55,
    r"when was the last time (?:you|u) (?:said|did|helped|contributed|listened|offered)": 0.45,
    rf"who (?:made|make|makes|put|named|chose) {YOU} (?:the )?(?:boss|king|queen|leader|in charge|god|moderator|mod|expert|police|judge|teacher)": 0.6,
    r"(?:is|it's|its|it is) (?:normal|usual|common|ok|okay|polite) in (?:your|ur|his|her|their) (?:country|culture|family|religion|village|generation)": 0.55,
    r"is there (?:some|a|any) (?:particular |good )?reason (?:why )?(?:\w+ ){1,4}(?:cannot|can't|can not|won't|never|always|insists? on|refuses? to|has to|needs to)": 0.5,
    r"(?:do|does|did) (?:you|u) (?:ever )?(?:actually |really )?(?:listen to|read|hear) (?:yourself|urself|your own)": 0.55,
    r"or is (?:that|this) (?:a )?(?:privilege|luxury|right|courtesy) reserved": 0.45,
    rf"who (?:even )?(?:asked|invited|wanted|needs|cares about) {YOU}\b|who (?:even )?asked(?: for)? {YOUR}": 0.6,
    r"why (?:are|r|is) (?:you|u|he|she|they|\w+) (?:like this|like that|always like this|this way|such an? \w+|even (?:here|talking|allowed|posting)|still (?:here|talking|posting))": 0.55,
    rf"how (?:are|r|is|can|do|does) (?:you|u|someone|anyone|he|she|they|\w+) (?:this|that|so|still|always)(?: \w+)? {NEGATIVE_ADJ}": 0.55,
    r"(?:what's|whats|what is|what was) the point of (?:you|u|him|her|them|having (?:you|u|him|her|them))\b": 0.6,
    r"why (?:do|does|did|would|should) (?:you|u|he|she|they|\w+) even (?:bother|join|come|post|try|show up|talk|speak|open (?:your|ur|his|her) mouth|exist|be here|type)": 0.55,
    rf"(?:do|does|did) {YOU} (?:ever|even) (?:actually |really )?(?:stop talking|shut up|listen|think before|read before|get tired of (?:hearing |listening to )?(?:yourself|urself|your own voice)|think\?|read\?)": 0.5,
    rf"who (?:hurt|raised|dropped) {YOU}(?! the)": 0.5,
    r"(?:is|was) (?:that|this) (?:supposed|meant) to be (?:a |an )?(?:joke|funny|helpful|advice|an argument|a point|deep|smart)": 0.45,
    rf"(?:do|does|did|can|can't|cant) {YOU} (?:not |even )?(?:read|see|hear|count|understand english)\?": 0.45,
    rf"(?:are|r) {YOU} (?:always|even|ever|actually|really) (?:this|so|that) {NEGATIVE_ADJ}": 0.55,
    rf"what (?:is|'s|s) (?:even )?wrong with {YOU}": 0.55,
    rf"(?:how|why) (?:is|does|do|did|would) (?:anyone|anybody|someone|somebody|people) (?:even )?(?:like|stand|tolerate|put up with|listen to|trust) {YOU}": 0.6,
    r"(?:who|what kind of (?:person|adult|peer|mentor|mod|moderator|friend)) (?:even )?(?:says|does|posts|writes|thinks) (?:that|something like that|stuff like that)": 0.45,
    rf"(?:are|r) {YOU} (?:ok|okay|alright|well)(?: in the head| up there|\?\? *(?:lol|lmao)| mentally| upstairs)": 0.45,
}

GENERALISATION: dict[str, float] = {
    r"(?:cuts?|cutting) every corner": 0.45,
    r"not surprised (?:the|that|\w+) (?:\w+ ){0,3}(?:failed|messed up|screwed up|got fired|got written up)": 0.4,
    r"(?:dads|moms|mums|men|women|newbies|newcomers|parents|guys|girls|members|people|ppl|folks) (?:in|of) (?:this|the|here) ?(?:group|chat|server|channel|meeting)? (?:always|all|never|just|only|do|are|think|want|act)\b": 0.4,
    r"(?:newbies|newcomers|new people|new ppl|new members)(?: in here| here| in this \w+)? always (?:think|act|want|complain|say|post)": 0.45,
    r"half of (?:them|you|these \w+|those \w+|the \w+) (?:think|thinks|can't|cannot|don't|believe|couldn't)": 0.45,
    r"(?:all of them|they are all|they're all|all the same|every one) (?:the )?same": 0.4,
    r"(?:don't|dont|do not|doesn't|doesnt|does not) (?:care|respect|listen|help|know|understand|do) (?:nothing|nobody|no one|noone)": 0.35,
    r"(?:the )?(?:moderators|mods|admins|leaders|facilitators|staff|organizers|organisers|coordinators|old members|new members) (?:here |in this \w+ )?only (?:protect|help|care about|listen to|defend|support|answer) (?:their|his|her) (?:own )?(?:friends|favorites|favourites|people|group|circle)": 0.55,
    r"(?:the )?(?:younger|older|new|newer|junior|senior) (?:\w+ ){0,1}(?:specialists|staff|members|folks|people|ones|generation|peers|hires|cohort|crowd|lot)\b[^.!?]{0,60}(?:seem to (?:think|believe)|all think|always think|act like|believe (?:that )?(?:they|recovery))": 0.45,
    r"(?:always|all|invariably) seem (?:convinced|to think|to believe|to assume)": 0.4,
    r"(?:and )?(?:frankly|honestly),? it shows": 0.4,
    rf"(?:people|ppl|folks|guys|men|women|girls|dudes|someone|anyone) like {YOU}\b(?! (?:make|made|are why i|help|keep me|give me))": 0.5,
    r"(?:people|ppl|folks|guys) like (?:him|her|them|that|\w+) (?:are|r|always|never|should|ruin|don't|dont|need)": 0.45,
    rf"{YOUR} (?:kind|type|sort|lot)\b(?! (?:words|of|message|note|heart|soul))": 0.45,
    r"(?:the )?(?:new|old|young|older|newer) (?:ppl|people|ones|members|folks|kids|guys|crowd|generation|batch|lot|cohort|members)\b[^.?!]{0,40}\b(?:are|r|is) (?:all|always|just|literally|so|such)\b": 0.4,
    r"(?:every|each) (?:single )?(?:one|1) of (?:them|these \w+|those \w+)": 0.3,
    r"(?:all|every one of|half of) (?:you|u|y'all|yall|them|these|those) (?:people|ppl|\w+s)? ?(?:do is|ever do|care about|are the same|are all|think (?:they're|you're|ur))": 0.35,
    r"thinks? (?:they're|theyre|they are|he's|she's|hes|shes|you're|youre|ur|you are) (?:the |a |some kind of )?main character": 0.5,
    r"main character (?:syndrome|energy|complex)": 0.4,
    r"(?:this|that) (?:is|'s|s) (?:why|what) (?:nobody|no one|everyone|everybody|people|ppl) (?:likes?|trusts?|hates?|avoids?|leaves?|left|quits?|stops?) (?:you|u|this|them|coming|posting|\w+ing)": 0.55,
}

THREATS: dict[str, float] = {
    r"(?:decency|patience|kindness|silence) has (?:a shelf life|an expiration date|limits|a limit)": 0.5,
    r"(?:your|ur) move[.!]*(?:$|\n)": 0.3,
    r"(?:i )?(?:won't|will not) be the one (?:who )?(?:ends? up|left|looking)": 0.45,
    r"(?:i'm|im|i am) not threatening (?:anybody|anyone|you)": 0.4,
    r"(?:i )?(?:still )?have (?:the )?screenshots": 0.35,
    r"(?:start|starting) sharing (?:some of )?what i know": 0.5,
    r"see how (?:funny|fun|nice|great|cute|clever) it (?:gets|is|feels) when": 0.55,
    r"(?:you will|you'll|u will|u'll|you gonna|you going to) see what happens?": 0.6,
    rf"(?:be|better be|you better be|you should be) careful (?:what|how|with what) {YOU} (?:say|talk|write|post|do)": 0.5,
    rf"i know (?:people|someone|somebody|guys|persons) (?:who|that) (?:know|knows|can find) {YOU}": 0.6,
    r"(?:i am|i'm|im) not (?:joking|kidding)(?: with you)?": 0.3,
    r"remember (?:this|that|my words)[.!]*(?:$|\n)": 0.3,
    r"(?:i would|i'd|i should) be (?:very |extremely |quite )?careful (?:about )?(?:what|how|who) (?:you|u)": 0.55,
    r"i have a long memory|i (?:don't|do not) forget|i keep (?:records|receipts|notes)|i('ve| have) (?:kept|saved) (?:the )?(?:screenshots|receipts|records)": 0.45,
    r"(?:will|would|'ll) have no (?:choice|option) but to": 0.4,
    r"(?:consider this|this is) (?:your|a|the) (?:one |only |final |last |first )?(?:courtesy |official |friendly )?(?:notice|warning|reminder)": 0.5,
    r"(?:take|taking) (?:it|this) (?:up the chain|higher|further|to (?:hr|management|your supervisor|the board))|go over (?:your|ur) head": 0.35,
    r"(?:supervisors|management|your (?:boss|supervisor)|people|they) (?:do |can |will )?read (?:these|this|the) (?:channels?|chats?|threads?|posts?)": 0.4,
    r"(?<!to )(?<!wait and )(?:see|watch) what happens(?! next| when| if| with| after| in| to)": 0.55,
    r"(?:have|has|got) a way of (?:getting|ending up|disappearing|being|going|vanishing)": 0.5,
    rf"i know (?:where {YOU} (?:live|work|sleep|go)|which (?:account|one|profile)|who {YOU} (?:are|really are)|{YOUR} (?:alt|address|real name|main|workplace)|what {YOU} did|(?:your|ur) (?:secret|little secret))": 0.6,
    rf"watch {YOUR} (?:back|mouth|step|tone|words)|watch (?:yourself|urself|it,)|(?:better )?watch out,? {YOU}": 0.5,
    rf"^\W*(?:careful|be careful|easy now|tread carefully),? (?:\w+,? )?(?:people|ppl|ones|those|folks|{YOU}|anyone|whoever)\b": 0.4,
    r"(?:you'll|youll|u'll|you will|u will|you're gonna|youre gonna|ur gonna|you are going to|you're going to) (?:regret (?:it|this|that)|be sorry|pay for (?:it|this|that))": 0.6,
    r"(?:would be a |it'd be a |be a )?(?:shame|pity) if (?:something|anything) (?:happened|were to happen|happens)": 0.65,
    r"(?:wouldn't|would not|wouldnt) want (?:anything|something) (?:bad )?to happen": 0.65,
    r"(?:last|final) warning": 0.45,
    r"(?:^|\W)(?:friendly )?(?:reminder|warning)[ .!]*(?:\U0001f60a|\U0001f642|\U0001f643|\U0001f607)": 0.3,
    r"(?:don't|dont) make me (?:come|find|do|say|tell|report|post|share|expose)": 0.5,
    r"(?:keep|go ahead and keep|keep on) (?:it up|doing (?:that|this)|talking|posting|\w+ing)\b[^.!?\n]{0,60}?(?:and )?(?:see what|you'll see|watch what|find out)": 0.6,
    r"(?:accidents happen|people get hurt|things happen to people)": 0.45,
    rf"(?:i'll|ill|i will|i'm gonna|im gonna) (?:expose|out|dox|report|screenshot|leak) (?:you|u|him|her|them|{YOUR}|everything)": 0.5,
    r"(?:everyone|everybody|the whole (?:server|group|chat)) (?:will|is going to|gonna) (?:find out|know|see) (?:what|who|about)": 0.5,
}

FEELING_ATTACKS: dict[str, float] = {
    r"(?:you|u) are the (?:single )?(?:hardest|worst|most (?:exhausting|draining|difficult|annoying)) (?:part|thing) (?:of|about)": 0.6,
    r"(?:i )?dread (?:opening|reading|seeing|checking)": 0.4,
    r"(?:i'm|im|i am|i get|i feel|i got) (?:so |already |just )?(?:exhausted|tired|drained|worn out|bored) (?:just )?(?:reading|hearing|seeing|listening to|looking at) (?:your|ur|his|her|their|\w+'s)": 0.55,
    r"(?:that much|so much|your|ur|his|her|such) self[- ]pity": 0.45,
    r"(?:i|we) find (?:our|your|ur|his|her|their|\w+'s) (?:conversations|comments|posts|presence|company|updates|contributions|messages|questions|stories) (?:quite |rather |very |so |increasingly |frankly )?(?:tiring|exhausting|draining|tedious|trying|tiresome|grating|insufferable|pointless)": 0.55,
    r"(?:i|we) (?:don't|do not|dont) mean to be (?:unkind|rude|harsh|mean|blunt),? but": 0.3,
    rf"(?:every ?time|whenever|when) i see {YOUR} (?:name|post|face|messages?|username|pfp|avatar|icon)\b[^.!?]{{0,50}}(?:groan|cringe|sigh|roll my eyes|want to (?:leave|scream|puke|log off)|lose (?:brain cells|hope|the will)|die inside|mute|scroll past|skip)": 0.6,
    r"(?:every ?time|whenever) (?:you|u) (?:post|talk|speak|type|open (?:your|ur) mouth|show up|join|log on)\b[^.!?]{0,50}(?:groan|cringe|sigh|roll my eyes|want to (?:leave|scream|puke)|lose (?:brain cells|hope)|die inside|gets? worse|goes? (?:quiet|downhill))": 0.6,
    r"no offen[cs]e": 0.3,
    r"(?:with all due respect|respectfully),? (?:you|u|ur|your) (?:are|r|sound|seem|need|have no)": 0.35,
    rf"(?:being|talking|working|hanging out|dealing|sitting|living) (?:around|with|to|near|next to) {HIM}\b[^.!?]{{0,20}}(?:is|are|was|feels|has been) (?:so |really |honestly |literally |just |kind of |kinda )?(?:draining|exhausting|tiring|painful|unbearable|a chore|torture|miserable|the worst|hell|a nightmare|a headache|suffocating|toxic)": 0.55,
    rf"(?:being|talking|working|hanging out|dealing|sitting|living) (?:around|with|to|near|next to) {YOU}\b[^.!?]{{0,20}}(?:is|are|was|feels|has been) (?:so |really |honestly |literally |just |kind of |kinda )?(?:draining|exhausting|tiring|painful|unbearable|a chore|torture|miserable|the worst|hell|a nightmare|a headache|suffocating|toxic)": 0.65,
    rf"{YOU} (?:make|makes) me (?:want to|wanna) (?:scream|puke|leave|quit|gag|throw up|log off|cry|pull my hair out|bang my head)": 0.6,
    r"(?:i|we) (?:physically|literally|audibly|visibly) (?:groan|cringe|gag|wince|sigh)(?:ed)?": 0.35,
    rf"(?:i|we) (?:dread|hate|can't stand|cant stand) (?:seeing|reading|hearing|listening to) {YOUR}\b": 0.6,
    r"(?:lose|losing|lost) (?:brain cells|iq points|the will to live) (?:reading|listening|hearing|every time)": 0.55,
    rf"(?:i'm|im|i am|we're|we are) (?:so |just |honestly )?(?:tired|sick|done|exhausted) (?:of|with) {YOU}\b(?! (?:all|guys) (?:being|supporting))": 0.55,
    r"(?:i'm|im|i am) (?:so |just |honestly )?(?:tired|sick) of (?:hearing|reading|seeing) (?:your|ur|his|her|their|\w+'s) ": 0.5,
}

EXCLUSION: dict[str, float] = {
    r"(?:don't|dont|do not|pls dont|please don't|plz dont) (?:invite|include|add|ask) (?:\w+) (?:to|in|into|for)": 0.45,
    r"(?:she's|he's|shes|hes|they're|theyre) (?:just )?a lot(?:,| and|\.|$)": 0.3,
    r"(?:quietly )?(?:left|leave|leaving) the (?:server|group|chat|channel) and (?:didn't|don't|never|not) come back": 0.6,
    r"(?:nobody|no one|noone) (?:is going to|will|gonna|would|is gonna) miss (?:you|u|your|ur|him|her|his)": 0.6,
    r"(?:feel free to )?take a (?:nice |long |permanent |very long |nice long )+break from (?:posting|here|talking|this \w+|us)": 0.5,
    rf"(?:no ?one|nobody|noone|no1)(?: here| in (?:this|here|the) \w+| else)? (?:listens to|likes|wants|cares about|reads|takes|trusts|needs|respects|misses|invited) {YOU}\b": 0.6,
    rf"(?:no ?one|nobody|noone|no1)(?: here| in (?:this|here|the) \w+| else)? (?:wants?|wanted|likes?) to (?:listen|hear|talk|sit|work)(?: to| with)? {YOU}\b": 0.6,
    rf"(?:better|maybe|please) {YOU} (?:go|find|leave|look for)\b[^.!?]{{0,20}}(?:other|another|different|new) (?:group|server|chat|place|community)": 0.5,
    rf"(?:no ?one|nobody|noone|no1)(?: here| in (?:this|here|the) \w+)? (?:wants|needs|cares about|reads|is interested in) {YOUR}\b": 0.5,
    rf"{YOURE} (?:not|no longer|never) (?:welcome|wanted|needed|one of us|part of (?:this|the) \w+)": 0.6,
    rf"{YOU} (?:don't|dont|do not) (?:belong|fit in) (?:here|in this|with us)": 0.6,
    r"(?:not|isn't|is not) welcome (?:here|in (?:this|the) \w+)": 0.5,
    r"(?:go|get|log|move|stay) (?:back )?(?:away|out|off)(?: from (?:here|us|this \w+))? and (?:don't|dont|never) come back": 0.6,
    rf"(?:we|everyone|everybody|the group)(?:'d| would)? (?:all )?(?:be|are|were) (?:so much |much |a lot )?(?:better|happier|calmer) (?:off )?(?:without {YOU}|if {YOU} (?:left|were gone|weren't here|didn't post|quit|stopped posting|went away))": 0.65,
    r"(?:just |please )?(?:leave|go away|quit|get out)(?: already)?,? (?:nobody|no one) (?:wants|needs|likes)": 0.6,
}

#: family -> (bucket the score goes to, patterns). The family is the cue's name.
FAMILIES: dict[str, tuple[str, dict[str, float]]] = {
    "condescension": ("criticism", CONDESCENSION),
    "dismissive order": ("criticism", DISMISSAL),
    "sarcasm naming its target": ("mockery", NAMED_SARCASM),
    "put-down": ("criticism", PUTDOWNS),
    "insinuation": ("gossip", INSINUATION),
    "rhetorical question": ("criticism", RHETORICAL),
    "hostile generalisation": ("criticism", GENERALISATION),
    "veiled threat": ("criticism", THREATS),
    "attack framed as a feeling": ("criticism", FEELING_ATTACKS),
    "exclusion": ("criticism", EXCLUSION),
}

# Emoji that insinuate (a smirk, a hand over the mouth, eyes): with someone
# named or talked about, they hint at something not said.
INSINUATING_EMOJI = frozenset({"\U0001f60f", "\U0001f92d", "\U0001f440", "\U0001fae2", "\U0001f609", "\U0001f937"})
