//! Hate said plainly about a whole group and calls for violence against one, the two kinds the
//! model still reads worst, each sentence written once beside a harmless twin that keeps most
//! of its words. The hate varies its verbs and forms (first person, "I think", questions,
//! comparisons, pronouns that point back, a group addressed as "you", past and future); the
//! calls vary whom they address (readers, "we", the army, the police, the state) and how
//! (imperative, "should", "must", "it's time", "I'd support", rhetorical questions,
//! conditions). Twins deny, condemn, report, call for lawful action or attack a policy, so
//! neither the group's name nor the frame nor a violent word decides.

use super::plain::{fixed_hate, group_call};
use super::stereotypes::{Pool, group_at, hateful};
use super::{sentence_case, template_rows, twin_rows};
use crate::training::dataset::Row;

/// `(harmful, harmless twin)`; `{g}` a group's plural, `{one}` one of its members.
pub(super) type Twin = (&'static str, &'static str);

/// Hate stated about a group without a call to harm: disgust, inferiority, exclusion.
pub(super) const HATE: &[Twin] = &[
    ("I loathe {g}.", "I loathe the way {g} get talked about."),
    ("{g} repel me.", "Bigotry against {g} repels me."),
    (
        "{g} are rotten to the core.",
        "{g} are not rotten to the core, nobody is.",
    ),
    (
        "{g} are beneath contempt.",
        "Contempt for {g} is beneath us.",
    ),
    (
        "Sorry, {g} are just lesser people.",
        "Sorry, {g} are not lesser people, whatever your uncle says.",
    ),
    (
        "I think it's obvious {g} are a lower kind of human.",
        "I think it's obvious {g} are as human as the rest of us.",
    ),
    (
        "Frankly, {g} have never contributed anything of value.",
        "Frankly, {g} have contributed more than they get credit for.",
    ),
    (
        "Honestly, I can't even look at {g} without feeling revulsion.",
        "Honestly, I can't even look at the abuse {g} get without feeling revulsion.",
    ),
    (
        "{g} are a drain on everything decent in this country.",
        "{g} are part of everything decent in this country.",
    ),
    (
        "Who actually likes {g}? Nobody sane.",
        "Who actually believes the lies about {g}? Nobody sane.",
    ),
    (
        "What good have {g} ever done? None.",
        "What harm have {g} ever done to you? None.",
    ),
    (
        "Are {g} even capable of honest work?",
        "Are {g} paid fairly for honest work?",
    ),
    (
        "Why do we let {g} vote at all?",
        "Why do we make it so hard for {g} to vote?",
    ),
    (
        "{g} are too primitive to live among civilised people.",
        "{g} are called primitive by people who have never met them.",
    ),
    (
        "No {g} in my shop, ever. They disgust me.",
        "No bullying of {g} in my shop, ever. It disgusts me.",
    ),
    (
        "I refuse to serve {g}, they're dirty.",
        "I refuse to serve anyone who abuses {g}.",
    ),
    (
        "{g} are genetically stupid.",
        "{g} are not genetically anything, that's a myth.",
    ),
    (
        "My problem with {g} is that they exist.",
        "My problem with the new law is how it treats {g}.",
    ),
    (
        "I would never rent to {g}, they are scum.",
        "I would rent to {g} any day, they are great tenants.",
    ),
    (
        "{g} are the lowest of the low.",
        "{g} are paid the lowest of the low wages.",
    ),
    (
        "{g} aren't real people to me.",
        "{g} are real people to me, with real lives.",
    ),
    (
        "Deep down every one of the {g} is a savage.",
        "Deep down every one of the {g} wants what we want.",
    ),
    (
        "{g}, all of them, are a blight.",
        "{g}, all of them, are welcome at our club.",
    ),
    (
        "They're disgusting, {g}, every last one.",
        "They're delightful, the {g} next door, every last one.",
    ),
    (
        "{g} think they're equal to us, but they're not even close.",
        "{g} think they're treated as equals, but they're not even close.",
    ),
    (
        "If you ask me {g} are a lesser race.",
        "If you ask me, {g} are a lesser race to nobody but bigots.",
    ),
    (
        "I'm not racist, I just think {g} are inferior.",
        "I'm not perfect, but I know {g} are not inferior.",
    ),
    (
        "Call me what you like, {g} are filthy.",
        "Call me soft, but {g} have been treated filthily.",
    ),
    (
        "{g} will always be a stain on this land.",
        "{g} will always be part of this land.",
    ),
    (
        "{g} were a plague on this city and they still are.",
        "{g} were blamed for the plague in this city, and it was a lie.",
    ),
    (
        "You {g} make me want to vomit.",
        "You {g} make me want to learn your language.",
    ),
    (
        "You {g} are nothing but trash.",
        "You {g} are nothing like the trash they print about you.",
    ),
    (
        "You people, {g}, are pathetic.",
        "You people who attack {g} are pathetic.",
    ),
    (
        "{g} are worse than the rats in the sewer.",
        "{g} are housed worse than the rats in the sewer.",
    ),
    (
        "I'd sooner shake hands with a corpse than with {g}.",
        "I'd sooner shake hands with {g} than with this minister.",
    ),
    (
        "{g} are more stupid than children.",
        "{g} are more patient than I would be.",
    ),
    (
        "{g} are less than nothing to me.",
        "{g} are more than a headline to me.",
    ),
    (
        "Any {g} in my family would be disowned.",
        "Any {g} in my family would be loved like the rest of us.",
    ),
    (
        "I'd rather die than have {g} as in-laws.",
        "I'd be proud to have {g} as in-laws.",
    ),
    (
        "{g} don't deserve a seat at any table.",
        "{g} deserve a seat at every table.",
    ),
    (
        "{g} shouldn't have the right to marry.",
        "{g} have the right to marry, and that's settled.",
    ),
    (
        "{g} should be banned from teaching our kids.",
        "{g} teaching our kids is nothing to fear.",
    ),
    (
        "{g} have no business holding public office.",
        "{g} have every right to hold public office.",
    ),
    (
        "{g} should never be allowed near a polling station.",
        "{g} should never be turned away from a polling station.",
    ),
    (
        "Keep {g} out of decent neighbourhoods.",
        "Keep building decent neighbourhoods for {g} and everyone.",
    ),
    (
        "{g} are unfit to be citizens.",
        "{g} are citizens, fit as anyone.",
    ),
    (
        "{g} are a lower species.",
        "{g} are not a lower species, what a vile thing to say.",
    ),
    (
        "{g} are defective by birth.",
        "{g} are not defective by birth or by anything.",
    ),
    (
        "I hate {g} more than anything.",
        "I hate racism against {g} more than anything.",
    ),
    (
        "I have hated {g} all my life.",
        "I have known {g} all my life.",
    ),
    (
        "I will hate {g} until the day I die.",
        "I will stand with {g} until the day I die.",
    ),
    (
        "Nothing will ever make me respect {g}.",
        "Nothing will ever make me stop respecting {g}.",
    ),
    (
        "No one could ever love one of the {g}.",
        "Anyone could love one of the {g}, why not?",
    ),
    (
        "{g} ruined this neighbourhood and they'll ruin the next one.",
        "Rents ruined this neighbourhood, not {g}.",
    ),
    (
        "{g} lower the tone of every street.",
        "{g} brighten every street they live on.",
    ),
    (
        "{g} are an embarrassment to humanity.",
        "How we treat {g} is an embarrassment to humanity.",
    ),
    (
        "{g} contribute nothing but noise and dirt.",
        "{g} contribute a great deal and get little thanks.",
    ),
    (
        "The problem is {g}, always has been.",
        "The problem is never {g}, it's poverty.",
    ),
    (
        "{g} are the reason this country is going down the drain.",
        "{g} are not the reason this country is going down the drain.",
    ),
    (
        "We were better off before {g} came.",
        "We were poorer before {g} came.",
    ),
    (
        "Every place {g} settle turns into a dump.",
        "Every place {g} settle gets a new bakery.",
    ),
    (
        "{g} can't help being what they are: dirty.",
        "{g} can't help being stereotyped by lazy writers.",
    ),
    (
        "Disgusting people, {g}. Simply disgusting.",
        "Disgusting coverage of {g}. Simply disgusting.",
    ),
    ("Pathetic lot, {g}.", "Pathetic law, this one against {g}."),
    ("{g} disgust me.", "Slurs against {g} disgust me."),
    ("{g}? Repulsive.", "{g}? Lovely people."),
    (
        "Vile, all of them, those {g}.",
        "Vile, all of them, these attacks on {g}.",
    ),
    (
        "Inferior, that's what {g} are.",
        "Equal, that's what {g} are.",
    ),
    (
        "{g} are a failed people.",
        "{g} were failed by this government.",
    ),
    (
        "I pity anyone who has to live next to {g}.",
        "I envy anyone who lives next to {g} and gets invited to dinner.",
    ),
    (
        "Nobody should have to share a bus with {g}.",
        "Nobody should be thrown off a bus for being one of the {g}.",
    ),
    (
        "A world without {g} would be paradise.",
        "A world without hatred of {g} would be paradise.",
    ),
    (
        "{g} have no place in a civilised society.",
        "{g} have a place in a civilised society.",
    ),
    (
        "{g} should not be allowed to adopt.",
        "{g} should be allowed to adopt like anyone.",
    ),
    (
        "{g} should be kept away from normal families.",
        "{g} have normal families like anyone else.",
    ),
    (
        "{g} are too dumb to be given any responsibility.",
        "{g} are given too little responsibility at work.",
    ),
    (
        "Honestly, {g} are just bad people.",
        "Honestly, {g} are just people.",
    ),
    (
        "I've met plenty of {g} and they were all scum.",
        "I've met plenty of {g} and they were all kind.",
    ),
    (
        "My dad always said {g} were dirt, and he was right.",
        "My dad always said {g} were dirt, and he was wrong.",
    ),
    (
        "Say what you want, {g} are a cursed people.",
        "Say what you want, {g} are not a cursed people.",
    ),
    (
        "It's a fact that {g} are less evolved.",
        "It's a myth that {g} are less evolved.",
    ),
    (
        "It's no secret that {g} are worthless.",
        "It's no secret that {g} are underpaid.",
    ),
    (
        "{g} always were and always will be garbage.",
        "{g} always were and always will be our neighbours.",
    ),
    (
        "Being one of the {g} should be a crime.",
        "Being one of the {g} is not a crime.",
    ),
    (
        "{one} is not a real person in my eyes.",
        "{one} is a person like any other in my eyes.",
    ),
    (
        "I can't stand being in the same room as {one}.",
        "I was glad to be in the same room as {one} at the debate.",
    ),
    (
        "{one} will never be my equal.",
        "{one} was my equal at school and beat me at chess.",
    ),
    (
        "Seeing {one} on TV makes me sick.",
        "Seeing {one} on TV makes me hopeful.",
    ),
    (
        "If my son married {one}, I'd never speak to him again.",
        "If my son married {one}, I'd dance at the wedding.",
    ),
    (
        "{g} are all alike, ugly inside and out.",
        "{g} are all different, like every group.",
    ),
    (
        "{g} breed trouble wherever they go.",
        "{g} build businesses wherever they go.",
    ),
    (
        "It's in the nature of {g} to be vile.",
        "It's not in the nature of {g} to be vile, or of anyone.",
    ),
    (
        "{g} have always been the enemy of decent folk.",
        "{g} have always been decent folk.",
    ),
    (
        "Anyone who defends {g} is as bad as they are.",
        "Anyone who attacks {g} should read some history.",
    ),
    (
        "Don't tell me {g} are equal, they're clearly not.",
        "Don't tell me {g} aren't equal, they clearly are.",
    ),
    (
        "Can we stop pretending {g} are normal?",
        "Can we stop pretending {g} are a threat?",
    ),
    (
        "Am I the only one who finds {g} revolting?",
        "Am I the only one who finds this article on {g} revolting?",
    ),
    (
        "Has anyone ever met a decent one of the {g}? Me neither.",
        "Has anyone ever met a rude one of the {g}? Me neither.",
    ),
    (
        "How can anyone stand {g}?",
        "How can anyone stand by while {g} are abused?",
    ),
    (
        "{g} are worse than the Nazis ever were.",
        "{g} suffered under the Nazis like so many others.",
    ),
    (
        "I met some {g} once and they confirmed everything: they're filth.",
        "I met some {g} once and they confirmed nothing the papers say: they're lovely.",
    ),
    (
        "When {g} moved in, I knew they'd bring their stink with them.",
        "When {g} moved in, they brought their cooking with them, thank god.",
    ),
    (
        "Those {g}, I can't stand the sight of them.",
        "Those {g}, I can't stand the way they're treated.",
    ),
    (
        "Let {g} in and they'll turn this place into the sewer they came from.",
        "Let {g} in and they'll turn the old cinema into a thriving market.",
    ),
    (
        "Give it ten years and {g} will have ruined this country.",
        "Give it ten years and {g} will be running half its hospitals.",
    ),
    (
        "{g} were dirty then and they're dirty now.",
        "{g} were slandered then and they're slandered now.",
    ),
    (
        "{g} will never be anything but a burden.",
        "{g} will never be a burden, whatever the minister claims.",
    ),
    (
        "{g} are dumber than a bag of rocks.",
        "{g} are smarter than the minister who insulted them.",
    ),
    (
        "Even the worst of us is better than the best of the {g}.",
        "Even the worst of the {g} is no worse than the worst of us.",
    ),
    (
        "I trust a stray dog more than {g}.",
        "I trust {g} more than I trust this newspaper.",
    ),
    (
        "{g} make the place uglier just by being in it.",
        "{g} make the place livelier just by being in it.",
    ),
    (
        "It makes me sick that {g} are allowed to walk our streets.",
        "It makes me sick that {g} are afraid to walk our streets.",
    ),
    (
        "I don't want my taxes spent on {g}, they're worthless.",
        "I don't want my taxes spent on the minister's car while {g} wait for care.",
    ),
    (
        "I think {g} should have fewer rights than us.",
        "I think {g} should have the same rights as us.",
    ),
    (
        "{g} don't count as citizens to me.",
        "{g} count as citizens, to me and to the law.",
    ),
    (
        "No self-respecting person would be seen with {g}.",
        "No self-respecting paper would print this about {g}.",
    ),
    (
        "You can always tell {g} by the smell.",
        "You can always tell a bigot by how he talks about {g}.",
    ),
    (
        "We never should have let {g} into our schools.",
        "We never should have kept {g} out of our schools.",
    ),
    (
        "Hate is too weak a word for what I feel about {g}.",
        "Hate is too weak a word for what I feel about this attack on {g}.",
    ),
    (
        "{g} are a lesser breed, like it or not.",
        "{g} are nobody's lesser breed, like it or not.",
    ),
];

