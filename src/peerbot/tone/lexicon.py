"""Word lists the analyzer matches against, loaded once at import.

These are general English vocabulary for judging people, gossiping, mocking and
talking about one's own pain, written from scratch. None of them is taken from
the evaluation or benchmark sets: the analyzer must generalise to messages it
has never seen.
"""

from __future__ import annotations

# --- who a word is about ---------------------------------------------------

SELF = frozenset({"i", "me", "my", "myself", "mine", "im", "ive", "id", "ill", "we", "us", "our", "ourselves"})
SECOND = frozenset({"you", "your", "yourself", "yours", "u", "ur", "ya", "yall", "y'all", "youre", "yourselves", "thee", "thou"})
THIRD = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself", "hes", "shes"})
THIRD_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves", "theyre"})
THING_PRONOUNS = frozenset({"it", "this", "that", "these", "those", "which", "its", "thats", "there", "what", "everything", "nothing", "something"})

# People, by role. With a determiner ("that trainer", "our supervisor") they
# make a sentence about a person rather than a thing.
PERSON_NOUNS = frozenset(
    """
    person guy guys girl girls man men woman women dude dudes lady ladies kid kids boy boys
    boss supervisor manager trainer teacher instructor professor facilitator leader coordinator
    director coworker coworkers co-worker colleague colleagues classmate classmates roommate
    neighbor neighbour mom mum dad mother father sister brother husband wife partner boyfriend
    girlfriend ex son daughter cousin aunt uncle grandma grandpa member members peer peers
    trainee trainees newbie newbies client clients therapist counselor counsellor doctor nurse
    cop cops officer politician politicians president senator minister premier mayor author
    writer editor reporter journalist journalists poster commenter commentator troll trolls mod
    mods moderator moderators admin admins host coach player players ref referee fan fans
    people folks individual individuals employee employees staff candidate candidates
    specialist specialists volunteer volunteers student students intern interns worker
    workers friend friends family relatives landlord landlady driver customer customers
    teammate teammates crowd idiots morons fools losers bunch
    sponsor sponsors sponsee sponsees mentor mentors mentee mentees caseworker caseworkers
    navigator navigators advocate advocates lead leads facilitators coordinators organizer
    organizers organiser organisers chair cofacilitator co-facilitator manager managers
    specialist supervisor supervisors therapists counselors counsellors
    """.split()
)

# Groups people insult wholesale. Generic nouns only; a group named in a
# message is still a target even when it is not on this list.
GROUP_NOUNS = frozenset(
    """
    liberals libs lib conservatives cons democrats dems republicans gop leftists lefties
    rightwingers progressives socialists communists commies fascists feminists antifa maga
    trumpers muslims christians atheists jews immigrants refugees migrants men women boomers
    millennials zoomers americans canadians brits politicians media journalists cops police
    fans teens teenagers kids people snowflakes elites activists protesters voters
    supporters believers critics haters normies
    """.split()
)

# People in one's own life. "My husband never listens" is someone venting to
# be heard about a person who is not in the community, not a public verdict.
OWN_RELATIONS = frozenset(
    """
    mom mum mother dad father husband wife partner boyfriend girlfriend bf gf ex son daughter
    sister brother kid kids child children parents parent family grandma grandpa grandmother
    grandfather aunt uncle cousin fiance fiancee spouse stepdad stepmom stepfather stepmother
    in-laws roommate boss coworker coworkers co-worker manager friend friends bestie neighbor
    neighbour landlord teacher therapist doctor counselor sibling siblings baby
    """.split()
)

# People the writer meets outside the community: service and officialdom.
OUTSIDERS = frozenset(
    """
    nurse doctor dr dentist surgeon pharmacist receptionist cashier clerk landlord landlady
    cop officer police judge lawyer caseworker agent insurance driver waiter waitress
    server bartender customer stranger guy lady woman man neighbor neighbour ex exes
    professor teacher principal employer interviewer recruiter hr
    """.split()
)

HELP_SEEKING = (
    r"\bhow (?:can|do|should|could) i\b", r"\bwhat (?:do|should|can) i do\b", r"\bany advice\b",
    r"\bis it normal\b", r"\bam i (?:wrong|crazy|overreacting|the problem)\b", r"\bwhy (?:does|do|is|won't|can't) my\b",
    r"\bhow to (?:deal|cope|handle|get over|stop)\b", r"\bi need (?:help|advice)\b", r"\bshould i\b",
)

DETERMINERS = frozenset({"the", "that", "this", "our", "your", "his", "her", "their", "my", "a", "an", "some", "these", "those", "every", "all"})

# --- judging a person ---------------------------------------------------

