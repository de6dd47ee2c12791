//! Hate, threats and calls for violence in plain hand-written sentences, each beside a
//! harmless twin that keeps most of its words. The other kinds multiply a few frames by many
//! fillers, so the model can learn a frame ("Everyone knows {g} …") instead of what a sentence
//! does; here almost every sentence is written once, in the forms readers use (first person,
//! questions, comparisons, pronouns that point back at a group, second person, past and
//! future), and is filled with at most two groups or people. The twins deny, quote to
//! condemn, report, joke, praise or criticise a policy, so a group's name, a violent word or
//! a frame is evidence of neither class.

use super::person::PEOPLE;
use super::stereotypes::{Pool, group_at, hateful};
use super::{labelled, sentence_case, template_rows, twin_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// `(harmful, harmless twin)`: `{g}` a group's plural, `{one}` one of its members, `{p}` a
/// person readers threaten. A sentence without a placeholder is written once.
type Twin = (&'static str, &'static str);

/// Hate in ordinary words about any group: disgust, inferiority, denial of equal standing.
pub(super) const HATE: &[Twin] = &[
    ("I hate {g}.", "I hate how {g} are treated here."),
    (
        "I really do hate {g}, all of them.",
        "I really do hate the way this paper writes about {g}.",
    ),
    (
        "Honestly, {g} make my skin crawl.",
        "Honestly, the comments about {g} make my skin crawl.",
    ),
    (
        "Frankly I despise {g} and I don't care who knows it.",
        "Frankly I despise bigots who pick on {g}, and I don't care who knows it.",
    ),
    (
        "I think {g} are inferior to the rest of us.",
        "I think {g} are equal to the rest of us, obviously.",
    ),
    (
        "{g} are simply less intelligent, it's science.",
        "{g} are not less intelligent, and no science says so.",
    ),
    (
        "{g} are not equal to normal people and never will be.",
        "{g} are equal to everyone else and always were.",
    ),
    (
        "{g} should never have been given equal rights.",
        "{g} should have been given equal rights much sooner.",
    ),
    (
        "{g} shouldn't be allowed to exist.",
        "{g} shouldn't be afraid to exist openly.",
    ),
    (
        "The world would be better without {g}.",
        "The world would be poorer without {g}.",
    ),
    (
        "This country would be better off with no {g} in it.",
        "This country is better off with {g} in it.",
    ),
    (
        "Nobody wants {g} here, they should get the message.",
        "Plenty of us want {g} here, whatever the trolls say.",
    ),
    (
        "{g} are a mistake of nature.",
        "Calling {g} a mistake of nature is vile.",
    ),
    (
        "Why do {g} even exist?",
        "Why do {g} still have to justify their existence?",
    ),
    (
        "Is there anything worse than {g}? I doubt it.",
        "Is there anything worse than hating {g}? I doubt it.",
    ),
    (
        "{g} are worse than criminals.",
        "{g} are treated worse than criminals by this law.",
    ),
    (
        "I'd rather have a dog for a neighbour than {g}.",
        "I'd rather have {g} for neighbours than the racists next door.",
    ),
    (
        "Every single one of them is useless, {g} I mean.",
        "Every single one of the {g} I've worked with was brilliant.",
    ),
    (
        "{g}? They're all the same, lazy and dishonest.",
        "{g}? They're as different from each other as anyone.",
    ),
    (
        "Can't stand {g}. Never could. Never will.",
        "Can't stand people who mock {g}. Never could.",
    ),
    (
        "{g} ruin everything they touch.",
        "{g} fixed everything they touched on this project.",
    ),
    (
        "{g} are a burden on decent people.",
        "{g} are decent people, not a burden.",
    ),
    (
        "Give {g} rights and they'll take over.",
        "Give {g} rights and they'll just live their lives.",
    ),
    (
        "The less we see of {g}, the better.",
        "The more we hear from {g}, the better.",
    ),
    (
        "{g} don't deserve to be treated like humans.",
        "{g} deserve to be treated like humans, full stop.",
    ),
    (
        "I was raised to look down on {g} and I still do.",
        "I was raised to look down on {g} and I am ashamed of it now.",
    ),
    (
        "{g} have always been beneath us.",
        "{g} have never been beneath anyone.",
    ),
    (
        "My kids will never play with {g}, I made sure of it.",
        "My kids play with {g} every day, and they're happier for it.",
    ),
    (
        "You can't reason with {g}, they're too thick.",
        "You can reason with {g} like with anyone else.",
    ),
    (
        "{g} should know their place.",
        "{g} should know they have a place here.",
    ),
    (
        "Honestly, the fewer {g} there are, the happier I am.",
        "Honestly, the happier {g} are here, the happier I am.",
    ),
    (
        "Whenever I see {g} I feel sick to my stomach.",
        "Whenever I see {g} attacked online I feel sick to my stomach.",
    ),
    (
        "{g} are born liars, every one of them.",
        "{g} are no more liars than anyone else.",
    ),
    (
        "Let's face it, {g} will never be as good as us.",
        "Let's face it, {g} have been as good as us all along.",
    ),
    (
        "{g} bring nothing but shame.",
        "{g} bring a lot to this town.",
    ),
    (
        "Why should {g} have the same rights as me?",
        "Why shouldn't {g} have the same rights as me?",
    ),
    (
        "I'm sick of {g} and their existence.",
        "I'm sick of {g} having to defend their existence.",
    ),
    (
        "There's something wrong with {g}, and they know it.",
        "There's nothing wrong with {g}, and they know it.",
    ),
    (
        "{g} can't be trusted to raise children.",
        "{g} can be trusted to raise children as well as anyone.",
    ),
    (
        "The likes of {g} make me ashamed to be human.",
        "People who insult {g} make me ashamed to be human.",
    ),
    (
        "Back in my day {g} knew to keep quiet.",
        "Back in my day {g} had to keep quiet, thank god that changed.",
    ),
    (
        "{g} will always be second class.",
        "{g} should never be treated as second class.",
    ),
    (
        "Do {g} actually think they're our equals?",
        "Do people actually think {g} aren't our equals?",
    ),
    (
        "{g} are the worst thing that ever happened to this country.",
        "{g} are not the worst thing that ever happened to this country.",
    ),
    (
        "I wouldn't cross the road to help {g} if they were on fire.",
        "I wouldn't let anyone insult {g} in my house.",
    ),
    (
        "Not a single one of the {g} is worth saving.",
        "Every single one of the {g} is worth hearing out.",
    ),
    ("{g} are disgusting.", "{g} are not disgusting."),
    ("{g} are worthless.", "{g} are not worthless."),
    ("Ugh, {g}. Gross.", "Ugh, what people say about {g}. Gross."),
    ("{g} make me sick.", "Attacks on {g} make me sick."),
    ("Nobody likes {g}.", "Nobody asks {g} what they think."),
    ("{g} are inferior. Period.", "{g} are equal. Period."),
    (
        "{g} will never be equal to us, and they shouldn't be.",
        "{g} will be equal to us in law next year, and they should be.",
    ),
    (
        "I used to pity {g}, now I just hate them.",
        "I used to fear {g}, now I just know them.",
    ),
    (
        "{g} were never equal to us and never will be.",
        "{g} were never treated as equals, and that has to change.",
    ),
    (
        "When {g} move into a building, I move out, because they disgust me.",
        "When {g} moved into my building, they brought us all cake.",
    ),
    (
        "I'd trust a snake before I'd trust {g}.",
        "I'd trust {g} before I'd trust this government.",
    ),
    (
        "{g} are even worse than I thought, and I thought they were scum.",
        "{g} are even kinder than I thought, and I thought they were lovely.",
    ),
    (
        "Compared to normal people, {g} are defective.",
        "Compared to other cities, ours treats {g} badly.",
    ),
    (
        "You {g} are a disgrace to the human race.",
        "You {g} are a credit to this town.",
    ),
    (
        "Hey {g}, nobody wants you here.",
        "Hey {g}, welcome to the neighbourhood.",
    ),
    (
        "If you're one of the {g}, don't bother applying, you're not fit for it.",
        "If you're one of the {g}, do apply, the scheme is for you.",
    ),
    (
        "{g} should be stripped of the vote.",
        "{g} should be encouraged to vote.",
    ),
    (
        "{g} should not be allowed to marry or have children.",
        "{g} should be allowed to marry and have children.",
    ),
    (
        "{g} have no right to be in our parliament.",
        "{g} have every right to be in our parliament.",
    ),
    (
        "The problem with {g} is that they exist.",
        "The problem with {g} is that nobody listens to them.",
    ),
    (
        "Is it just me or are {g} the worst people alive?",
        "Is it just me or are {g} blamed for everything?",
    ),
    (
        "I've met plenty of {g} and every one of them was vile.",
        "I've met plenty of {g} and every one of them was kind.",
    ),
    (
        "{g} are a lower form of life.",
        "{g} are a part of life here.",
    ),
    (
        "What is it about {g} that makes them so repulsive?",
        "What is it about {g} that makes people so cruel to them?",
    ),
    (
        "Am I the only one who thinks {g} are a blight?",
        "Am I the only one who thinks {g} are being scapegoated?",
    ),
    (
        "{g} think they deserve respect, but they don't.",
        "{g} think they deserve respect, and they do.",
    ),
    (
        "I asked {g} to leave my shop, because I don't serve their kind.",
        "I asked {g} to stay for coffee, because I like their company.",
    ),
    (
        "My father hated {g}, and he taught me well.",
        "My father hated {g}, and I spent my life unlearning it.",
    ),
    (
        "{g} are less than us and always will be, and they should accept it.",
        "{g} are no less than us, and we should accept it.",
    ),
    (
        "Frankly, {g} should be grateful we let them live here.",
        "Frankly, we should be grateful {g} chose to live here.",
    ),
    (
        "{g} are repulsive.",
        "{g} are repeatedly targeted, the report says.",
    ),
];

/// Hate for groups of origin: belonging, loyalty, expulsion without a call to force.
pub(super) const HATE_ORIGIN: &[Twin] = &[
    (
        "{g} don't belong here and never will.",
        "{g} belong here as much as anyone.",
    ),
    (
        "Go back where you came from, {g}.",
        "Nobody should tell {g} to go back where they came from.",
    ),
    (
        "{g} should be sent back, every last one.",
        "{g} should not be sent back to a war zone.",
    ),
    (
        "I think {g} are ruining this country.",
        "I think the government is ruining this country, not {g}.",
    ),
    (
        "{g} will never be real citizens.",
        "{g} are real citizens with real passports.",
    ),
    (
        "They stole our jobs, these {g}.",
        "These {g} took the jobs nobody else wanted.",
    ),
    (
        "{g} are invading us and nobody stops them.",
        "{g} are not invading anyone, they're asking for asylum.",
    ),
    (
        "We were fine before {g} showed up.",
        "We were fine before the factory closed, and {g} had nothing to do with it.",
    ),
    (
        "Honestly I'd close the border to {g} forever.",
        "Honestly I'd speed up the paperwork for {g}.",
    ),
    (
        "No {g} should ever be allowed to become a citizen.",
        "Any of the {g} who qualify should be allowed to become a citizen.",
    ),
    (
        "{g} are loyal to their own and traitors to us.",
        "{g} are loyal citizens and it's shameful to say otherwise.",
    ),
    (
        "Once {g} move in, the whole street goes to hell.",
        "Once {g} moved in, the street finally got a bakery.",
    ),
    (
        "I don't want my taxes going to {g}.",
        "I don't mind my taxes going to help {g} settle in.",
    ),
    (
        "{g} came here to take, not to work.",
        "{g} came here to work, and they do.",
    ),
    (
        "{g} have no culture worth keeping.",
        "{g} have a culture worth learning about.",
    ),
    (
        "Our grandparents would be ashamed to see {g} everywhere.",
        "Our grandparents were immigrants too, just like {g}.",
    ),
    (
        "{g} should be banned from entering the country.",
        "{g} should not be banned from entering the country.",
    ),
    (
        "Deport {g} and our problems are solved.",
        "Deporting {g} would solve none of our problems.",
    ),
    (
        "{g} are not welcome here, and they'd better understand it.",
        "{g} are welcome here, and they'd better hear it from us.",
    ),
    (
        "The only good thing about {g} is when they leave.",
        "The best thing about {g} is how they stayed and built this place.",
    ),
    (
        "{g}, stay in your own country.",
        "{g} have made this their own country.",
    ),
    (
        "Send them all back, {g} have had their chance.",
        "Don't send them back, {g} deserve a fair chance.",
    ),
    ("Get out of our country, {g}.", "Get out and vote, {g}."),
    (
        "{g} out!",
        "{g} in, the council says, the housing plan is approved.",
    ),
    (
        "No more {g}, enough is enough.",
        "No more hate for {g}, enough is enough.",
    ),
    (
        "{g} poisoned this country and they will keep doing it.",
        "{g} built this country and they will keep doing it.",
    ),
    (
        "My town used to be nice until {g} came and ruined it.",
        "My town used to be dying until {g} came and opened shops.",
    ),
    (
        "I'd rather see the country empty than full of {g}.",
        "I'd rather see the country full of {g} than empty.",
    ),
];

/// Dehumanising hate, labelled as insult too: animals, vermin, disease, filth.
pub(super) const VILE: &[Twin] = &[
    ("{g} are animals.", "{g} are not animals."),
    (
        "{g} are rats, plain and simple.",
        "{g} are not rats, plain and simple.",
    ),
    (
        "{g} are cockroaches.",
        "Calling {g} cockroaches is how genocides start.",
    ),
    (
        "{g} are like a virus spreading through our cities.",
        "A virus spreading through our cities is a job for doctors, not an excuse to blame {g}.",
    ),
    (
        "{g} are subhuman.",
        "{g} are human, and saying otherwise is hate.",
    ),
    (
        "{g} are a plague.",
        "The plague of hatred against {g} has to end.",
    ),
    (
        "{g} are dirty, they live like pigs.",
        "{g} are not dirty, they live like everyone else.",
    ),
    (
        "{g} are a disease on this land.",
        "Hatred of {g} is a disease on this land.",
    ),
    (
        "{g} breed like rabbits.",
        "{g} have the same size families as anyone.",
    ),
    (
        "{g} are savages.",
        "{g} are not savages, they're our neighbours.",
    ),
    (
        "{g} stink, you can smell them from a mile away.",
        "{g} don't stink, that's an old racist lie.",
    ),
    (
        "{g} are apes who learned to talk.",
        "Comparing {g} to apes is racist and the paper should delete it.",
    ),
    (
        "{g} are filth and always will be.",
        "{g} are not filth and never were.",
    ),
    (
        "{g} are parasites feeding on us.",
        "{g} are not parasites, they pay taxes like us.",
    ),
    (
        "{g} are a cancer, cut it out.",
        "{g} beat cancer at the same rates as us, says the new study.",
    ),
    (
        "{g} are vermin and should be treated as vermin.",
        "{g} are people and should be treated as people.",
    ),
    (
        "I wouldn't call {g} human.",
        "I wouldn't call anyone who hates {g} a decent human.",
    ),
    (
        "Like rats, {g} always come back.",
        "Like anyone, {g} always come back to their home town.",
    ),
    (
        "{g} are lower than dogs.",
        "{g} are worth more than the trolls in this comment section.",
    ),
    (
        "{g} are trash. Human trash.",
        "{g} are not trash, and neither is anyone else.",
    ),
    (
        "{g} are a swarm of locusts.",
        "A swarm of locusts hit the farms, and some idiot blamed {g}.",
    ),
    (
        "{g} carry disease wherever they go.",
        "{g} don't carry disease, the clinic said so plainly.",
    ),
    (
        "Treat {g} like the dogs they are.",
        "Treat {g} like the neighbours they are.",
    ),
    (
        "{g} are barely more than monkeys.",
        "{g} are people, and the monkey insults need to stop.",
    ),
    (
        "{g} are an infestation.",
        "The infestation in the flats was mice, not {g}, you bigot.",
    ),
    (
        "{g} are degenerates.",
        "{g} are not degenerates, they're ordinary people.",
    ),
    (
        "{g} are a bunch of freaks.",
        "{g} are not freaks, they're our friends.",
    ),
    (
        "{g} are a rot eating this country from inside.",
        "The rot in this country is corruption, not {g}.",
    ),
    ("{g} are pests.", "{g} are not pests."),
    ("{g}? Vermin.", "{g}? Neighbours."),
    (
        "{g} are worse than rats, at least rats are useful.",
        "{g} are treated worse than rats by this landlord.",
    ),
    (
        "{g} are dogs and they'll always be dogs.",
        "{g} own dogs and they walk them in my park.",
    ),
    (
        "I'd sooner share a flat with cockroaches than with {g}.",
        "I'd sooner share a flat with {g} than with my ex.",
    ),
    (
        "{g} spread like mould wherever they settle.",
        "Mould spread through the flats where {g} were housed, and nobody fixed it.",
    ),
    (
        "{g} are nothing but animals in clothes.",
        "{g} are nothing but people in ordinary clothes.",
    ),
    (
        "Those {g} aren't people, they're a pack of wild dogs.",
        "Those {g} aren't a threat, they're a pack of tired families.",
    ),
];

/// Hate written about one named group, with slurs and pronouns that point back; `bool` is
/// whether it is also an insult (slurs, dehumanising words).
pub(super) const FIXED_HATE: &[(&str, &str, bool)] = &[
    (
        "Muslims are a cancer and they know it.",
        "Muslims get cancer screening late, and the clinic wants to change that.",
        true,
    ),
    (
        "Jews control the banks and the press, wake up.",
        "Jews do not control the banks or the press, that's an old conspiracy lie.",
        false,
    ),
    (
        "Gays are perverts and should keep away from children.",
        "Gays are not perverts, and that slur has hurt a lot of children.",
        true,
    ),
    (
        "Trans women are men in dresses and always will be.",
        "Trans women are women, and the new guidance says so.",
        false,
    ),
    (
        "Women are too emotional to be in charge of anything.",
        "Women are in charge of half the departments in this council.",
        false,
    ),
    (
        "Women belong in the kitchen, not in parliament.",
        "Women belong in parliament, as many as get elected.",
        false,
    ),
    (
        "Disabled people are a drain and shouldn't have been born.",
        "Disabled people are not a drain, and the benefit cuts are cruel.",
        false,
    ),
    (
        "Retards like that should be kept locked away.",
        "The word retard is an insult, and disabled people deserve better.",
        true,
    ),
    (
        "Refugees are scum, the lot of them.",
        "Refugees are people fleeing war, the lot of them.",
        true,
    ),
    (
        "Blacks are thugs, look at the crime stats.",
        "Black people are not thugs, look at who the stats leave out.",
        true,
    ),
    (
        "Arabs only understand force.",
        "Arabs understand diplomacy as well as anyone.",
        false,
    ),
    (
        "Roma are thieves by birth, it's in their blood.",
        "Roma are not thieves by birth, nothing is in anyone's blood.",
        false,
    ),
    (
        "Mexicans are rapists and drug dealers, all of them.",
        "Mexicans are not rapists and drug dealers, whatever he said on TV.",
        false,
    ),
    (
        "Chinese people eat anything, they're disgusting.",
        "Chinese people cook some of the best food in this city.",
        true,
    ),
    (
        "Asylum seekers are freeloaders, every one of them.",
        "Asylum seekers are not freeloaders, they're barred from working.",
        false,
    ),
    (
        "Lesbians just need a real man.",
        "Lesbians don't need anyone's approval.",
        false,
    ),
    (
        "Bisexuals are greedy liars.",
        "Bisexuals are not greedy liars, grow up.",
        false,
    ),
    (
        "Palestinians are all terrorists, even the babies.",
        "Palestinians are not all terrorists, and the babies certainly aren't.",
        false,
    ),
    (
        "Israelis are all murderers and child killers.",
        "Israelis are not all murderers, criticise the government instead.",
        false,
    ),
    (
        "Christians are brainwashed idiots.",
        "Christians ran the food bank that kept this town going.",
        true,
    ),
    (
        "Hindus worship cows because they're as dumb as cows.",
        "Hindus worship in the new temple on the high street.",
        true,
    ),
    (
        "Sikhs in turbans look like terrorists to me.",
        "Sikhs in turbans served in both world wars.",
        false,
    ),
    (
        "Atheists have no morals at all.",
        "Atheists have morals like anyone.",
        false,
    ),
    (
        "Ukrainians are all Nazis.",
        "Ukrainians are not all Nazis, that's propaganda.",
        false,
    ),
    (
        "Russians are born barbarians.",
        "Russians are not born barbarians, their regime is the problem.",
        false,
    ),
    (
        "Poles come here to steal and drink.",
        "Poles came here to work and they built half this estate.",
        false,
    ),
    (
        "Turks are backwards, always were.",
        "Turks are not backwards, the tour guide was a professor.",
        false,
    ),
    (
        "Eritreans are criminals, every last one of them.",
        "Eritreans are not criminals, they fled a dictatorship.",
        false,
    ),
    (
        "Bedouins are animals living in the desert.",
        "Bedouins are not animals, they're citizens with land claims.",
        true,
    ),
    (
        "Haredim are leeches who never work a day.",
        "Haredim are joining the workforce in growing numbers, the report says.",
        true,
    ),
    (
        "Settlers are all violent fanatics, every last one.",
        "Settlers are not all violent, and the court said so.",
        false,
    ),
    (
        "Immigrants, the lot of them, they breed and they take.",
        "Immigrants, the lot of them, work and pay in.",
        true,
    ),
    (
        "Faggots are disgusting.",
        "Faggot is a slur and the commenter who used it was banned.",
        true,
    ),
    (
        "Dykes like her are a disgrace to women.",
        "As a proud dyke myself, I loved this article.",
        true,
    ),
    (
        "Trannies are mentally ill freaks.",
        "Trans people are not mentally ill, and tranny is a slur.",
        true,
    ),
    (
        "Towelheads should go back to their deserts.",
        "Towelhead is a racist slur and has no place here.",
        true,
    ),
    (
        "Wetbacks are flooding across the border.",
        "My grandfather was called a wetback, and he built this town.",
        true,
    ),
    (
        "Gypsies are a plague on every town they camp in.",
        "Gypsy families camped by the river for the summer fair.",
        true,
    ),
    (
        "I hate Muslims and I'm not ashamed to say it.",
        "I hate that Muslims have to hear this, and I'm not ashamed to say it.",
        false,
    ),
    (
        "Honestly? I can't stand Jews.",
        "Honestly? I can't stand people who blame Jews for everything.",
        false,
    ),
    (
        "Black people are just less evolved.",
        "Black people are not less evolved, and that idea has been refuted for a century.",
        true,
    ),
    (
        "Women are property, nothing more.",
        "Women are not property, and they never were.",
        false,
    ),
    (
        "Gay people are an abomination and should be ashamed.",
        "Gay people are not an abomination and have nothing to be ashamed of.",
        false,
    ),
    (
        "Muslims are not human beings, they're animals.",
        "Muslims are human beings, not animals.",
        true,
    ),
    (
        "Trans people are a danger to our kids.",
        "Trans people are not a danger to our kids.",
        false,
    ),
    (
        "Refugees? Parasites. Every one.",
        "Refugees? Neighbours. Every one.",
        true,
    ),
    (
        "Migrants should be treated like the rats they are.",
        "Migrants should be treated like the people they are.",
        true,
    ),
    (
        "Jews are worse than the plague.",
        "Antisemitism is worse than the plague.",
        true,
    ),
    (
        "Arabs breed terrorists, that's what they do.",
        "Arabs are raising families, that's what they do.",
        false,
    ),
    (
        "Disabled kids are a waste of money and space.",
        "Disabled kids are not a waste of anything.",
        false,
    ),
    (
        "The moment a woman opens her mouth I stop listening, they're all stupid.",
        "The moment a woman opens her mouth in this forum, someone tells her to shut up.",
        false,
    ),
    (
        "Gay men are diseased, keep them away from blood banks and everything else.",
        "Gay men can now give blood, after the rules were changed.",
        true,
    ),
    (
        "Muslim women in headscarves look like rubbish bags.",
        "Muslim women in headscarves run three of the shops on my street.",
        true,
    ),
    (
        "All Africans are savages, it's just how they are.",
        "All Africans are not one people, it's a whole continent.",
        true,
    ),
    (
        "Asians are sly and untrustworthy.",
        "Asians are not sly, that stereotype is old and ugly.",
        false,
    ),
    (
        "I will never accept trans people as real people.",
        "I will always accept trans people as real people.",
        false,
    ),
    (
        "Feminists are all ugly lesbians who hate men.",
        "Feminists are not ugly or hateful, and lesbian is not an insult.",
        true,
    ),
];

/// Threats and wishes of harm against one person; `{p}` the person.
pub(super) const THREATS: &[Twin] = &[
    ("I'm going to kill {p}.", "I'm going to complain about {p}."),
    (
        "I will kill {p} if I ever see them.",
        "I will ask {p} a question if I ever see them.",
    ),
    (
        "{p} is going to die, and soon.",
        "{p} is going to retire, and soon.",
    ),
    (
        "I'll find {p} and hurt them badly.",
        "I'll find {p}'s email and write them a long letter.",
    ),
    (
        "{p} deserves to be beaten to a pulp.",
        "{p} deserves to be voted out.",
    ),
    (
        "{p} should be shot for this.",
        "{p} should be sacked for this.",
    ),
    (
        "{p} deserves to die for this.",
        "{p} deserves a reply for this.",
    ),
    (
        "Someone should break {p}'s legs.",
        "Someone should break it to {p} that nobody reads this.",
    ),
    ("I hope {p} dies in a fire.", "I hope {p} wins the award."),
    (
        "I hope {p} gets cancer.",
        "I hope {p} gets well after the cancer surgery.",
    ),
    (
        "I hope someone puts {p} in hospital.",
        "I hope someone puts {p} in charge of the report.",
    ),
    (
        "I wish {p} were dead.",
        "I wish {p} were more careful with facts.",
    ),
    (
        "{p} won't live to see next year.",
        "{p} won't last in the job until next year.",
    ),
    ("Watch your back, {you}.", "Watch your spelling, {you}."),
    (
        "We know where you live, {you}.",
        "We know where you stand, {you}.",
    ),
    (
        "{p} should sleep with one eye open.",
        "{p} should get some sleep and rewrite this.",
    ),
    (
        "Pray you never meet me in person, {you}.",
        "I'd love to meet you in person, {you}.",
    ),
    (
        "{you}, I'll make sure your kids grow up without a parent.",
        "{you}, I'll make sure my kids read your column.",
    ),
    (
        "I'm coming for {p} with a knife.",
        "I'm coming for {p} with a formal complaint.",
    ),
    (
        "One of these days someone will put a bullet in {p}, and I'll cheer.",
        "One of these days someone will hand {p} a prize, and I'll cheer.",
    ),
    (
        "Let's pay {p} a visit tonight and teach them a lesson.",
        "Let's pay for {p}'s course so they learn a lesson.",
    ),
    (
        "{p} will get what's coming, I'll see to it personally.",
        "{p} will get a letter from my lawyer, I'll see to it personally.",
    ),
    (
        "Somebody should run {p} over.",
        "Somebody should run against {p} at the next election.",
    ),
    (
        "If I were standing next to {p} I'd slit their throat.",
        "If I were standing next to {p} I'd shake their hand.",
    ),
    ("{p} is dead meat.", "{p} is dead right about this."),
    (
        "Just wait until I catch {p} alone.",
        "Just wait until I catch {p} on the radio.",
    ),
    (
        "I'd happily strangle {p} with my bare hands.",
        "I'd happily buy {p} a drink.",
    ),
    (
        "Would anyone miss {p} if they disappeared? I'll arrange it.",
        "Would anyone miss {p} if they retired? I doubt it.",
    ),
    (
        "I hope {p}'s car blows up with them in it.",
        "I hope {p}'s car passes its inspection.",
    ),
    (
        "{p}'s house would look nice on fire.",
        "{p}'s house would look nice with a new roof.",
    ),
    (
        "I'm counting the days until {p} is in a coffin.",
        "I'm counting the days until {p} is out of office.",
    ),
    (
        "Someone needs to shut {p} up permanently.",
        "Someone needs to fact-check {p} permanently.",
    ),
    (
        "{p} will be found floating in the river one day.",
        "{p} will be found guilty by the tribunal one day.",
    ),
    (
        "Keep writing this rubbish, {you}, and see what happens to you.",
        "Keep writing this rubbish, {you}, and see what happens to your readership.",
    ),
    (
        "{p} should be hanged in the town square.",
        "{p} should be questioned in the town hall.",
    ),
    (
        "Nobody would shed a tear if {p} got stabbed.",
        "Nobody would shed a tear if {p} got demoted.",
    ),
    (
        "Honestly I'd pay someone to hurt {p}.",
        "Honestly I'd pay to hear {p} debate this.",
    ),
    (
        "{p} had better hope we never meet.",
        "{p} had better hope the editor reads this.",
    ),
    (
        "I've got a bullet with {p}'s name on it.",
        "I've got a letter with {p}'s name on it.",
    ),
    (
        "After the match I'll be waiting for {p} in the car park.",
        "After the match I'll be waiting for {p} to sign my shirt.",
    ),
    ("{p} is next.", "{p} is next on the panel."),
    ("Die, {you}.", "Bye, {you}."),
    ("I'll kill you, {you}.", "I'll call you, {you}."),
    ("You'll pay in blood, {you}.", "You'll pay the fine, {you}."),
    (
        "{p} will be sorry when I'm done with them, and so will their family.",
        "{p} will be sorry when the audit is done, and so will their board.",
    ),
    (
        "I shot a man once for less than what {p} wrote.",
        "I wrote a letter once for less than what {p} wrote.",
    ),
    (
        "Last week I followed {p} home, next time I won't just watch.",
        "Last week I followed {p} on social media, next time I'll comment.",
    ),
    (
        "{p} should be afraid, very afraid, of what I'll do next.",
        "{p} should be afraid of what the voters do next.",
    ),
    (
        "If {p} shows up at the stadium, we'll beat them senseless.",
        "If {p} shows up at the stadium, we'll boo them loudly.",
    ),
    (
        "Someone tell {p} that their days are numbered.",
        "Someone tell {p} that their column's days are numbered.",
    ),
    (
        "I really hope {p} gets murdered.",
        "I really hope {p} gets reelected.",
    ),
    (
        "Wouldn't it be great if {p} fell off a balcony?",
        "Wouldn't it be great if {p} fell off the ballot?",
    ),
    (
        "Is there no one brave enough to stab {p}?",
        "Is there no one brave enough to challenge {p}?",
    ),
    (
        "{p} had it coming, and next time it'll be worse.",
        "{p} had it coming, and the next review will be worse.",
    ),
    (
        "Honestly {p} should be tortured.",
        "Honestly {p} should be questioned under oath.",
    ),
    (
        "Do you think {p} knows we're coming for them tonight?",
        "Do you think {p} knows we're voting against them tonight?",
    ),
    (
        "I think {p} should be killed, honestly.",
        "I think {p} should be fired, honestly.",
    ),
    (
        "{p} is going to get hurt, and I'll be the one hurting them.",
        "{p} is going to get criticised, and I'll be the one writing it.",
    ),
    (
        "Tomorrow {p} learns what a baseball bat feels like.",
        "Tomorrow {p} learns what a free press feels like.",
    ),
    (
        "{p} said this on air, so they'll have to be silenced for good.",
        "{p} said this on air, so they'll have to answer for it at the hearing.",
    ),
    (
        "{p} should have a bomb put under their car.",
        "{p} should have a parking ticket put under their wiper.",
    ),
];

/// Threats written once, with second person and named targets.
pub(super) const FIXED_THREATS: &[Twin] = &[
    (
        "You're dead, do you hear me?",
        "You're wrong, do you hear me?",
    ),
    (
        "You will die for what you wrote.",
        "You will regret what you wrote.",
    ),
    (
        "I know your address and I'm coming.",
        "I know your opinion and I disagree.",
    ),
    (
        "You'd better keep your doors locked tonight.",
        "You'd better keep your receipts for the tax office.",
    ),
    (
        "Say that to my face and I'll smash your skull in.",
        "Say that to my face and I'll tell you why you're wrong.",
    ),
    ("I will hunt you down.", "I will vote you down."),
    (
        "Your family isn't safe, remember that.",
        "Your family must be proud of this article.",
    ),
    (
        "Next time you walk your dog, look behind you.",
        "Next time you walk your dog, try the new park.",
    ),
    (
        "I hope your kids find you hanging.",
        "I hope your kids read this one day.",
    ),
    (
        "You deserve a bullet in the head.",
        "You deserve a raise for this piece.",
    ),
    (
        "I'll cut you open like a fish.",
        "I'll cook fish for you next time you visit.",
    ),
    (
        "Post your address, coward, and I'll come over and finish this.",
        "Post your sources, coward, and we'll finish this debate.",
    ),
    (
        "Keep it up and you'll end up in a ditch.",
        "Keep it up and you'll end up with a Pulitzer.",
    ),
    (
        "The referee should be beaten senseless after that call.",
        "The referee should be dropped after that call.",
    ),
    (
        "Someone stab that ref, he robbed us.",
        "Someone sack that ref, he robbed us.",
    ),
    (
        "That striker needs his legs broken so he never plays again.",
        "That striker needs a long rest so he can play again.",
    ),
    (
        "The judge who freed him should be executed.",
        "The judge who freed him should explain the ruling.",
    ),
    (
        "If the judge rules against us, he won't make it to the car.",
        "If the judge rules against us, we'll appeal.",
    ),
    (
        "The mayor should be dragged into the street and shot.",
        "The mayor should be dragged into court and sued.",
    ),
    (
        "The prime minister deserves a bullet.",
        "The prime minister deserves a no-confidence vote.",
    ),
    (
        "I hope the president gets assassinated.",
        "I hope the president gets impeached.",
    ),
    (
        "My neighbour's dog barks all night, I'm going to poison him and then his dog.",
        "My neighbour's dog barks all night, I'm going to call the council.",
    ),
    (
        "I'm going to burn my neighbour's house down with him in it.",
        "I'm going to buy my neighbour's house when he moves.",
    ),
    (
        "To the guy above: I'll find you, and you'll regret it.",
        "To the guy above: I'll find the source, and you'll regret it.",
    ),
    (
        "Hey commenter, I'll slap the stupid off your face.",
        "Hey commenter, I'll explain it slowly for you.",
    ),
    (
        "Reporters like you should be shot on sight.",
        "Reporters like you should be read by everyone.",
    ),
    (
        "I'd kill him myself if the police won't.",
        "I'd report him myself if the police won't act.",
    ),
    (
        "He'll be dead by Friday, trust me.",
        "He'll be gone by Friday, the club has confirmed.",
    ),
    (
        "She should be raped for saying that.",
        "She should be replaced for saying that.",
    ),
    (
        "I will beat her until she can't stand.",
        "I will beat her time in the marathon.",
    ),
    (
        "That woman needs a good beating.",
        "That woman needs a good lawyer.",
    ),
    (
        "He won't be so brave with a knife in his gut.",
        "He won't be so brave in front of the committee.",
    ),
    (
        "The guy who wrote this? I'd put him in the ground.",
        "The guy who wrote this? I'd put him on the front page.",
    ),
    (
        "Mark my words, the senator won't survive the year.",
        "Mark my words, the senator won't survive the primary.",
    ),
    (
        "Whoever leaked this will be found, and they'll bleed.",
        "Whoever leaked this will be found, and they'll be fired.",
    ),
    (
        "I'll be at your office tomorrow with a gun.",
        "I'll be at your office tomorrow with a petition.",
    ),
    (
        "I pray the coach gets hit by a bus.",
        "I pray the coach gets a new contract.",
    ),
    (
        "That councillor would look better hanging from a tree.",
        "That councillor would look better in a new suit.",
    ),
    (
        "Let's see how tough the columnist is with a broken jaw.",
        "Let's see how tough the columnist is in a live debate.",
    ),
    (
        "I swear to god I'll shoot the next journalist who comes to my door.",
        "I swear to god I'll talk to the next journalist who comes to my door.",
    ),
    ("I will end you.", "I will outvote you."),
    ("You're next.", "You're next in line."),
    ("I'll slit your throat.", "I'll take your seat."),
    (
        "Sleep well, while you still can.",
        "Sleep well, the match is early.",
    ),
    (
        "I know which school your kids go to.",
        "I know which school your kids go to, mine go there too.",
    ),
    (
        "Enjoy your last weekend alive.",
        "Enjoy your last weekend in office.",
    ),
    (
        "Your car has nice brakes. Would be a shame if they failed.",
        "Your car has nice brakes. Mine failed the inspection.",
    ),
    (
        "The referee won't leave the ground in one piece.",
        "The referee won't leave the ground without being booed.",
    ),
    (
        "We'll burn the editor's house down if they print this.",
        "We'll cancel our subscriptions if the editor prints this.",
    ),
    (
        "I'm going to shoot that goalkeeper after the game.",
        "I'm going to shoot a video of that goalkeeper after the game.",
    ),
    (
        "Somebody put that judge in a wheelchair.",
        "Somebody put that judge on the supreme court.",
    ),
    (
        "She'll be found in pieces, mark my words.",
        "She'll be found in contempt, mark my words.",
    ),
    (
        "He ought to be beaten with a belt until he bleeds.",
        "He ought to be given a belt for that title fight.",
    ),
    (
        "If you come to the rally, you won't go home.",
        "If you come to the rally, bring water.",
    ),
    (
        "I'll throw acid in that presenter's face.",
        "I'll throw that presenter's book in the bin.",
    ),
    (
        "Her ex should kill her, she deserves it.",
        "Her ex should pay her, the court said so.",
    ),
    (
        "Whoever moderates this site deserves a knife in the neck.",
        "Whoever moderates this site deserves a medal.",
    ),
    (
        "That ref is going home in an ambulance.",
        "That ref is going home with a bad review.",
    ),
    (
        "Frankly, the judge deserves to be murdered.",
        "Frankly, the judge deserves to be overruled.",
    ),
    (
        "Can someone please just shoot the referee?",
        "Can someone please just replace the referee?",
    ),
    (
        "I've been watching you, and I know when you're home alone.",
        "I've been reading you, and I know when you're writing alone.",
    ),
    (
        "When you least expect it, I'll be there.",
        "When you least expect it, I'll be there with flowers.",
    ),
    (
        "He'd better not walk home alone after what he said.",
        "He'd better not walk back what he said.",
    ),
    (
        "If she testifies, she won't live to see the verdict.",
        "If she testifies, she may change the verdict.",
    ),
    (
        "You've got a week to delete this, or your family pays.",
        "You've got a week to correct this, or I'll complain.",
    ),
    (
        "My gun's loaded and your name's on it, reporter.",
        "My pen's ready and your name's on the letter, reporter.",
    ),
];

/// Calls for violence against a group and wishes that it be harmed; `{g}` the group.
pub(super) const CALLS: &[Twin] = &[
    ("Kill all {g}.", "Kill all the bills that hurt {g}."),
    (
        "All {g} should be killed.",
        "All {g} should be counted in the census.",
    ),
    (
        "{g} should be wiped out.",
        "Prejudice against {g} should be wiped out.",
    ),
    (
        "Someone should shoot every one of the {g}.",
        "Someone should interview every one of the {g}.",
    ),
    (
        "Let's go and beat up some {g} tonight.",
        "Let's go and eat with some {g} tonight at the festival.",
    ),
    (
        "Grab your guns, boys, it's time to deal with the {g}.",
        "Grab your coats, boys, it's time to meet the {g} at the fair.",
    ),
    (
        "I think {g} should be gassed.",
        "I think {g} should be consulted.",
    ),
    (
        "{g} deserve to be burned alive.",
        "{g} deserve to be heard.",
    ),
    (
        "Honestly the only solution for {g} is a mass grave.",
        "Honestly the only solution for {g} is better housing.",
    ),
    (
        "We need to purge this country of {g}.",
        "We need to protect this country's {g}.",
    ),
    (
        "Burn their mosques and churches, all of them, and the {g} inside.",
        "Guard their mosques and churches, all of them, and the {g} inside.",
    ),
    (
        "If the state won't get rid of {g}, we will do it with our own hands.",
        "If the state won't help {g}, we will do it with our own hands.",
    ),
    (
        "The army should open fire on the {g} at the border.",
        "The army should open the border for {g} who need shelter.",
    ),
    (
        "Put {g} in camps and throw away the key.",
        "Put {g} on the council and hear them out.",
    ),
    ("Any {g} you see, hit them.", "Any {g} you see, greet them."),
    ("I'd gladly watch {g} hang.", "I'd gladly watch {g} win."),
    (
        "Hope the bombs land right on {g}.",
        "Hope the aid lands right with {g}.",
    ),
    (
        "They'll all die, these {g}, and I'll dance on their graves.",
        "They'll all vote, these {g}, and I'll dance at the results party.",
    ),
    (
        "Drown every boat full of {g}.",
        "Rescue every boat full of {g}.",
    ),
    (
        "Shoot {g} on sight, no questions asked.",
        "Hire {g} on merit, no questions asked.",
    ),
    (
        "It's time for a final solution to the {g} problem.",
        "It's time to stop talking about a {g} problem.",
    ),
    (
        "The {g} should all be lined up and machine-gunned.",
        "The {g} should all be lined up for the group photo.",
    ),
    (
        "What {g} need is a good old-fashioned pogrom.",
        "What {g} need is a good old-fashioned community centre.",
    ),
    (
        "I pray for a virus that kills only {g}.",
        "I pray for a vaccine that reaches the {g} too.",
    ),
    (
        "Would anyone care if the {g} all died tomorrow? I wouldn't.",
        "Would anyone care if the {g} all left tomorrow? I would.",
    ),
    (
        "Expel the {g} by force, and shoot the ones who resist.",
        "Protect the {g} by law, and prosecute the ones who attack them.",
    ),
    (
        "Next time they march, run the {g} down with a truck.",
        "Next time they march, walk with the {g}.",
    ),
    (
        "We should torch the houses of {g} until they leave.",
        "We should fix the houses of {g} before winter.",
    ),
    (
        "Stone the {g}, like the good book says.",
        "Love the {g}, like the good book says.",
    ),
    (
        "A bullet for each of the {g}.",
        "A vote for each of the {g}.",
    ),
    (
        "The government should start executing {g}.",
        "The government should start hiring {g}.",
    ),
    (
        "I'd volunteer to hunt {g} if the law allowed it.",
        "I'd volunteer to teach {g} if the school allowed it.",
    ),
    ("Death to {g}.", "Death to the plan that starves {g}."),
    (
        "Exterminate the {g}.",
        "Exterminate the rats, protect the {g} who live there.",
    ),
    ("Kill them all, the {g}.", "Feed them all, the {g}."),
    ("Burn the {g} out.", "Bring the {g} in."),
    ("Hang every one of the {g}.", "Hire every one of the {g}."),
    (
        "We should shoot the {g} before they multiply.",
        "We should house the {g} before winter.",
    ),
    (
        "I wish someone would blow up every place the {g} gather.",
        "I wish someone would fix every place the {g} gather.",
    ),
    (
        "If it were up to me, the {g} would all be dead by Christmas.",
        "If it were up to me, the {g} would all be home by Christmas.",
    ),
    (
        "The police should be allowed to beat {g} on sight.",
        "The police should be trained to protect {g} on sight.",
    ),
    (
        "Next war, let's finish off the {g} for good.",
        "Next year, let's finish the {g} community hall for good.",
    ),
    (
        "I'd vote for anyone who promised to kill the {g}.",
        "I'd vote for anyone who promised to help the {g}.",
    ),
    (
        "Drag the {g} out of their houses and string them up.",
        "Drag the {g} out of their houses and into the street party.",
    ),
    (
        "Why hasn't anyone killed the {g} yet?",
        "Why hasn't anyone asked the {g} yet?",
    ),
    (
        "I think we should kill {g}, all of them.",
        "I think we should thank {g}, all of them.",
    ),
    (
        "We should gather up all the {g}, take them out of town and shoot them.",
        "We should gather up all the {g}, take them out of town and show them the lake.",
    ),
    (
        "The {g} will burn, every one of them, I promise.",
        "The {g} will vote, every one of them, I promise.",
    ),
    (
        "Let's go and smash some {g} after the match.",
        "Let's go and meet some {g} after the match.",
    ),
    (
        "Soldiers, do your duty and kill the {g}.",
        "Soldiers, do your duty and protect the {g}.",
    ),
    (
        "The state must deport the {g} at gunpoint, and shoot any that run.",
        "The state must not deport the {g} at gunpoint, whatever the tabloids say.",
    ),
    (
        "Hurt the {g} where it hurts, their children.",
        "Help the {g} where it helps, their children.",
    ),
    (
        "Let the {g} drown in the sea rather than land here.",
        "Let the {g} land here rather than drown in the sea.",
    ),
];

/// Calls written once about named groups.
pub(super) const FIXED_CALLS: &[Twin] = &[
    (
        "Gas the Jews.",
        "The Nazis gassed the Jews, and we must never forget it.",
    ),
    (
        "Hang the gays from cranes.",
        "The gays in my office are hanging the new pictures.",
    ),
    (
        "Kill the Arabs, every one.",
        "Kill the Arab-Israeli peace plan? No, revive it.",
    ),
    (
        "Shoot the refugees at the fence.",
        "Feed the refugees at the fence.",
    ),
    (
        "Beat up a trans person and see if they fight like a man.",
        "Beat a trans runner in the race and see how fair it was.",
    ),
    (
        "Women who cheat should be stoned to death.",
        "Women who cheat at cards should be banned from the club.",
    ),
    (
        "Muslims should be shot on the street like dogs.",
        "Muslims should be safe on the street like anyone.",
    ),
    (
        "The Roma camp should be set on fire with them in it.",
        "The Roma camp should be given running water.",
    ),
    (
        "Let's do to the Palestinians what they deserve, wipe Gaza off the map.",
        "Let's do for the Palestinians what they deserve, rebuild Gaza.",
    ),
    (
        "Nuke Israel and let them all burn.",
        "Sanction Israel's government and let the courts decide.",
    ),
    (
        "Blacks should be lynched like in the good old days.",
        "Blacks were lynched in the bad old days, and the museum tells that story.",
    ),
    (
        "Disabled people should be euthanised to save money.",
        "Disabled people should be supported, whatever it costs.",
    ),
    (
        "Every mosque should be bombed on Friday.",
        "Every mosque should be open on Friday for the fundraiser.",
    ),
    (
        "Kill the migrants before they land.",
        "Help the migrants before they drown.",
    ),
    (
        "Time to send the Haredim to the gas chambers.",
        "Time to send the Haredim a draft notice, says the minister.",
    ),
    (
        "Set fire to the asylum hotel tonight, lads.",
        "Set up a food stall by the asylum hotel tonight, lads.",
    ),
    (
        "Dear police, please start shooting the protesting Ethiopians.",
        "Dear police, please stop shooting at protesting Ethiopians.",
    ),
    (
        "Somebody kill all the settlers in their beds.",
        "Somebody keep all the settlers in the talks.",
    ),
    (
        "Round up the Mexicans and shoot them at the wall.",
        "Round up the Mexican restaurants and review them all.",
    ),
    (
        "Let the Ukrainians freeze to death, I'd cheer.",
        "Let the Ukrainians have heaters this winter, I'd donate.",
    ),
    (
        "Shoot the gays.",
        "Shoot the gay wedding in black and white.",
    ),
    (
        "Kill the Jews.",
        "The Jews were killed in their thousands here, the plaque says.",
    ),
    (
        "Lynch the immigrants who live on Main Street.",
        "Lunch with the immigrants who live on Main Street was wonderful.",
    ),
    (
        "Rape and kill all feminist women.",
        "Read and debate all feminist writers.",
    ),
    (
        "Muslims need to be wiped off the map, starting here.",
        "Muslims need to be on the map of this city's history, starting here.",
    ),
    (
        "Burn down every gay bar in the city.",
        "Book every gay bar in the city for the festival.",
    ),
    (
        "Gays should be thrown off roofs.",
        "Gays were thrown off roofs by ISIS, and the world looked away.",
    ),
    (
        "Someone should bomb the synagogue on Elm Street.",
        "Someone set fire to the synagogue on Elm Street, police say.",
    ),
    (
        "Kill every Arab you see, they'd do the same to you.",
        "Greet every Arab you see, they'd do the same for you.",
    ),
    (
        "If I had my way, every trans person would be shot.",
        "If I had my way, every trans person would be safe.",
    ),
];

/// Harmless sentences with the words of the harmful ones: news of violence in neutral words,
/// idioms, sport and games, in-group use of a slur, praise, sharp criticism of a government,
/// a policy, a team or an idea, and threats of lawful action.
pub(super) const HARMLESS: &[&str] = &[
    "Three men were arrested after a mosque was set on fire overnight.",
    "A gunman killed four people at a synagogue, police said on Sunday.",
    "The court jailed a man who threatened to kill a local reporter.",
    "Police are investigating threats made against the judge in the case.",
    "Two refugees drowned when their boat capsized off the coast.",
    "The attack on the gay bar left six people injured.",
    "A trans woman was beaten in the park, and the police are appealing for witnesses.",
    "The minister condemned the calls to attack migrants posted online.",
    "The man who stabbed the councillor was sentenced to life.",
    "Soldiers opened fire on the crowd, the report says, killing twelve.",
    "The massacre happened eighty years ago this week.",
    "The museum tells the story of how the Roma were murdered in the war.",
    "Survivors of the attack spoke at the memorial on Sunday.",
    "The footballer received death threats after the final, and the club reported them.",
    "Posting threats online is a crime, and these people were rightly charged.",
    "Saying that Muslims should be killed is incitement, and the police should act.",
    "Writing that women are inferior says more about you than about them.",
    "When my grandmother was called a dirty Jew in the street, she kept walking.",
    "He shouted that gays should burn, and the whole bus told him to get off.",
    "I reported the comment that called refugees vermin.",
    "The leaflet called migrants a disease, and the printer refused to print more.",
    "Calling a whole people animals is how every massacre starts.",
    "We absolutely destroyed them in the second half.",
    "Our defence got murdered out there tonight.",
    "I'm going to kill it at the interview tomorrow.",
    "That goal was an absolute killer.",
    "The striker was on fire all game.",
    "Headshot from across the map, what a shot.",
    "I just got wiped by a sniper in the last round again.",
    "My sister will kill me if I'm late for dinner.",
    "This heat is killing me.",
    "I could murder a curry right now.",
    "The comedian died on stage last night, nobody laughed.",
    "We're going to bury them in the polls next week.",
    "The opposition got slaughtered in the vote.",
    "My team got absolutely butchered by the refs this season.",
    "We'll crush them on Saturday, no doubt about it.",
    "The new tax will hit the poorest families hardest.",
    "As a queer woman, I use the word queer with pride.",
    "Us dykes have been running this bar since the seventies.",
    "My friends and I call ourselves crips, it's our word, not yours.",
    "As a fat, disabled, bisexual woman, I've heard every insult there is.",
    "Muslims I know are the kindest people in this city.",
    "Jewish families have lived on this street for a hundred years.",
    "Refugees opened the best bakery in town.",
    "Trans people have always existed, and they always will.",
    "Women make up half of the new cabinet, and it's about time.",
    "Immigrants kept the hospitals running through the pandemic.",
    "Gay couples adopted most of the children in the programme last year.",
    "Disabled athletes won more medals than anyone expected.",
    "This government is corrupt from top to bottom.",
    "The immigration policy is a cruel mess and should be scrapped.",
    "The Israeli government's policy in Gaza is indefensible.",
    "The Iranian regime is a brutal dictatorship.",
    "The Chinese government lies about its camps.",
    "Russia's war is criminal, and Putin should face trial.",
    "This religion's leaders covered up abuse for decades, and they should go to prison.",
    "The ref was a disgrace, he should never officiate again.",
    "Our midfield is garbage and the manager should be sacked.",
    "That was the worst performance I've seen in thirty years.",
    "This article is rubbish and so is the argument in it.",
    "The idea that tax cuts pay for themselves is nonsense.",
    "I'm cancelling my subscription after this article.",
    "I will be filing a complaint with the press regulator.",
    "See you in court, councillor.",
    "We'll vote every one of you out in November.",
    "My lawyer will be in touch about this libel.",
    "I'll be reporting this comment to the moderators.",
    "If this isn't corrected by Monday, I'm going to the ombudsman.",
    "Mark my words, you'll lose your seat for this.",
    "You'll be hearing from my solicitor.",
    "We're going to picket the office until the mayor resigns.",
    "I'm done with this paper, never buying it again.",
    "Boycott the sponsors until they pull their ads.",
    "Make no mistake, we'll fight this in every court in the land.",
    "The protesters want the police chief fired, not hurt.",
    "Hating people for where they were born is stupid.",
    "No group of people is vermin.",
    "Nobody deserves to be killed for their religion.",
    "Violence against migrants is still violence.",
    "I hate this weather.",
    "I hate Mondays more than anything.",
    "I despise this new parking scheme.",
    "My neighbours are a nightmare, the music never stops.",
    "The ref's eyesight should be tested, honestly.",
    "The judge got it badly wrong and the appeal court will say so.",
    "Nobody should threaten a judge, whatever the ruling.",
    "A columnist who gets it this wrong should resign, not be threatened.",
    "Hunting season opens next week in the northern forests.",
    "They shot the final scene in the old mosque courtyard.",
    "The villain hangs in the last episode, and fans are furious.",
    "Exterminators were called to deal with the rats in the school.",
    "The council wants to wipe out the rats in the sewers.",
    "Rats, cockroaches and pigeons: the city's pest report is out.",
    "A virus is spreading through the care homes, the health board warns.",
    "Killing civilians is a war crime, no matter whose civilians.",
    "The gang that attacked the refugees was jailed this morning.",
    "He said migrants were rats, and he lost his job for it.",
    "My mum always said that hating Jews is the oldest lie.",
    "I'm gay and I'm sick of being called a disease.",
    "As a disabled man I've been called a burden all my life, and I'm not one.",
    "We'll slaughter them at darts next week.",
    "I'm going to destroy you at chess, mate.",
    "Kill the engine before you get out.",
    "The referee needs glasses, not threats.",
    "The government should be ashamed of how it treats refugees.",
    "That policy is an attack on the poor.",
    "The bill is dead, and good riddance.",
    "Our keeper was a total disaster today.",
    "The minister's speech was garbage from start to finish.",
    "I'm reporting you to the moderators for that comment.",
    "I'll see you at the ballot box, senator.",
    "Expect a letter from our union, Mr Chairman.",
    "The shooting at the school left two children dead.",
    "Hate crimes against Muslims rose sharply last year, police figures show.",
    "Black people were the target of the attack, prosecutors said.",
    "The women who were attacked have asked for privacy.",
    "Our backline got torn apart in the first half.",
    "The ref made a terrible call, and we lost because of it.",
    "The manager should be sacked after that shambles.",
    "That was a killer ending to the season.",
    "I'll kill for a cold beer after this match.",
    "The boss fight took me forty tries, I kept getting slaughtered.",
    "In the game you have to kill the dragon before it burns the village.",
    "We smashed them five nil, what a night.",
    "This government has blood on its hands over the border deaths.",
    "The army's bombing of the city must be investigated.",
    "The mayor's housing plan is a disaster for working families.",
    "I'm writing to my MP to demand the minister resigns.",
    "The judge should be removed from the case, and I've signed the petition.",
    "I think the prime minister is a liar and should be voted out.",
    "A man was jailed for calling Jews vermin on a radio show.",
    "The ban on the march was lifted after the court ruled.",
];

/// Whom a reader addresses in a threat: `{you}`.
const ADDRESSEES: &[&str] = &[
    "mate",
    "Dana",
    "Mr Cohen",
    "Mr Editor",
    "judge",
    "ref",
    "councillor",
    "pal",
    "lady",
    "Levy",
    "sonny",
];

fn fill(text: &str, slot: usize, k: usize, who: Pool) -> String {
    let group = group_at(slot, k, who);
    let person = match PEOPLE[(slot * 5 + k * 7) % PEOPLE.len()] {
        // "Whoever wrote this's car" is not English.
        "whoever wrote this" if text.contains("{p}'s") => "the writer",
        person => person,
    };
    let you = ADDRESSEES[(slot * 3 + k * 5) % ADDRESSEES.len()];
    sentence_case(
        &text
            .replace("{g}", group.plural)
            .replace("{one}", group.one)
            .replace("{p}", person)
            .replace("{you}", you),
    )
}

/// Each twin as its harmful and harmless rows (see [`twin_rows`]); `offset` keeps lists from
/// naming the same groups in the same order.
fn twins(
    list: &'static [Twin],
    offset: usize,
    who: Pool,
    harmful: [Option<bool>; 6],
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    twin_rows(list, harmful, move |text, i, k| {
        fill(text, i + offset, k, who)
    })
}

/// A call for violence against a group: abuse, incitement, threat and identity attack, not
/// obscene.
pub(super) fn group_call() -> [Option<bool>; 6] {
    labelled(&[
        (Label::Abuse, true),
        (Label::Incitement, true),
        (Label::Threat, true),
        (Label::IdentityAttack, true),
        (Label::Obscene, false),
    ])
}

/// Sentences of hate written without a placeholder, `(harmful, twin, insulting)`, each beside
/// its harmless twin.
pub(super) fn fixed_hate(
    list: &'static [(&'static str, &'static str, bool)],
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    list.iter().flat_map(|&(harm, twin, insulting)| {
        [
            (harm.to_string(), hateful(insulting)),
            (twin.to_string(), [Some(false); 6]),
        ]
    })
}

/// Hate (abuse and identity attack, insult where dehumanising), threats against a person
/// (incitement and threat), calls for violence against a group (abuse, incitement, threat,
/// identity attack), each beside its twin, then the harmless sentences (every label 0).
pub(super) fn plain_templates() -> Vec<Row> {
    let threat = labelled(&[(Label::Incitement, true), (Label::Threat, true)]);
    let call = group_call();
    template_rows(
        "templates:plain:",
        twins(HATE, 0, Pool::All, hateful(false))
            .chain(twins(HATE_ORIGIN, 3, Pool::Origin, hateful(false)))
            .chain(twins(VILE, 5, Pool::All, hateful(true)))
            .chain(fixed_hate(FIXED_HATE))
            .chain(twins(THREATS, 0, Pool::All, threat))
            .chain(twins(FIXED_THREATS, 0, Pool::All, threat))
            .chain(twins(CALLS, 2, Pool::All, call))
            .chain(twins(FIXED_CALLS, 0, Pool::All, call))
            .chain(HARMLESS.iter().map(|t| (t.to_string(), [Some(false); 6]))),
    )
}