/// Dehumanising hate (animals, vermin, disease, dirt): labelled insult as well.
pub(super) const DEHUMANISING: &[Twin] = &[
    (
        "{g} are cockroaches.",
        "{g} are not cockroaches, they are people.",
    ),
    (
        "{g} are a swarm of locusts.",
        "{g} are not a swarm of anything.",
    ),
    (
        "{g} are subhuman filth.",
        "Calling {g} subhuman filth got him banned.",
    ),
    (
        "{g} are pigs, they live like pigs.",
        "{g} are not pigs, and the landlord who said so was fined.",
    ),
    (
        "{g} multiply like maggots.",
        "Lies about {g} multiply like maggots.",
    ),
    (
        "{g} are a virus spreading through this country.",
        "Hatred of {g} is a virus spreading through this country.",
    ),
    (
        "{g} are like lice, hard to get rid of.",
        "{g} are not like lice, and shame on whoever said it.",
    ),
    (
        "{g} are monkeys in suits.",
        "{g} were called monkeys in suits by a columnist who was fired.",
    ),
    (
        "Sewer rats have more dignity than {g}.",
        "Sewer rats have more dignity than the people who insult {g}.",
    ),
    (
        "{g} are a tumour on this nation.",
        "{g} are a strength of this nation.",
    ),
    (
        "{g} are dogs and should be treated like dogs.",
        "{g} are people and should be treated like people.",
    ),
    (
        "{g} are a pack of hyenas.",
        "{g} are a close-knit community, not a pack of anything.",
    ),
    (
        "{g} are human garbage.",
        "{g} are not human garbage, you are just cruel.",
    ),
    (
        "{g} are leeches, every one.",
        "{g} are not leeches, they work harder than most.",
    ),
    (
        "{g} are an infestation.",
        "{g} are not an infestation, they're our neighbours.",
    ),
    (
        "{g} smell like an open sewer.",
        "The tower block {g} live in smells like an open sewer because the council won't fix it.",
    ),
    (
        "{g} are barely above apes.",
        "Nobody is barely above apes, and {g} are no exception.",
    ),
    ("{g} are a contagion.", "{g} are not a contagion."),
    (
        "{g} are vermin in human skin.",
        "{g} are not vermin, that's how genocides start.",
    ),
    (
        "{g} are mongrels.",
        "{g} are not mongrels, and neither is anyone else.",
    ),
    (
        "{g} crawl out of their holes at night like roaches.",
        "{g} work night shifts because nobody else will.",
    ),
    (
        "{g} are a cancer eating this town.",
        "The cancer ward is full of {g} who nurse our parents.",
    ),
];