# Words that only make sense about a person: said of anyone but the speaker,
# they are judgement even when the sentence names nobody ("what an idiot").
PERSON_INSULTS: dict[str, float] = {
    w: 0.75
    for w in """
    idiot idiots moron morons imbecile imbeciles cretin dumbass dumbasses dimwit halfwit nitwit
    loser losers jerk jerks fool fools clown clowns buffoon creep creeps weirdo freak freaks
    hypocrite hypocrites liar liars phony phoney fraud frauds coward cowards crybaby whiner
    snowflake snake snakes rat leech parasite parasites pig pigs slob slug scumbag scum lowlife
    degenerate deadbeat bully bullies brat brats twit tool dork nerd wimp doormat pushover
    know-it-all narcissist narcissists psycho psychopath sociopath lunatic maniac nutjob
    nutcase bigot bigots racist racists sexist misogynist traitor traitors troll trolls
    clout-chaser drama-queen diva airhead bimbo hag witch cow bitch bitches bastard bastards
    asshole assholes arsehole douche douchebag dick dickhead prick wanker twat cunt
    motherfucker shithead shitbag retard retards simp karen stooge stooges puppet sheep
    dummy dummies dumbo doofus numbskull bonehead blockhead meathead pinhead stoopid
    dingbat dingbats simpleton simpletons dunce dunces bozo bozos chump chumps dolt dolts oaf
    oafs lout louts sicko sickos pervert perverts thug thugs dirtbag dirtbags hack hacks shill shills
    bootlicker bootlickers cuck cucks libtard libtards moonbat wingnut wingnuts commie commies
    nazi nazis fascist fascists terrorist terrorists criminal criminals crook crooks thief
    thieves sheeple zombies idiotic moronic imbecilic dipshit jackass jackasses tosser
    scumbags lowlifes degenerates deplorables hypocrits grifter grifters con-man conman
    charlatan charlatans quack quacks weasel weasels vermin filth swine rats snakes goons
    hypocrite lunatics maniacs psychos bigots cowards frauds liars phonies morons
    """.split()
}
PERSON_INSULTS.update(
    {
        "cunt": 0.95, "retard": 0.9, "retards": 0.9, "motherfucker": 0.9, "bitch": 0.85,
        "asshole": 0.85, "dumbass": 0.85, "scumbag": 0.85, "idiot": 0.8, "moron": 0.8,
        "nerd": 0.35, "dork": 0.4, "sheep": 0.45, "puppet": 0.45, "cow": 0.4, "witch": 0.4,
        "snake": 0.55, "rat": 0.45, "pig": 0.55, "tool": 0.4, "diva": 0.45, "bully": 0.55,
        "racist": 0.6, "racists": 0.6, "sexist": 0.6, "traitor": 0.6, "troll": 0.55,
        "trolls": 0.55, "karen": 0.6, "simp": 0.55, "snowflake": 0.6, "fraud": 0.6,
    }
)
# Labels that also describe (a criminal, a terrorist, a nazi): an insult when
# said of someone present, often plain description in talk about the news.
DESCRIPTIVE_LABELS = frozenset(
    """
    criminal criminals terrorist terrorists nazi nazis fascist fascists commie commies
    communist thief thieves crook crooks hack hacks fraud frauds racist racists sexist traitor
    traitors bully bullies liar liars bigot bigots narcissist narcissists psychopath sociopath
    troll trolls shill shills puppet puppets sheep stooge stooges grifter grifters quack quacks
    thug thugs pervert perverts degenerate degenerates
    """.split()
)
for _word in DESCRIPTIVE_LABELS:
    PERSON_INSULTS[_word] = min(PERSON_INSULTS.get(_word, 0.6), 0.6)