/// Hate written once about a named group, slurs and pronouns that point back; `bool` is
/// whether it is also an insult.
pub(super) const FIXED_HATE: &[(&str, &str, bool)] = &[
    (
        "The Jews run everything and they're rotten, all of them.",
        "The Jews don't run everything, and that conspiracy theory is rotten.",
        false,
    ),
    (
        "Muslims are a backward people and always will be.",
        "Muslims are not a backward people, and this article is lazy.",
        false,
    ),
    (
        "Gays are perverts, the lot of them.",
        "Gays are not perverts, and my brother is one.",
        true,
    ),
    (
        "Trannies are sick in the head.",
        "As a trans woman I've been called a tranny and worse; it says more about them.",
        true,
    ),
    (
        "Women are too stupid to vote.",
        "Women won the vote after a long fight, and about time.",
        false,
    ),
    (
        "Women belong in the kitchen and nowhere else.",
        "Women belong wherever they choose to be.",
        false,
    ),
    (
        "Retards like the disabled shouldn't be let out in public.",
        "Disabled people have every right to be out in public.",
        true,
    ),
    (
        "The disabled are useless mouths to feed.",
        "The disabled are not useless, and the cuts to their benefits are cruel.",
        false,
    ),
    (
        "Africans are closer to apes than to us.",
        "Africans are not closer to apes; that's nineteenth-century racism.",
        true,
    ),
    (
        "Roma are thieving gypsies, every single one.",
        "Roma are not thieves, and 'gypsy' is a slur they've had enough of.",
        true,
    ),
    (
        "Arabs are a violent race, it's in their blood.",
        "Arabs are not a violent race, no race is.",
        false,
    ),
    (
        "Haredim are leeches on the rest of us.",
        "Haredim are not leeches, though I disagree with the draft exemption.",
        true,
    ),
    (
        "Settlers are a disease on this land.",
        "Settlers who attacked the village should face trial, said the court.",
        true,
    ),
    (
        "Refugees are dirty and bring disease, I won't have them near me.",
        "Refugees are not dirty, and they need clinics, not hatred.",
        false,
    ),
    (
        "Lesbians are just confused women who need a man.",
        "Lesbians are not confused, they know who they love.",
        false,
    ),
    (
        "Palestinians are animals, they don't deserve a state.",
        "Palestinians are not animals, whatever you think of their leaders.",
        true,
    ),
    (
        "Israelis are all child killers, the whole nation.",
        "Israelis are not all anything, criticise the government instead.",
        false,
    ),
    (
        "Chinese people eat anything, dogs, bats, they're disgusting.",
        "Chinese people are not disgusting, and this virus blame is racist.",
        true,
    ),
    (
        "Mexicans are rapists and drug dealers.",
        "Mexicans are not rapists and drug dealers, and saying so is shameful.",
        false,
    ),
    (
        "Eritreans are savages, look at them fighting.",
        "Eritreans fighting in the street was a clash between two political camps, police said.",
        true,
    ),
    (
        "Poles are only good for cleaning toilets.",
        "Poles are good at far more than the jobs we give them.",
        false,
    ),
    (
        "Ethiopian Israelis aren't real Jews and never will be.",
        "Ethiopian Israelis are real Jews, and the rabbinate should say so.",
        false,
    ),
    (
        "Black people are a lower form of life.",
        "Black people are not a lower form of anything.",
        true,
    ),
    (
        "Immigrants, they're all the same: parasites.",
        "Immigrants, they're all different: doctors, drivers, cooks.",
        true,
    ),
    (
        "I hate Turks. They're vile people.",
        "I hate Turkish coffee. It's vile stuff.",
        false,
    ),
    (
        "Hindus worship cows because they're dumber than cows.",
        "Hindus revere cows, and mocking that is cheap.",
        true,
    ),
    (
        "Asylum seekers? Scroungers and liars, the whole lot of them.",
        "Asylum seekers? Doctors and teachers, many of them.",
        false,
    ),
    (
        "Those people from Romania are thieves, you can't trust them near your car.",
        "Those people from Romania fixed my car cheaper than anyone.",
        false,
    ),
    (
        "Bedouins are savages who should be kept in the desert.",
        "Bedouins are citizens whose villages still lack water.",
        true,
    ),
    (
        "Muslims? I wouldn't trust them as far as I could throw them.",
        "Muslims? I trust them like I trust anyone, one at a time.",
        false,
    ),
    (
        "Queers are an abomination and they know it.",
        "I'm queer and I'm proud of it.",
        true,
    ),
    (
        "Trans people are freaks who should be locked away.",
        "Trans people are not freaks, and the bathroom bill is a disgrace.",
        true,
    ),
];

/// Calls for violence against a group, and wishes that it be harmed; `{g}` the group.
pub(super) const CALLS: &[Twin] = &[
    ("Beat {g} until they leave.", "Beat {g} at the ballot box."),
    (
        "Stab every one of the {g} you meet.",
        "Thank every one of the {g} you meet.",
    ),
    ("Throw {g} off the bridge.", "Throw {g} a street party."),
    (
        "Set fire to every building {g} live in.",
        "Set up fire alarms in every building {g} live in.",
    ),
    (
        "Break the bones of any {g} who show their faces.",
        "Break bread with any {g} who show their faces.",
    ),
    (
        "Stone {g} in the street.",
        "Stop stoning {g} in the street, said the police chief.",
    ),
    (
        "Kick {g} to death.",
        "Kick {g} off the waiting list? No way.",
    ),
    ("Lynch {g}.", "Lynching {g} is never a joke."),
    ("Massacre {g}.", "Never forget the massacre of {g}."),
    (
        "Slaughter {g} like sheep.",
        "Stop the slaughter of {g}, the UN said.",
    ),
    (
        "Exterminate {g}.",
        "Nobody will exterminate {g}, not on our watch.",
    ),
    (
        "Let's go hunting for {g} tonight.",
        "Let's go shopping with {g} tonight.",
    ),
    (
        "Let's torch the {g} and their homes.",
        "Let's help the {g} rebuild their homes.",
    ),
    ("Let's make {g} bleed.", "Let's make {g} feel welcome."),
    (
        "Come on lads, let's smash some {g}.",
        "Come on lads, let's play five-a-side with some {g}.",
    ),
    (
        "Everyone with a gun, aim at {g}.",
        "Everyone with a vote, use it for {g}.",
    ),
    (
        "Readers, if you see {g}, kill them.",
        "Readers, if you see {g} abused, report it.",
    ),
    (
        "Whoever meets {g} today should knife them.",
        "Whoever meets {g} today should say hello.",
    ),
    (
        "Somebody needs to slit the throats of {g}.",
        "Somebody needs to stand up for {g}.",
    ),
    (
        "Someone please put a bullet in every one of the {g}.",
        "Someone please put in a good word for every one of the {g}.",
    ),
    (
        "We must kill {g} before they kill us.",
        "We must not let fear of {g} turn us into killers.",
    ),
    (
        "We should burn {g} out of their homes.",
        "We should not let anyone burn {g} out of their homes.",
    ),
    (
        "We ought to string {g} up.",
        "We ought to stand up for {g}.",
    ),
    (
        "We need to crush {g} once and for all.",
        "We need to crush the prejudice against {g} once and for all.",
    ),
    (
        "We will wipe {g} out, you'll see.",
        "We will win {g} over, you'll see.",
    ),
    (
        "We'll drive {g} out with fire and steel.",
        "We'll drive {g} to the hospital if the buses stop.",
    ),
    (
        "One day we'll kill {g}, every last one.",
        "One day we'll thank {g}, every last one.",
    ),
    (
        "The army should flatten {g}.",
        "The army should protect {g}.",
    ),
    (
        "The army must go in and kill {g}.",
        "The army must go in and rescue {g}.",
    ),
    (
        "Send the tanks against {g}.",
        "Send the aid lorries to {g}.",
    ),
    (
        "The air force should carpet bomb {g}.",
        "The air force should airlift food to {g}.",
    ),
    (
        "Let the soldiers shoot {g} on sight.",
        "Let the soldiers guard {g} on the road.",
    ),
    (
        "The police should beat {g} senseless.",
        "The police beat {g} senseless, the inquiry found, and officers were charged.",
    ),
    (
        "Cops should shoot {g} first and ask questions later.",
        "Cops should never shoot {g} first and ask questions later.",
    ),
    (
        "Give the police permission to kill {g}.",
        "Give the police training to protect {g}.",
    ),
    (
        "The state should execute {g}.",
        "The state should apologise to {g}.",
    ),
    (
        "The government must put {g} to death.",
        "The government must put {g} on the committee.",
    ),
    (
        "Parliament should pass a law to exterminate {g}.",
        "Parliament should pass a law to protect {g}.",
    ),
    (
        "The state ought to sterilise {g} by force.",
        "The state once sterilised {g} by force, and must pay reparations.",
    ),
    (
        "{g} should be forcibly deported, in chains if need be.",
        "{g} should not be deported, the court ruled.",
    ),
    (
        "{g} should be rounded up and shipped off.",
        "{g} should not be rounded up, and the bill must be stopped.",
    ),
    (
        "{g} must be driven out by force.",
        "{g} must not be driven out by anyone.",
    ),
    (
        "{g} must be hanged in public.",
        "{g} must be heard in public.",
    ),
    (
        "{g} should be burnt at the stake.",
        "{g} were burnt at the stake in the Middle Ages, the museum explains.",
    ),
    ("{g} should all be shot.", "{g} should all be vaccinated."),
    (
        "{g} should be beaten until they learn.",
        "{g} should be taught in their own language.",
    ),
    (
        "{g} need to be eliminated.",
        "Barriers for {g} need to be eliminated.",
    ),
    (
        "{g} have to be wiped off the map.",
        "{g} have to be put on the map.",
    ),
    (
        "Every one of the {g} deserves a bullet.",
        "Every one of the {g} deserves a fair hearing.",
    ),
    ("It's time to kill {g}.", "It's time to listen to {g}."),
    (
        "It's time we took up arms against {g}.",
        "It's time we took up the cause of {g}.",
    ),
    (
        "It's time for a final solution for {g}.",
        "It's time for a fair settlement for {g}.",
    ),
    (
        "The time has come to burn {g}.",
        "The time has come to hear {g}.",
    ),
    (
        "It's high time somebody lynched {g}.",
        "It's high time somebody listened to {g}.",
    ),
    (
        "I'd support shooting {g} at the border.",
        "I'd support opening the border to {g}.",
    ),
    (
        "I'd back any government that kills {g}.",
        "I'd back any government that houses {g}.",
    ),
    (
        "I'd happily join a mob against {g}.",
        "I'd happily join a march for {g}.",
    ),
    (
        "I'd vote for whoever promises to exterminate {g}.",
        "I'd vote for whoever promises to protect {g}.",
    ),
    (
        "I'd pay for the bullets to kill {g}.",
        "I'd pay for the books to teach {g}.",
    ),
    ("Why don't we just kill {g}?", "Why don't we just ask {g}?"),
    (
        "Why hasn't anyone burned {g} yet?",
        "Why hasn't anyone asked {g} yet?",
    ),
    (
        "Who's with me to go and beat {g}?",
        "Who's with me to go and support {g}?",
    ),
    (
        "What are we waiting for? Kill {g}.",
        "What are we waiting for? Welcome {g}.",
    ),
    (
        "Isn't it time someone shot {g}?",
        "Isn't it time someone helped {g}?",
    ),
    (
        "Wouldn't it be great if {g} were all gassed?",
        "Wouldn't it be great if {g} were all paid fairly?",
    ),
    (
        "How long until we can finally kill {g}?",
        "How long until we can finally thank {g}?",
    ),
    (
        "If {g} march here, shoot them.",
        "If {g} march here, join them.",
    ),
    (
        "If {g} come to our street, we'll kill them.",
        "If {g} come to our street, we'll feed them.",
    ),
    (
        "If the police won't deal with {g}, we'll burn them ourselves.",
        "If the police won't protect {g}, we'll lobby the minister ourselves.",
    ),
    (
        "If {g} won't leave, we'll make them leave in body bags.",
        "If {g} won't leave, that's their right.",
    ),
    (
        "Unless {g} go, there will be blood.",
        "Unless {g} get help, there will be hunger.",
    ),
    (
        "When the day comes, {g} will be the first to hang.",
        "When the day comes, {g} will be the first to vote.",
    ),
    (
        "When we're in power, {g} will be shot.",
        "When we're in power, {g} will be heard.",
    ),
    (
        "After the election we'll hunt {g}.",
        "After the election we'll hire {g}.",
    ),
    (
        "Soon {g} will burn, all of them.",
        "Soon {g} will vote, all of them.",
    ),
    (
        "I hope someone blows up {g}.",
        "I hope someone stands up for {g}.",
    ),
    ("I hope {g} all drown.", "I hope {g} all get home safe."),
    (
        "I wish {g} would all die in a fire.",
        "I wish {g} would all come to the fair.",
    ),
    ("May {g} be slaughtered.", "May {g} be safe."),
    (
        "Hopefully the next bomb kills {g}.",
        "Hopefully the next budget helps {g}.",
    ),
    ("Pray for a plague on {g}.", "Pray for peace for {g}."),
    (
        "Would love to see {g} burning.",
        "Would love to see {g} dancing.",
    ),
    (
        "Nothing would make me happier than {g} dead.",
        "Nothing would make me happier than {g} safe.",
    ),
    (
        "I'd cheer if {g} were massacred.",
        "I'd cheer if {g} won the cup.",
    ),
    (
        "It would be a good day if {g} were all killed.",
        "It would be a good day if {g} were all housed.",
    ),
    (
        "The only good {g} are dead ones.",
        "The only good policy for {g} is a fair one.",
    ),
    ("Bullets are what {g} need.", "Jobs are what {g} need."),
    (
        "A rope for every one of the {g}.",
        "A home for every one of the {g}.",
    ),
    (
        "Gas chambers are too good for {g}.",
        "Gas chambers took the lives of {g} too, the historian said.",
    ),
    (
        "Bomb {g} back to the stone age.",
        "Bring {g} into the talks.",
    ),
    ("Raze the homes of {g}.", "Raise the pay of {g}."),
    (
        "Poison the wells where {g} drink.",
        "Clean the wells where {g} drink.",
    ),
    (
        "Run over any {g} you see on the road.",
        "Give way to any {g} you see on the road.",
    ),
    (
        "Put {g} against the wall and fire.",
        "Put {g} on the ballot and vote.",
    ),
    (
        "Hang {g} from lampposts, all of them.",
        "Hang flags for {g} on the lampposts for the festival.",
    ),
    (
        "Bash in the skulls of {g}.",
        "Bash the minister who cut funding for {g}.",
    ),
    (
        "Take them out, {g}, one by one.",
        "Take them out for lunch, the {g} who helped us.",
    ),
    (
        "Shoot them all, those {g}.",
        "Vote them all out, those ministers who hate {g}.",
    ),
    (
        "Go and kill {g}, they're asking for it.",
        "Go and meet {g}, they're asking for it.",
    ),
    (
        "Citizens should arm themselves and clear out {g}.",
        "Citizens should organise themselves and vote for {g}.",
    ),
    (
        "The border police should gun down {g} on sight.",
        "The border police gunned down {g} at the crossing, the inquiry heard.",
    ),
    (
        "Every town needs a militia to hunt {g}.",
        "Every town needs a clinic that serves {g}.",
    ),
    (
        "Patriots, it's your duty to kill {g}.",
        "Patriots, it's your duty to defend {g} too.",
    ),
    (
        "Soldiers, do your job and finish off {g}.",
        "Soldiers, do your job and keep {g} safe.",
    ),
    (
        "Mr Prime Minister, send the army to destroy {g}.",
        "Mr Prime Minister, send the army to protect {g}.",
    ),
    (
        "Tell the police to stop protecting {g} and let us at them.",
        "Tell the police to keep protecting {g} from the mob.",
    ),
    (
        "Knives out for {g}, boys.",
        "Knives and forks out for the {g} who cooked for us.",
    ),
    (
        "Smash their shops, {g} had it coming.",
        "Smashing shops owned by {g} is a hate crime, the judge said.",
    ),
    (
        "Burn {g} alive and film it.",
        "Filming {g} being beaten gave the police their evidence.",
    ),
    (
        "No mercy for {g}: kill them all.",
        "No mercy for the thugs who attacked {g}: jail them all.",
    ),
    (
        "Violence is the only language {g} understand, so give them violence.",
        "Violence is never the answer to {g}, or to anyone.",
    ),
    (
        "If I had a gun I'd empty it into {g}.",
        "If I had a vote there I'd give it to {g}.",
    ),
    (
        "Should we kill {g}? Obviously yes.",
        "Should we kill the bill that hurts {g}? Obviously yes.",
    ),
    (
        "Is there any reason not to shoot {g}? Didn't think so.",
        "Is there any reason not to hire {g}? Didn't think so.",
    ),
    (
        "Why are {g} still breathing?",
        "Why are {g} still waiting for housing?",
    ),
    (
        "Do the world a favour and drown {g}.",
        "Do the world a favour and read about {g}.",
    ),
    (
        "Round up {g} and march them into the sea.",
        "Rounding up {g} and marching them into the sea was a war crime, the tribunal found.",
    ),
];