# Adjectives and nouns that judge whoever they are said of: a person when the
# sentence is about one, a thing ("the form is confusing") when it is not.
JUDGEMENTS: dict[str, float] = {
    w: 0.6
    for w in """
    stupid dumb dense thick ignorant incompetent useless worthless hopeless clueless brainless
    mindless pathetic lazy selfish rude mean nasty cruel vile disgusting gross repulsive
    revolting creepy annoying irritating obnoxious insufferable unbearable intolerable
    arrogant smug condescending patronizing patronising entitled spoiled spoilt petty fake
    phony two-faced shady sketchy dishonest untrustworthy lying manipulative toxic crazy insane
    nuts delusional deranged unhinged hysterical dramatic childish immature juvenile naive
    gullible lame cringe cringey cringy sloppy careless lousy terrible awful horrible
    dreadful atrocious garbage trash trashy rubbish worst dumbest stupidest laziest ugly
    hideous fat disgrace disgraceful embarrassing shameful pitiful sad weak spineless gutless
    cowardly clingy needy whiny stingy greedy corrupt evil wicked sick twisted heartless
    cold-hearted self-centered self-centred narcissistic bossy pushy nosy bitchy catty snotty
    snobby stuck-up uptight slow incapable unqualified inept hopeless pointless laughable
    ridiculous absurd ludicrous joke disaster mess failure embarrassment nightmare menace
    nuisance pest hypocritical racist sexist bigoted hateful boring dull loud awkward
    despicable deplorable contemptible pitiful shameless spineless treasonous traitorous
    dishonorable sleazy slimy crooked deceitful deceptive lazy-ass brain-dead brainwashed
    moronic idiotic imbecilic senile unhinged deranged demented psychotic hysterical whiny
    pompous self-righteous sanctimonious hypocritical ungrateful incapable clueless tone-deaf
    stupidity idiocy ignorance incompetence hypocrisy drivel claptrap twaddle
    obsessed exhausting tiring draining tiresome
    """.split()
}
JUDGEMENTS.update(
    {
        "stupid": 0.75, "dumb": 0.7, "pathetic": 0.75, "worthless": 0.75, "useless": 0.7,
        "disgusting": 0.7, "vile": 0.75, "worst": 0.65, "dumbest": 0.8, "stupidest": 0.8,
        "laziest": 0.75, "incompetent": 0.7, "clueless": 0.65, "lazy": 0.65, "selfish": 0.65,
        "rude": 0.6, "fake": 0.6, "two-faced": 0.75, "hypocritical": 0.7, "toxic": 0.6,
        "cringe": 0.6, "sloppy": 0.55, "annoying": 0.55, "joke": 0.55, "sad": 0.25,
        "weak": 0.35, "slow": 0.3, "dull": 0.3, "boring": 0.35, "loud": 0.25, "mess": 0.4,
        "disaster": 0.45, "failure": 0.5, "nightmare": 0.4, "crazy": 0.45, "insane": 0.45,
        "nuts": 0.35, "fat": 0.55, "ugly": 0.6, "sick": 0.3, "cold-hearted": 0.6,
        "pointless": 0.35, "absurd": 0.4, "lousy": 0.5, "terrible": 0.5, "awful": 0.5,
        "horrible": 0.5, "embarrassing": 0.45, "garbage": 0.6, "trash": 0.65, "rubbish": 0.45,
        "evil": 0.6, "corrupt": 0.55, "naive": 0.45, "gullible": 0.5, "childish": 0.55,
        "immature": 0.55, "dramatic": 0.45, "ridiculous": 0.5, "laughable": 0.55,
        "arrogant": 0.6, "entitled": 0.55, "petty": 0.55, "mean": 0.45, "dense": 0.55,
        "thick": 0.4, "awkward": 0.4, "liability": 0.5, "ignorant": 0.6, "gross": 0.5, "creepy": 0.55, "pitiful": 0.6,
    }
)

# Verbs that blame a person for what they did.
BLAME_VERBS: dict[str, float] = {
    "ruin": 0.55, "ruined": 0.55, "ruins": 0.55, "ruining": 0.55, "suck": 0.6, "sucks": 0.6,
    "sucked": 0.5, "stink": 0.5, "stinks": 0.5, "screwed": 0.4, "messed": 0.35, "wrecked": 0.5,
    "wreck": 0.45, "butchered": 0.5, "botched": 0.5, "bungled": 0.5, "ignore": 0.25,
    "ignores": 0.3, "whine": 0.5, "whines": 0.5, "whining": 0.5, "complain": 0.3,
    "complains": 0.35, "brag": 0.45, "brags": 0.45, "bragging": 0.45, "lie": 0.45, "lies": 0.5,
    "lied": 0.45, "lying": 0.5, "cheat": 0.45, "cheats": 0.45, "cheated": 0.45, "steal": 0.4,
    "steals": 0.4, "stole": 0.4, "fail": 0.35, "fails": 0.4, "failed": 0.3, "disgust": 0.55,
    "disgusts": 0.6, "embarrass": 0.45, "embarrassed": 0.2, "annoy": 0.45, "annoys": 0.5,
    "irritate": 0.45, "irritates": 0.5, "talk": 0.0, "hogs": 0.45, "hog": 0.4, "hogging": 0.45, "hijack": 0.45, "hijacks": 0.45, "hijacking": 0.45, "hijacked": 0.4, "spew": 0.45, "spews": 0.45, "spewing": 0.45,
}

# Words that strengthen a judgement that follows them.
INTENSIFIERS = frozenset(
    """
    so such total totally complete completely absolute absolutely utter utterly really real
    very too way truly seriously honestly literally fucking freaking frickin damn bloody
    most biggest such extremely incredibly unbelievably super pure plain
    """.split()
)

NEGATIONS = frozenset({"not", "no", "never", "isnt", "wasnt", "arent", "werent", "dont", "doesnt", "didnt", "aint", "hardly", "barely", "nor", "neither", "n't", "cannot", "cant", "wont", "wouldnt", "shouldnt", "nobody", "none"})

# Feeling verbs: "you feel stupid" describes a feeling, it judges nobody.
FEELING_VERBS = frozenset({"feel", "feels", "felt", "feeling"})


PROFANITY = frozenset(
    """
    fuck fucking fucked fucker fuckin fck fk shit shitty bullshit crap crappy damn dammit
    goddamn ass arse bloody hell piss pissed wtf stfu gtfo
    """.split()
)

# --- contempt, condescension and mockery ------------------------------------

# Regex fragments (matched on normalised lower-case text, word-bounded), each
# with its weight. Bounded gaps only: nothing here can backtrack badly.
CONTEMPT_PHRASES: dict[str, float] = {
    r"(?:no ?one|nobody) (?:cares|asked|likes you|wants you)": 0.55,
    r"who (?:cares|asked)": 0.4,
    r"do (?:your|some) (?:own )?research": 0.35,
    r"(?:what's|whats|what is) wrong with (?:you|u|him|her|them|people)": 0.5,
    r"(?:are|r) (?:you|u) (?:serious|kidding|stupid|dumb|blind|high|insane|crazy|deaf|slow|dense|joking)": 0.45,
    r"(?:do|did|have|can) (?:you|u) even (?:read|know|think|listen|understand)": 0.5,
    r"(?:you|u) (?:have|got) no (?:idea|clue)": 0.5,
    r"(?:a |such a |what a )?(?:stupid|dumb|idiotic|ignorant|moronic|ridiculous|pathetic) (?:thing|comment|question|idea|remark|take) to (?:say|ask|post|write)": 0.5,
    r"sob ?(?:fest|story|stories)": 0.4,
    r"(?:way |far |so |much )?too (?:sensitive|emotional|dramatic|needy|clingy|loud|negative)": 0.35,
    r"why (?:does|do|did|would) (?:\w+ )?(?:even )?bother": 0.45,
    r"(?:contributes?|adds?|brings?|offers?|does) (?:absolutely )?nothing": 0.45,
    r"(?:the )?(?:dumbest|stupidest|worst|lamest|most (?:stupid|idiotic|ignorant|ridiculous|pathetic|useless)) (?:comment|idea|thing|take|post|answer|question|argument|excuse|advice)": 0.45,
    r"(?:talks?|talking) over (?:everyone|everybody|people|others|us)": 0.4,
    r"(?:you're|youre|you are|you were|you're both|you are both|you both are) (?:so |completely |totally |dead |just |simply |flat out |plain )?wrong": 0.4,
    r"did (?:you|u) (?:even )?(?:graduate|finish|pass|go to) (?:from )?(?:grade|high|elementary|primary) school": 0.5,
    r"(?:clearly|obviously|evidently|apparently) (?:you|u) (?:are|were|have|don't|didn't|can't|weren't|aren't|never|haven't|do not|did not)": 0.45,
    r"tin ?foil hat": 0.5,
    r"where (?:do|did) (?:you|u) get (?:your|that|this|these) (?:information|info|facts|news|ideas?|numbers)": 0.4,
    r"(?:your|his|her|their) (?:opinion|view|argument|comment|post|take)s? (?:is|are) (?:not worth|worthless|meaningless|irrelevant|garbage|trash|nonsense|a joke)": 0.5,
    r"try (?:to )?think(?:ing)? (?:for yourself|on your own|before you (?:post|speak|type|talk))": 0.45,
    r"(?:make|makes|making) (?:every(?:thing| \w+)|it|it all) about (?:yourself|himself|herself|themselves|you|him|her)": 0.5,
    r"the way (?:you|u|he|she|they) (?:\w+ ){1,3}(?:was|is|were) (?:so |really |just )?(?:embarrassing|awful|terrible|pathetic|ridiculous|unprofessional|disgusting|shameful|cringe|rude)": 0.5,
    r"(?:nothing but|just|all) (?:whining|complaining|excuses|drama|attention[- ]seeking|lies|noise)": 0.5,
    r"(?:you|u) (?:don't|do not|dont) (?:even )?know what (?:you're|youre|you are) talking about": 0.55,
    r"(?:what|wtf) (?:are|r) (?:you|u) (?:even )?(?:talking|on) about": 0.4,
    r"(?:what|wtf) (?:the hell|the heck|on earth) (?:are|r) (?:you|u)": 0.5,
    r"(?:you|u) (?:clearly|obviously) (?:don't|dont|do not|have|are|can't|cant|didn't|didnt|never)": 0.5,
    r"(?:nobody|no one) (?:wants|needs|cares|asked) to (?:hear|read|see|know)": 0.55,
    r"(?:your|his|her|their) (?:drama|sob stor(?:y|ies)|whining|excuses|nonsense|bs|crap|attitude)": 0.45,
    r"(?:making|make|makes|with (?:his|her|their|your)) (?:excuses|drama)": 0.35,
    r"(?:you're|youre|you are|he's|hes|she's|shes|he is|she is|they're|they are|\w+ is) the (?:reason|problem|cause)(?: why| that)?": 0.5,
    r"(?:can|could|would|will) (?:you|u) (?:please |just )?(?:stop|quit) \w+ing": 0.4,
    r"what an? (?:\w+ )?(?:joke|disgrace|embarrassment|idiot|loser|clown|moron|fool|hypocrite)": 0.5,
    r"(?:you|u|he|she|they) (?:never|don't ever|dont ever|doesn't ever) (?:listen|help|care|show up|pull (?:your|his|her|their) weight|do anything|let anyone|shut up|stop|take responsibility|apologi[sz]e|think|follow through|finish anything|keep (?:your|his|her|their) word|do (?:your|his|her|their) (?:part|share)|contribute)": 0.5,
    r"full of (?:himself|herself|yourself|themselves|crap|shit|it)": 0.5,
    r"dead weight": 0.5,
    r"(?:can't|cant|cannot) take a joke": 0.45,
    r"(?:you|u) (?:really |just |clearly |obviously )?(?:can't|cant|cannot) take a joke": 0.5,
    r"(?:you|u) (?:have|got|show) (?:zero|no) (?:empathy|respect|shame|manners|common sense|self-awareness|social skills|filter|spine|backbone)": 0.5,
    r"(?:impossible|a nightmare|exhausting|unbearable|miserable) to (?:work|deal|be|talk|live) (?:with|around)": 0.5,
    r"(?:zero|no) (?:empathy|respect|shame|manners|common sense|self-awareness|social skills|filter|spine|backbone)": 0.45,
    r"drag(?:s|ging|ged)? (?:everyone|everybody|us|the (?:group|team|class|room|mood)) down": 0.5,
    r"(?:i )?(?:can't|cant|cannot) stand (?:him|her|them|you|how|the way|people like)": 0.5,
    r"only (?:passed|got in|got hired|got the job|joined|got promoted|won) because": 0.4,
    r"tell (?:\w+|him|her|them) to (?:stop|quit|shut up|go away|get lost|grow up|back off)": 0.5,
    r"why (?:are|is) (?:you|u|he|she|\w+) even (?:a|an|here|in|allowed)": 0.5,
    r"(?:maybe )?if (?:you|u|he|she|they) (?:actually|ever|even) (?:listened|tried|read|paid attention|cared|thought|showed up)": 0.5,
    r"acts? like (?:she's|he's|you're|they're|she is|he is|you are|they are|shes|hes|youre) (?:so )?(?:better|smarter|superior|above|special|perfect|the boss|in charge)": 0.5,
    r"better than (?:the rest of )?(?:us|everyone|everybody)": 0.35,
    r"conspiracy theor(?:y|ies)|crackpot": 0.3,
    r"uncalled for|out of line|not okay|not ok": 0.4,
    r"(?:such an?|total|complete|real|big|huge) (?:attention[- ]seeker|know[- ]it[- ]all|drama queen|busybody|gossip|snob|creep|loser|joke)": 0.5,
    r"(?:you|u) (?:always|constantly) (?:interrupt|complain|whine|make (?:it|everything)|have to make|talk over|show up late|take over|ruin|brag|act like)": 0.5,
    r"as if (?:you|u|he|she|they) (?:know|knew|care|cared|understand)": 0.45,
    r"(?:i'm|im|i am) sure (?:you|he|she) (?:know|think|did|would)": 0.3,
    r"(?:you|u) must be (?:joking|kidding|new|blind|high)": 0.4,
    r"whatever (?:you|u) say": 0.4,
    r"bless (?:your|his|her) (?:heart|little)": 0.45,
    r"nice try": 0.3,
    r"good luck with that": 0.3,
    r"give (?:me|us|it) a break": 0.3,
    r"news ?flash": 0.4,
    r"typical \w+": 0.3,
    r"what a (?:load of|bunch of) (?:crap|rubbish|garbage|nonsense|bs|bull)": 0.5,
    r"(?:utter|complete|total) (?:nonsense|rubbish|garbage|drivel|bs|bullshit)": 0.45,
    r"(?:get|got) (?:your|ur) (?:facts|head) (?:straight|out of)": 0.45,
    r"(?:you|u) (?:people|lot|guys) (?:are|always|never)": 0.4,
    r"(?:you|u) should be ashamed": 0.55,
    r"shame on (?:you|u|him|her|them)": 0.5,
    r"how (?:dare|naive|gullible|ignorant|stupid|dumb|pathetic) (?:you|u|are|of|can|is)": 0.5,
    r"in (?:your|his|her) (?:tiny|little|small) (?:mind|brain|head|world)": 0.5,
    r"(?:is|was) (?:your|his|her) \w+ as (?:bad|poor|weak) as": 0.5,
    r"(?:you|u|he|she|they) (?:talk|talks|post|posts|complain|complains|whine|whines|brag|brags)(?: way)? too much": 0.45,
    r"(?:makes?|made) (?:me|us|everyone) (?:sick|cringe|want to puke)": 0.45,
    r"(?:nobody|no one|no1) (?:likes|wants|needs|asked for) (?:you|u|him|her|them)": 0.6,
    r"(?:you're|youre|you are|ur|u r) (?:a |an |such a |so )?(?:waste of (?:space|time|air)|joke|disgrace|embarrassment|clown)": 0.7,
}