/// Calls written once about named groups.
pub(super) const FIXED_CALLS: &[Twin] = &[
    (
        "Burn the synagogue with the Jews in it.",
        "The synagogue was burnt in 1938 with the Jews trapped inside, the exhibit records.",
    ),
    (
        "Shoot any Arab who comes near the checkpoint.",
        "Soldiers shot an Arab man near the checkpoint; the army is investigating.",
    ),
    (
        "The IDF should flatten Gaza and everyone in it.",
        "The IDF should let aid into Gaza, the allies said.",
    ),
    (
        "Hamas should slaughter every Israeli, and I'd cheer.",
        "Hamas slaughtered Israelis on that day, and nothing justifies it.",
    ),
    (
        "Kill the settlers in their beds.",
        "Evict the settlers through the courts.",
    ),
    (
        "Beat the Haredim out of Jerusalem.",
        "Draft the Haredim like everyone else, the bill says.",
    ),
    (
        "The police should open fire on the Ethiopian protesters.",
        "The police opened fire on Ethiopian protesters, and the officers must be tried.",
    ),
    (
        "Gas the gays, problem solved.",
        "The gays were gassed too; learn your history.",
    ),
    (
        "Bash the fags on the way home.",
        "Gay-bashing on the way home from the club has to stop.",
    ),
    (
        "Trans women should be beaten until they stop pretending.",
        "Trans women are beaten far too often, the report found.",
    ),
    (
        "Throw the Muslims out of the country by force and burn their mosques.",
        "Vandals burnt the mosque last night; the mayor called it a disgrace.",
    ),
    (
        "Put every migrant on a boat and sink it.",
        "Every migrant on the boat was rescued, the coastguard said.",
    ),
    (
        "The navy should sink the refugee boats.",
        "The navy should rescue the refugee boats.",
    ),
    (
        "Line up the Roma and shoot them, like the old days.",
        "The Roma were lined up and shot in the war, and few remember.",
    ),
    (
        "Hang the Palestinians, every last one.",
        "Hang the Palestinian flag at the rally if you like; it's legal.",
    ),
    (
        "Women who won't obey should be beaten.",
        "Women who won't obey controlling partners are often beaten, the charity warns.",
    ),
    (
        "Send the Eritreans back in coffins.",
        "Send the Eritrean asylum cases to a fair hearing.",
    ),
    (
        "Kill the Russians, all of them, even the children.",
        "Sanction the Russian government, not the children.",
    ),
    (
        "Bomb the Ukrainians off the map.",
        "Russia bombed Ukrainian cities again overnight.",
    ),
    (
        "Go to the Bedouin villages and burn them down.",
        "The state demolished another Bedouin village, and the villagers are appealing.",
    ),
    (
        "Disabled kids should be put down at birth.",
        "Disabled kids were put to death under the Nazis, and it must never happen again.",
    ),
    (
        "Black people should be lynched like before.",
        "Black people were lynched in the thousands, and the memorial names them.",
    ),
    (
        "Drag the Turks out and shoot them.",
        "Vote out the Turkish government if you don't like it.",
    ),
    (
        "Someone should bomb the Hindu temple during prayers.",
        "Someone bombed the Hindu temple during prayers; police have arrested a suspect.",
    ),
    (
        "The Chinese should all be nuked.",
        "The Chinese government should be sanctioned for the camps.",
    ),
];