# Said straight to the reader ("shut up", "grow up"): addressed to whoever
# reads them, so they need no named target to count in full.
ADDRESSED_CONTEMPT: dict[str, float] = {
    r"shut up": 0.55,
    r"shut your (?:mouth|trap|face)": 0.7,
    r"(?<!to )(?<!'t )(?<!not )(?<!i )(?<!we )(?<!they )(?<!kids )(?<!children )grow up": 0.5,
    r"get a grip": 0.5,
    r"get a life": 0.55,
    r"get over (?:yourself|it already)|(?:(?<=, )|(?<=just )|(?<=so )|(?<=and ))get over it": 0.45,
    r"get lost": 0.55,
    r"go away": 0.35,
    r"piss off": 0.6,
    r"(?:fuck|screw|f) (?:you|off|u)": 0.75,
    r"go to hell": 0.7,
    r"stop being(?: so| such(?: an?)?)?": 0.45,
    # ("I can't stop crying" is the writer's own state, not an order.)
    r"(?<!can't )(?<!cant )(?<!couldn't )(?<!won't )(?<!wont )(?<!to )(?<!i )(?<!not )(?<!never )(?:stop|quit) (?:whining|crying|complaining|acting like|pretending|moaning|bitching)": 0.5,
    r"do better": 0.4,
    r"cry me a river": 0.5,
    r"get a clue": 0.5,
    r"learn (?:to read|how to read|some manners|to spell)": 0.5,
    r"educate yourself": 0.4,
    r"ok(?:ay)? boomer": 0.5,
    r"keep telling yourself": 0.4,
    r"spare (?:me|us)": 0.35,
    r"give it a rest": 0.4,
    r"(?:sit|pipe) down": 0.35,
    r"(?:kill yourself|kys|go die|drop dead|hope (?:you|he|she) dies?)": 0.95,
}

# "you always ...", "he never ..." : behaviour judged as a fixed trait.
ALWAYS_NEVER = frozenset({"always", "never", "constantly", "forever", "continually"})

GOSSIP_MARKERS: dict[str, float] = {
    r"did (?:you|u|y'all|yall|you guys|you all|anyone|everyone)(?: else)? (?:hear|see|know|notice)": 0.4,
    r"just between (?:us|you and me|you and i|ourselves)": 0.5,
    r"not to (?:gossip|be (?:that person|mean|rude|petty))": 0.45,
    r"(?:i'm|im|i am) not (?:one|the type|someone|the kind of person) to gossip": 0.45,
    r"(?:someone|somebody|people) (?:said|says|are saying|mentioned) (?:that )?(?:\w+|he|she|they) (?:got|was|is|has|had)": 0.4,
    r"^\W*heard(?: that| about)?": 0.35,
    r"(?:don't|dont|do not) spread (?:it|this) around": 0.45,
    r"(?:don't|dont|do not) (?:say|mention|repeat|spread) (?:anything|a word|this|that|it)": 0.45,
    r"is it true (?:that )?(?:she|he|they|\w+)": 0.35,
    r"^\W*spill\b": 0.4,
    r"(?:everyone|everybody) knows (?:she|he|they|that)": 0.3,
    r"have (?:you|u|you guys) (?:heard|seen)": 0.4,
    r"(?:i|we) (?:just )?(?:heard|was told|were told) (?:from|that|about|how|why|she|he|they)": 0.4,
    r"(?:i|we) heard": 0.3,
    r"between (?:you and me|ourselves|you and i)": 0.5,
    r"^\W*between us\b": 0.5,
    r"(?:don't|dont|do not) tell (?:anyone|anybody|him|her|them|a soul|\w+ i said)": 0.5,
    r"(?:you|u) didn't hear (?:it|this) from me": 0.5,
    r"(?:not supposed to|shouldn't|should not|probably shouldn't|i'm not supposed to) (?:say|share|tell|be telling)": 0.45,
    r"(?:keep|kept) (?:this|it) (?:between|quiet|on the down ?low|to yourself)": 0.45,
    r"off the record": 0.4,
    r"rumou?rs? (?:is|are|has it|going around|says|that)": 0.5,
    r"rumou?r": 0.35,
    r"word (?:is|on the street|around)": 0.35,
    r"apparently (?:she|he|they|his|her|their|the|\w+'s|\w+ (?:is|was|got|has|had))": 0.35,
    r"(?:everyone|everybody|people)(?:'s| is| are| were| was) (?:talking|saying|whispering)": 0.45,
    r"can (?:you|u) believe (?:what|that|how|she|he|they)": 0.35,
    r"(?:guess|wait till you hear) (?:what|who)": 0.35,
    r"^\W*(?:secret|tea|spill(?:ing)? the tea|psst|gossip)\b": 0.45,
    r"spill(?:ing)? the tea": 0.45,
    r"(?:juicy|hot) (?:gossip|news|tea)": 0.45,
    r"(?:i|you) swear (?:she|he) (?:is|was)": 0.2,
    r"behind (?:her|his|their) back": 0.3,
}