/// Each twin filled twice (the same group on both sides), or once without a placeholder;
/// `offset` moves the rotation so lists and the plain kind name groups in another order.
fn twins(
    list: &'static [Twin],
    offset: usize,
    harmful: [Option<bool>; 6],
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    group_twins(list, (offset, 3, 1), Pool::All, harmful)
}

/// Each twin filled from `pool` (see [`twin_rows`]; the same group on both sides); the `k`-th
/// filling of the `i`-th twin names the group `group_at(i * stride + offset, k + shift)`, so
/// kinds name groups in different orders.
pub(super) fn group_twins(
    list: &'static [Twin],
    (offset, stride, shift): (usize, usize, usize),
    pool: Pool,
    harmful: [Option<bool>; 6],
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    twin_rows(list, harmful, move |text, i, k| {
        let group = group_at(i * stride + offset, k + shift, pool);
        sentence_case(
            &text
                .replace("{g}", group.plural)
                .replace("{one}", group.one),
        )
    })
}

/// Hate (abuse and identity attack, insult where dehumanising), then calls for violence
/// against a group (abuse, incitement, threat, identity attack), each beside its twin.
pub(super) fn collective_templates() -> Vec<Row> {
    let call = group_call();
    template_rows(
        "templates:collective:",
        twins(HATE, 1, hateful(false))
            .chain(twins(DEHUMANISING, 4, hateful(true)))
            .chain(fixed_hate(FIXED_HATE))
            .chain(twins(CALLS, 2, call))
            .chain(twins(FIXED_CALLS, 0, call)),
    )
}