# Private matters that turn talk about an absent person into gossip.
SENSITIVE_TOPICS = frozenset(
    """
    arrested jail prison probation parole fired firing sacked written laid cheating cheated
    affair sleeping divorce divorced separated pregnant abortion relapse relapsed relapsing
    drinking drunk booze boozing dui dwi cps drugs using overdosed rehab detox sober hooked addict addicted diagnosed
    disorder meds medication lawsuit sued court custody evicted broke debt bankrupt faking
    fakes lied stole stealing scandal dumped breakup hospitalized committed psych ward
    """.split()
)
SENSITIVE_PHRASES = (
    r"written up", r"laid off", r"left (?:him|her|them)", r"kicked (?:him |her |them )?out", r"sleeping with",
    r"hooking up", r"back on (?:drugs|the bottle|meth|heroin|pills)", r"using again",
    r"in trouble", r"got caught", r"on thin ice", r"taken away", r"sober house", r"halfway house", r"on probation", r"(?:behind|lying) (?:on|about)",
)

LAUGHTER = frozenset({"lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "hehe", "lulz", "kek", "xd", "ha"})
MOCKING_EMOJI = frozenset({"\U0001f602", "\U0001f923", "\U0001f644", "\U0001f612", "\U0001f921", "\U0001f480", "\U0001f634", "\U0001f971", "\U0001f486", "\U0001f974"})
# Contempt in a face: an eye-roll, a sideways look, a clown.
EYE_ROLL = frozenset({"\U0001f644", "\U0001f612", "\U0001f921"})

SARCASM_PHRASES: dict[str, float] = {
    r"oh (?:wow|great|good|joy|sure|look|really|please|boy|wonderful|fantastic|perfect|lovely|goody)": 0.3,
    r"how (?:shocking|surprising|original|unexpected|convenient)": 0.4,
    r"(?:what a|big|huge) (?:surprise|shocker)": 0.4,
    r"\bshocker\b": 0.35,
    r"(?:another|yet another) (?:brilliant|great|genius|amazing|stellar|fantastic) \w+": 0.45,
    r"(?:great|good|nice|fantastic|brilliant|amazing) (?:job|work|going|one)[ ,]+(?:[\w']+,? ){0,4}(?:ruin|wreck|mess|screw|break|broke|embarrass|fail)\w*": 0.55,
    r"thanks? (?:a lot )?for (?:nothing|ruining|wasting|making it worse)": 0.55,
    r"(?:yeah|yea) right": 0.35,
    r"nice of (?:you|him|her|them) to (?:finally|actually|bother|show|grace)": 0.5,
    r"(?:yeah|yea|sure|right),? because (?:\w+|he|she|you|they) (?:totally|obviously|clearly|definitely|really) (?:knows?|is|are|gets?|understands?)": 0.5,
    r"here (?:comes|goes) (?:\w+|you|he|she)(?: again| with)": 0.4,
    r"another one of (?:\w+'s|his|her|your|their)": 0.35,
    r"imagine (?:thinking|believing|actually|being|having)": 0.4,
    r"(?:congrats|congratulations|well done|good job|great job|nice job|bravo),? (?:\w+,? )?(?:you|u) (?:managed|finally|actually)": 0.45,
    r"for the (?:\w+|\d+(?:st|nd|rd|th)) time(?: this (?:week|month|year))?": 0.25,
    r"(?:we all|everyone|everybody) knows? (?:you're|youre|you are|he's|she's|he is|she is) (?:so )?(?:perfect|always right|the best|an expert|a genius|so smart|never wrong)": 0.5,
    r"(?:mr|ms|miss|mrs)\.? (?:expert|know[- ]it[- ]all|perfect|smarty(?:[- ]pants)?|genius|popular|important|sunshine|positivity)": 0.5,
    r"look at (?:you|him|her|them|\w+) (?:over here|go)": 0.3,
    r"for once": 0.35,
    r"(?:call|alert|tell) the (?:news|media|press)|stop the presses|mark (?:the|your) calendars?": 0.4,
    r"what an? (?:brilliant|genius|great|amazing|fantastic|original|groundbreaking) (?:idea|insight|plan|take|point|contribution|observation|suggestion)": 0.3,
    r"(?:truly|real|so|very|how) (?:groundbreaking|revolutionary|original|insightful|enlightening)": 0.35,
    r"because (?:you|u|he|she|they|\w+) (?:is|are|'re|'s) (?:always right|never wrong|so smart|perfect|an expert)": 0.55,
    r"because (?:you|u|he|she) know(?:s)? (?:everything|best|it all)": 0.55,
    r"(?:mr|ms|miss|mrs|little) know[- ]it[- ]all": 0.6,
    r"(?:really|actually|honestly) (?:think|thought|thinks|believed|believes)": 0.35,
    r"(?:genius|einstein|sherlock|captain obvious)": 0.4,
    r"good argument": 0.35,
    r"(?:slow clap|golf clap)": 0.5,
    r"(?:congrats|congratulations|bravo|well done) (?:on|for) (?:\w+ ){0,3}(?:ruin|fail|embarrass|mess|wreck)\w*": 0.5,
    r"who (?:knew|would have thought|would've thought)": 0.3,
    r"(?:as|like) usual": 0.25,
    r"\bsure(?:,| jan| buddy| pal| thing)": 0.3,
    r"(?:the|this) (?:award|medal|prize) (?:for|goes to)": 0.45,
    r"(?:you|u) (?:think|thought) (?:you're|youre|you are|ur) (?:so )?(?:smart|funny|clever|special|cool)": 0.5,
    r"(?:he|she|they) (?:thinks?|thought) (?:he's|she's|they're|hes|shes|he is|she is|they are) (?:so )?(?:smart|funny|clever|special|cool|better)": 0.5,
    r"thinks (?:he's|she's|hes|shes|he is|she is|they're|they are) (?:a|an|the|some kind of|some sort of) \w+(?: now)?": 0.35,
    r"(?:i'm|im|i am) (?:so )?(?:shocked|surprised)": 0.3,
    r"what (?:else )?is new": 0.3,
}

# --- one's own pain ---------------------------------------------------

FEELINGS = frozenset(
    """
    sad depressed down low lonely alone hopeless helpless worthless useless stuck lost empty
    numb tired exhausted drained overwhelmed anxious nervous scared afraid terrified frightened
    worried panicky panicking stressed frustrated angry furious mad upset hurt heartbroken
    broken ashamed guilty embarrassed disgusted awful terrible horrible bad miserable
    devastated crushed defeated discouraged disappointed insecure jealous confused sick
    triggered struggling suffering grieving craving cravings relapse spiraling spiralling
    shaky isolated invisible unwanted unloved rejected trapped burnt burned burnout failure
    idiot stupid dumb pathetic weak mess loser fraud crying cried sobbing tears panic panicking
    """.split()
)
# Words that mark a message as about one's own difficulty even without "I".
STRUGGLE_WORDS = frozenset(
    """
    struggling struggle craving cravings relapse relapsed relapsing triggered spiraling
    spiralling overwhelmed exhausted lonely depressed anxious hopeless numb
    """.split()
)

PRAISE = frozenset(
    """
    great amazing awesome wonderful fantastic brilliant proud thoughtful kind kindest
    generous helpful brave strong inspiring inspirational thanks thank grateful appreciate
    appreciated love loved lovely glad happy congrats congratulations welcome support
    supportive sweet caring talented smart wise patient honest good best incredible
    """.split()
)

DISAGREEMENT_PHRASES = (
    r"i (?:respectfully )?disagree",
    r"(?:i'm|im|i am) not sure i agree",
    r"i (?:don't|dont|do not) (?:quite |fully |totally )?agree",
    r"(?:i )?see (?:your|where you're|where youre|what you) (?:point|coming from|mean)",
    r"another way (?:to look|of looking)",
    r"my experience (?:has been|was) different",
    r"(?:with all due )?respect(?:fully)?",
    r"agree to disagree",
    r"could we try",
    r"(?:i|we) (?:might|could) (?:also )?(?:try|consider)",
)

# States that happen to people rather than verdicts about them ("he is angry",
# "she was abused"): negative in VADER, but not judgement of the person.
STATES = frozenset(
    """
    angry mad upset sad depressed anxious scared afraid hurt hurting sick ill dead dying
    abused bullied raped assaulted attacked harassed hurt injured wounded killed murdered
    victim victims grief grieving lonely alone crying cried tired exhausted stressed
    worried nervous broken heartbroken suffering pain painful wrong bad sorry problem
    problems trouble troubled death died cancer disease illness addicted addiction
    depression anxiety trauma traumatized panic fear fearful lost homeless poor jealous
    disappointed frustrated annoyed bored confused guilty ashamed embarrassed shocked
    terrified frightened miserable desperate hopeless helpless cheating cheated lied
    lying stealing heroin drugs drunk killing kill murder crisis violence violent war
    """.split()
)
