//! A third batch for the three kinds the model still read worst: menace against one person that
//! names no violent act or names it obliquely (warnings, knowing where someone lives, "accidents",
//! counting days, hoping something befalls them), calls for violence against a group in
//! euphemism, historical allusion, conditions, questions, orders and plans, and hate said in
//! polite words with no slur (generalisations, "just asking", "I'm not racist but"). Each
//! sentence is written once beside a harmless twin that keeps most of its words: the menace
//! denied, the hate quoted to condemn it, the violence reported, a violent idiom in an
//! everyday sense, praise, a call for lawful action, or criticism of a government rather
//! than a people.

use super::plain::{fixed_hate, group_call, twins};
use super::stereotypes::{Pool, hateful};
use super::{labelled, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// `(harmful, harmless twin)`: `{p}` a person readers threaten, `{g}` a group's plural,
/// `{one}` one of its members. A sentence without a placeholder is written once.
type Twin = (&'static str, &'static str);

/// Veiled menace and wishes of harm against a person named in the third person.
pub(super) const THREATS: &[Twin] = &[
    (
        "{p} should be very careful walking home these nights.",
        "{p} should be very careful with the facts these days.",
    ),
    (
        "Someone ought to remind {p} that people know where they live.",
        "Someone ought to remind {p} that people read what they write.",
    ),
    (
        "It would be a real shame if something happened to {p}'s kids.",
        "It would be a real shame if {p}'s kids missed the final because of the strike.",
    ),
    (
        "{p} is counting the days without knowing it.",
        "{p} is counting the days to the holiday, like the rest of us.",
    ),
    (
        "Accidents happen, and {p} is due one.",
        "Mistakes happen, and {p} is due some slack.",
    ),
    (
        "I hope {p} never makes it home from the next match.",
        "I hope {p} never makes a call like that at the next match.",
    ),
    (
        "One of these days {p} is going to open the door to the wrong people.",
        "One of these days {p} is going to open the books to the auditors.",
    ),
    (
        "Let's see how brave {p} is when nobody's around to help.",
        "Let's see how brave {p} is when the committee asks the hard questions.",
    ),
    (
        "{p} won't be smiling much longer, I'll make sure of that.",
        "{p} won't be in the job much longer if the polls are right.",
    ),
    (
        "Tell {p} we've been watching the house.",
        "Tell {p} we've been watching the hearings.",
    ),
    (
        "{p} has a lovely family. It'd be terrible if they had to bury someone.",
        "{p} has a lovely family. It'd be terrible if the press hounded them.",
    ),
    (
        "Somebody should teach {p} a lesson they won't get up from.",
        "Somebody should teach {p} the offside rule before the next game.",
    ),
    (
        "People like {p} tend to go missing, and nobody ever looks hard.",
        "People like {p} tend to go quiet after an election, and nobody ever asks why.",
    ),
    (
        "Pray {p} doesn't need an ambulance soon, because they'll be waiting a while.",
        "Pray {p} doesn't need an ambulance soon, the waiting times are a scandal.",
    ),
    (
        "{p}'s brakes would be a pity to lose on that hill.",
        "{p}'s seat would be a pity to lose on those numbers.",
    ),
    (
        "Mark my words, {p} will pay for that ruling in blood.",
        "Mark my words, {p} will pay for that ruling at the ballot box.",
    ),
    (
        "{p} has made enemies who don't write letters.",
        "{p} has made enemies who write a lot of letters.",
    ),
    (
        "Someone should pay {p} a quiet visit after dark.",
        "Someone should pay {p}'s office a visit with the petition.",
    ),
    (
        "If {p} keeps this up, they'll find out what happens to grasses round here.",
        "If {p} keeps this up, they'll find out how the appeals court sees it.",
    ),
    (
        "I wouldn't want to be {p} when the lights go out.",
        "I wouldn't want to be {p} when the inquiry reports.",
    ),
    (
        "{p}'s luck is going to run out on a dark road one night.",
        "{p}'s luck is going to run out at the next reshuffle.",
    ),
    (
        "Hope {p} enjoys the view from a hospital bed.",
        "Hope {p} enjoys the view from the back benches.",
    ),
    (
        "{p} should start sleeping with one eye open.",
        "{p} should start reading the briefs with both eyes open.",
    ),
    (
        "The day {p} gets what's coming is the day I open the champagne.",
        "The day {p} gets the award is the day I open the champagne.",
    ),
    (
        "We've got {p}'s number plate and a lot of patience.",
        "We've got {p}'s expenses claims and a lot of questions.",
    ),
    (
        "Nobody would miss {p} if they fell off a balcony.",
        "Nobody would miss {p} if they left the club tomorrow.",
    ),
    (
        "It's only a matter of time before someone shuts {p} up for good.",
        "It's only a matter of time before the board shows {p} the door.",
    ),
    (
        "{p} had better hope we never meet in a car park.",
        "{p} had better hope the replay doesn't show the handball.",
    ),
    (
        "Be a pity if {p}'s house caught fire with everyone inside.",
        "Be a pity if {p}'s house price fell with the new rail line.",
    ),
    (
        "Let {p} keep talking, the lads have long memories and longer knives.",
        "Let {p} keep talking, the voters have long memories.",
    ),
    (
        "Somebody tell {p} the river's deep this time of year.",
        "Somebody tell {p} the river walk is closed this time of year.",
    ),
    (
        "{p} would look good in a wooden box.",
        "{p} would look good in a club blazer.",
    ),
    (
        "I'd love to see {p} try walking through our estate alone.",
        "I'd love to see {p} try walking through our estate and talking to people.",
    ),
    (
        "Every dog has its day, and {p}'s is coming soon, believe me.",
        "Every dog has its day, and {p}'s came with that brilliant free kick.",
    ),
    (
        "{p} is one wrong word away from a very bad night.",
        "{p} is one wrong word away from a very bad headline.",
    ),
    (
        "Whoever meets {p} first, give them something to remember us by.",
        "Whoever meets {p} first, give them our thanks for the story.",
    ),
    (
        "I hope what happened to the last guy happens to {p}.",
        "I hope what happened to the last guy's contract happens to {p}'s.",
    ),
    (
        "Keep an eye on {p}'s school run, you never know who's watching.",
        "Keep an eye on {p}'s school funding plan, it never adds up.",
    ),
    (
        "{p} will learn the hard way that some of us settle things privately.",
        "{p} will learn the hard way that some of us vote.",
    ),
    (
        "May {p} suffer every day for the rest of a short life.",
        "May {p} retire soon and enjoy a long life.",
    ),
    (
        "They found the last one like {p} in a ditch. Just saying.",
        "They found the last one like {p} guilty of fraud. Just saying.",
    ),
    (
        "{p}'s got a nice car. Would be awful if the brakes failed on the motorway.",
        "{p}'s got a nice car. Would be awful if the expenses paid for it.",
    ),
];

/// Veiled menace written once, mostly to the reader's face.
pub(super) const FIXED_THREATS: &[Twin] = &[
    (
        "We know which school your daughter goes to.",
        "We know which school your daughter goes to, she won the chess cup!",
    ),
    (
        "Nice house you've got on Herzl Street. Be a shame to lose it.",
        "Nice house you've got on Herzl Street. Be a shame to sell it.",
    ),
    (
        "Keep writing articles like this and see what happens to you.",
        "Keep writing articles like this and see what happens to your readership, it'll double.",
    ),
    (
        "I'd be careful crossing roads if I were you, reporter.",
        "I'd be careful quoting anonymous sources if I were you, reporter.",
    ),
    (
        "Your days are numbered, judge, and I'm the one counting.",
        "Your days on the bench are numbered, judge, the retirement age is seventy.",
    ),
    (
        "You won't see Christmas, ref.",
        "You won't see a worse decision this Christmas, ref.",
    ),
    (
        "I've seen your wife at the supermarket. Lovely woman. Would be a shame.",
        "I've seen your wife at the supermarket. Lovely woman. Say hello from us.",
    ),
    (
        "Enjoy your last weeks in office, and your last weeks full stop.",
        "Enjoy your last weeks in office, the polls say you're out.",
    ),
    (
        "You keep looking over your shoulder, mate. One day we'll be there.",
        "You keep looking over your shoulder, mate. The title race is that close.",
    ),
    (
        "Funny how people who write what you write have accidents.",
        "Funny how people who write what you write win prizes.",
    ),
    (
        "Your car is parked on the left side of the building, isn't it? Just checking.",
        "Your car is parked in the disabled bay, isn't it? Just checking, it's been ticketed.",
    ),
    (
        "Remember what happened to the last journalist who asked these questions?",
        "Remember when the last journalist who asked these questions won the Pulitzer?",
    ),
    (
        "I know what time you leave the office. Every single day.",
        "I know what time you leave the office. You work far too late.",
    ),
    (
        "There are people in this town who'd happily make you disappear, senator.",
        "There are people in this town who'd happily vote you out, senator.",
    ),
    (
        "Your mum still lives at number 14, right? Give her our regards.",
        "Your mum still runs the bakery at number 14, right? Give her our regards.",
    ),
    (
        "After that verdict I hope the judge never sleeps soundly again, and never wakes up either.",
        "After that verdict I hope the judge reads the appeal carefully, it was badly argued.",
    ),
    (
        "The referee who gave that penalty has a family too. He should think about them.",
        "The referee who gave that penalty was right, and the replay shows it.",
    ),
    (
        "Tell the neighbour with the barking dog that the dog won't be the only one disappearing.",
        "Tell the neighbour with the barking dog that the council handles noise complaints.",
    ),
    (
        "This columnist has been begging for a visit. We'll oblige.",
        "This columnist has been begging for a reply. Here it is.",
    ),
    (
        "You'll be wearing a cast by Friday, keeper, and that's a promise.",
        "You'll be wearing the captain's armband by Friday, keeper, I'd bet on it.",
    ),
    (
        "Don't start your car in the morning without checking underneath it, Councillor.",
        "Don't start your car in the morning without checking the parking rules, Councillor.",
    ),
    (
        "Some of us have nothing left to lose, Minister. Think about that when you go home tonight.",
        "Some of us have nothing left to lose, Minister, after your pension cuts. Think about that.",
    ),
    (
        "I'll be waiting outside the stadium for the linesman, and I won't be alone.",
        "I'll be waiting outside the stadium for the linesman's autograph, my son loves him.",
    ),
    (
        "Say goodbye to your kneecaps, striker.",
        "Say goodbye to your starting place, striker.",
    ),
    (
        "That reporter should get her affairs in order.",
        "That reporter should get her facts in order.",
    ),
    (
        "Hope your insurance covers what's coming, landlord.",
        "Hope your insurance covers the flood damage, landlord.",
    ),
    (
        "Someone will eventually give that prosecutor what he deserves, and it won't be a promotion.",
        "Someone will eventually give that prosecutor what he deserves, and it'll be a promotion.",
    ),
    (
        "Every time you post, you give us another reason. Keep going.",
        "Every time you post, you give us another laugh. Keep going.",
    ),
    (
        "There's a bullet somewhere with the editor's name on it, I'd bet.",
        "There's an award somewhere with the editor's name on it, I'd bet.",
    ),
    (
        "You talk big for someone who lives alone at the end of a dark lane.",
        "You talk big for someone who lost the last two elections.",
    ),
    (
        "We got your address from the electoral roll. See you soon.",
        "We got your address from the electoral roll. The campaign leaflet is on its way.",
    ),
    (
        "The way he ruled today, I hope he gets to meet the defendant's brothers in a dark alley.",
        "The way he ruled today, I hope he gets to meet the defendant's brothers at the appeal hearing.",
    ),
    (
        "Last warning, lady. Next time we won't just write.",
        "Last warning, lady: the library wants the books back.",
    ),
    (
        "If that MP turns up at the market on Saturday, he won't leave it on his own feet.",
        "If that MP turns up at the market on Saturday, he'll get an earful about bus fares.",
    ),
    (
        "Make sure your will is up to date, mister journalist.",
        "Make sure your press pass is up to date, mister journalist.",
    ),
    (
        "The coach should stay indoors for a while if he knows what's good for him.",
        "The coach should stay in the dugout for a while, the fourth official has had enough.",
    ),
    (
        "You and your little family would look nice in the obituaries.",
        "You and your little family would look nice in the Sunday supplement.",
    ),
    (
        "Next time the senator holds a rally, somebody should bring more than a placard.",
        "Next time the senator holds a rally, somebody should bring a harder question.",
    ),
    (
        "We can't reach you through the courts, so there are other ways.",
        "We can't reach you through the courts, so we'll take it to the ombudsman.",
    ),
    (
        "Judge, I hope your children grow up without a father.",
        "Judge, I hope your children grow up proud of their father.",
    ),
    (
        "I'd hate for the writer of this piece to slip on the stairs. Really, I would.",
        "I'd hate for the writer of this piece to slip on the facts. Really, I would.",
    ),
    (
        "Tick tock, neighbour. Your time's nearly up.",
        "Tick tock, neighbour. Your hedge needs trimming before the inspection.",
    ),
    (
        "The chairman will get a send-off he won't walk away from.",
        "The chairman will get a send-off at the club dinner in May.",
    ),
    (
        "You don't know us, but we know you, and we know your routine.",
        "You don't know us, but we know your books, and we love your work.",
    ),
    (
        "Somebody's going to find that landlord at the bottom of his own stairwell one day.",
        "Somebody's going to find that landlord's mould report at the bottom of a drawer one day.",
    ),
    (
        "Mind how you go, ref. It's a long walk to the car park.",
        "Mind how you go, ref. It's a long season.",
    ),
    (
        "I hope the next bomb in this city goes off under the mayor's car.",
        "The bomb under the mayor's car was defused and two men have been charged.",
    ),
];

/// Calls for violence against any group, in euphemism, conditions, questions, orders and plans.
pub(super) const CALLS: &[Twin] = &[
    (
        "It's time we dealt with {g} once and for all.",
        "It's time we dealt with the backlog of discrimination cases brought by {g} once and for all.",
    ),
    (
        "This town needs cleansing of {g}, street by street.",
        "This town needs cleaning up after the festival {g} held, street by street, and volunteers are welcome.",
    ),
    (
        "Our grandfathers knew how to handle {g}. We've forgotten.",
        "Our grandfathers worked beside {g}. We've forgotten.",
    ),
    (
        "If {g} march through here on Saturday, none of them should walk out again.",
        "If {g} march through here on Saturday, all of us should walk with them.",
    ),
    (
        "What are we waiting for? Round up {g} and finish it.",
        "What are we waiting for? Sign up {g} to vote and finish the registration drive.",
    ),
    (
        "Soldiers, when you meet {g}, take no prisoners.",
        "Soldiers, when you meet {g}, treat them with the respect the law demands.",
    ),
    (
        "Officers, stop arresting {g} and start burying them.",
        "Officers, stop arresting {g} for nothing and start protecting them.",
    ),
    (
        "Neighbours, find out which houses belong to {g} and pay them a night visit.",
        "Neighbours, find out which houses belong to {g} and bring them a welcome basket.",
    ),
    (
        "We'll clear {g} out of this valley the way it was done before, with fire.",
        "We'll clear the debris out of this valley with {g} who volunteered after the fire.",
    ),
    (
        "Why is nobody brave enough to do what must be done with {g}?",
        "Why is nobody brave enough to say what must be said in defence of {g}?",
    ),
    (
        "A final solution to {g} is long overdue.",
        "A final ruling on the discrimination case brought by {g} is long overdue.",
    ),
    (
        "Give me one night and a few good men and there'll be no {g} left in this street.",
        "Give me one night and a few good men and we'll paint the community hall with {g}.",
    ),
    (
        "Let {g} find out what happens when patience runs out.",
        "Let {g} find out what happens when their petition reaches parliament.",
    ),
    (
        "The only cure for {g} is the old one: pits and lime.",
        "The only cure for the hatred of {g} is the old one: meeting them.",
    ),
    (
        "When the day comes, {g} go first.",
        "When the vote comes, {g} get counted like everyone.",
    ),
    (
        "If the government won't rid us of {g}, we'll do it ourselves, with our own hands.",
        "If the government won't protect {g}, we'll take it to court ourselves.",
    ),
    (
        "Every patriot should do his part and take out a few {g}.",
        "Every patriot should do his part and stand up for {g}.",
    ),
    (
        "Exterminate {g} like the pests they are.",
        "Calling for {g} to be exterminated like pests got him banned, and rightly.",
    ),
    (
        "We need another Kristallnacht for {g}.",
        "We need never forget Kristallnacht, and the {g} targeted today need our solidarity.",
    ),
    (
        "Wouldn't it be simpler if {g} all just vanished one night, with a little help?",
        "Wouldn't it be simpler if {g} could get residence papers without five years of waiting?",
    ),
    (
        "Arm yourselves and make the streets where {g} live burn.",
        "Organise yourselves and make the voices of {g} heard at the council.",
    ),
    (
        "I'd give a medal to whoever rids this country of {g} for good.",
        "I'd give a medal to whoever rids this country of the prejudice {g} face.",
    ),
    (
        "Hang a few {g} from the lampposts and the rest will get the message.",
        "Hang a few portraits of {g} in the town hall and the rest will get the message: you belong.",
    ),
    (
        "Who'll join me in making {g} pay, in blood this time?",
        "Who'll join me in making {g} welcome, with a street party this time?",
    ),
    (
        "Let the mob have {g}, they've earned it.",
        "The mob that attacked {g} last night should face the full force of the law.",
    ),
    (
        "Purge {g} from the land and start again clean.",
        "Purge the hatred of {g} from the land and start again clean.",
    ),
    (
        "{g} should be taught a lesson with clubs and torches.",
        "{g} should be taught in their own language, the teachers' union says.",
    ),
    (
        "A few well-placed bombs where {g} live and the problem is solved.",
        "A few well-placed bus stops where {g} live and the transport problem is solved.",
    ),
];

/// Calls for violence said of peoples, faiths and migrants: expulsion by force, pogroms, war.
pub(super) const CALLS_ORIGIN: &[Twin] = &[
    (
        "Drive {g} into the sea and let the sea sort them out.",
        "The boats carrying {g} should be met at sea and brought safely to port.",
    ),
    (
        "Burn the prayer houses of {g} and let them leave or burn with them.",
        "Arsonists burned the prayer houses of {g}, and the police have made two arrests.",
    ),
    (
        "What {g} need is a good old pogrom to remind them where they are.",
        "What {g} remember is the old pogroms, and that's why the hate here scares them.",
    ),
    (
        "Should we really wait for {g} to outnumber us, or act while we still can, with force?",
        "Should we really wait for {g} to get equal funding, or act while we still can, with a bill?",
    ),
    (
        "Load {g} on trains and don't ask where they go.",
        "Load the luggage of {g} on the trains and ask the station where they go.",
    ),
    (
        "Our brothers should take up arms and rid our land of {g} at last.",
        "Our brothers should take up the cause of {g} and end the land dispute at last.",
    ),
    (
        "Deport {g} in body bags.",
        "Deport {g} only by court order and with a fair hearing.",
    ),
    (
        "Their villages, their children, all of it: wipe {g} off the map.",
        "Their villages, their children, all of it: {g} deserve to be on the map.",
    ),
    (
        "If {g} don't leave by spring, we make them leave by fire.",
        "If {g} don't get their visas by spring, their lawyers will take it to the tribunal.",
    ),
    (
        "Let the settlers and the soldiers go in at night and finish off {g}.",
        "The settlers and soldiers who went in at night and attacked {g} must be prosecuted.",
    ),
    (
        "Cleanse the neighbourhood of {g} before it's too late.",
        "Clean the neighbourhood with {g} on Sunday, before the summer fair.",
    ),
    (
        "Gas {g}. It worked before.",
        "Gassing {g} was a crime the world swore never again.",
    ),
    (
        "It's us or {g}, and I know which it's going to be. Get your guns.",
        "It's us and {g}, and I know we'll build this city together.",
    ),
    (
        "Smash the shop windows of {g} and see how fast they pack.",
        "Someone smashed the shop windows of {g}, and the neighbours came to help them sweep up.",
    ),
];

/// Calls for violence written once, naming a group in their own words.
pub(super) const FIXED_CALLS: &[Twin] = &[
    (
        "The Arabs in this town need a night they'll never forget, and we can give it to them.",
        "The Arabs in this town need a night market they'll never forget, and we can give it to them.",
    ),
    (
        "Every Jew in the city should be hunted like in '41.",
        "Every Jew in the city was hunted in '41, and the museum tells their story.",
    ),
    (
        "Time for the boys to go down to the camp and settle the refugee question properly.",
        "Time for the boys to go down to the camp and bring the refugees the donations.",
    ),
    (
        "Queers need to be put back in their place, six feet under.",
        "Queers need to be put back on the council's agenda, six seats short of equality.",
    ),
    (
        "Do the world a favour and put the disabled out of their misery.",
        "Do the world a favour and put the disabled ramp back at the station.",
    ),
    (
        "Mexicans crossing the river? Open fire and let the current take the rest.",
        "Mexicans crossing the river drowned last year, and the charity wants safe routes.",
    ),
    (
        "I'm saying it plainly: the Roma camps should be torched with the Roma in them.",
        "I'm saying it plainly: the Roma camps have no water and the council must fix it.",
    ),
    (
        "The police have guns. Why do Eritreans in south Tel Aviv still walk around?",
        "The police have guns. Why do Eritreans in south Tel Aviv still get no protection?",
    ),
    (
        "Trans people should be dealt with the way the old regime did it, quietly and permanently.",
        "Trans people were dealt with by the old regime quietly and brutally, and the archive proves it.",
    ),
    (
        "Next Friday, after prayers, we go into the Muslim quarter and show them.",
        "Next Friday, after prayers, we go into the Muslim quarter and share the iftar.",
    ),
    (
        "Poles out, by boot or by bullet.",
        "Poles in, by vote and by ballot: the first Polish councillor was elected.",
    ),
    (
        "We should do to the Palestinians what was done to the natives: finish the job.",
        "We should not do to the Palestinians what was done to the natives, and the court agrees.",
    ),
    (
        "If the Israelis want war, give them one they won't survive, every last one of them.",
        "If the Israeli government wants war, voters should remove it at the next election.",
    ),
    (
        "Chinese people brought the virus, so let them choke on it, and help it along.",
        "Chinese people were blamed for the virus, and the attacks on them were shameful.",
    ),
    (
        "Someone needs to fire on the asylum seekers' boats before they land.",
        "Someone needs to fund the asylum seekers' lawyers before they land.",
    ),
    (
        "The Haredim won't serve? Then line them up and let them serve as targets.",
        "The Haredim won't serve? Then pass a draft law and let the courts decide.",
    ),
    (
        "Black people in this neighbourhood: we're coming with ropes.",
        "Black people in this neighbourhood: we're coming with casseroles, welcome.",
    ),
    (
        "Round up the Bedouin, bulldoze the villages with them inside.",
        "The state bulldozed the Bedouin villages, and the families are appealing.",
    ),
    (
        "Turks have had it coming for a century. Someone finally needs to deliver.",
        "Turkish voters have had enough of the president, and someone finally needs to beat him at the polls.",
    ),
    (
        "Ukrainians? Let the tanks roll over every one of them.",
        "Ukrainians watched the tanks roll over their towns, and we must keep sending aid.",
    ),
    (
        "Settlers should be shot on sight, every man, woman and child.",
        "Settlers who shot at villagers on sight must be tried, the report says.",
    ),
    (
        "Lesbians need a proper correcting, the kind they don't walk away from.",
        "Lesbians need a proper hearing, the kind this council never gives.",
    ),
    (
        "Hindus again? Light the pyres and don't wait for them to die first.",
        "Hindus again celebrated Diwali with pyres of lamps along the river.",
    ),
    (
        "A rope for every Romanian in the market, that's my manifesto.",
        "A stall for every Romanian in the market, that's my manifesto.",
    ),
    (
        "Christians out of the Levant, and if they won't go, bury them there.",
        "Christians are leaving the Levant, and the report says persecution drives them.",
    ),
    (
        "Ethiopian Israelis should be put down, not integrated.",
        "Ethiopian Israelis should be promoted, not overlooked, the report says.",
    ),
];

/// Hate in polite words about any group but women: character, honesty, cleanliness,
/// intelligence, loyalty, crime, belonging, "just asking", "I'm not racist but".
pub(super) const HATE: &[Twin] = &[
    (
        "I'm not racist, but {g} simply can't be trusted with money.",
        "I'm not an expert, but {g} simply can't get bank loans on fair terms.",
    ),
    (
        "With respect, {g} have never quite understood honesty.",
        "With respect, {g} have never been given an honest hearing here.",
    ),
    (
        "Just asking: why is it always {g} when something goes missing at work?",
        "Just asking: why is it always {g} who get searched when something goes missing at work?",
    ),
    (
        "It's not hateful to notice that {g} are less clean than the rest of us.",
        "It is hateful to claim that {g} are less clean than the rest of us.",
    ),
    (
        "Let's be honest, {g} lack the intelligence for skilled jobs.",
        "Let's be honest, {g} are shut out of skilled jobs by the hiring rules.",
    ),
    (
        "{g} will always be loyal to their own kind before this country.",
        "{g} have been loyal to this country through every war it fought.",
    ),
    (
        "Crime goes up wherever {g} move in. That's just a pattern.",
        "Crime didn't go up when {g} moved in. The police figures show it.",
    ),
    (
        "{g} don't belong in a decent neighbourhood, and deep down they know it.",
        "{g} belong in this neighbourhood as much as anyone, and the residents' letter says so.",
    ),
    (
        "Has anyone else noticed that {g} are always the ones causing trouble?",
        "Has anyone else noticed that {g} are always the ones blamed for trouble?",
    ),
    (
        "I've nothing against {g} personally, I just don't want them near my children.",
        "I've nothing but thanks for {g} personally, they looked after my children for years.",
    ),
    (
        "Scratch the surface and {g} are all the same: sly and ungrateful.",
        "Scratch the surface and {g} are like everyone else: tired and hard-working.",
    ),
    (
        "Some of my best friends are {g}, but as a group they're a problem.",
        "Some of my best friends are {g}, and as a group they've enriched this town.",
    ),
    (
        "{g} are naturally deceitful. It's in how they're raised.",
        "{g} are not naturally anything. Deceit isn't inherited.",
    ),
    (
        "Call it prejudice if you like, but {g} have lower morals.",
        "Call it prejudice, because that's what the idea that {g} have lower morals is.",
    ),
    (
        "{g} only ever take from this country and give nothing back.",
        "{g} pay into this country far more than the headlines admit.",
    ),
    (
        "The trouble with {g} is that they breed trouble wherever they go.",
        "The trouble with the report on {g} is that it has no data at all.",
    ),
    (
        "{g} are a disease spreading through our institutions.",
        "{g} are underrepresented in our institutions, the census shows.",
    ),
    (
        "Why should honest people have to live next to {g}?",
        "Why should {g} have to live next to a waste plant?",
    ),
    (
        "It's a simple fact that {g} can't govern themselves.",
        "It's a simple fact that {g} have never been allowed to govern themselves here.",
    ),
    (
        "I'd never hire {g}, they're lazy and they lie on their forms.",
        "I'd hire {g} again tomorrow, they're diligent and they're honest.",
    ),
    (
        "{g} are not like us. They never were and they never will be.",
        "{g} are like us. They always were, whatever the pamphlets say.",
    ),
    (
        "Is it really racist to say {g} are less civilised? I'm only asking.",
        "Yes, it's really bigoted to say {g} are less civilised, and asking doesn't change it.",
    ),
    (
        "Wherever {g} settle, the place goes downhill. Look at any town.",
        "Wherever {g} settle, the place gets a new bakery. Look at any town.",
    ),
    (
        "{g} are fine in small numbers, but once there are enough of them, they ruin it.",
        "{g} are fine neighbours in any numbers, and the survey agrees.",
    ),
    (
        "I don't trust {g}, and anyone who does is naive.",
        "I don't trust the rumours about {g}, and anyone who does is naive.",
    ),
    (
        "{g} have a different relationship with the truth, shall we say.",
        "{g} have a different relationship with the state, shall we say, since the reforms.",
    ),
    (
        "Everyone at the office quietly agrees that {g} drag the team down.",
        "Everyone at the office quietly agrees that the {g} on the team carry it.",
    ),
    (
        "{g} should be grateful we tolerate them at all.",
        "{g} should not have to be grateful for basic rights.",
    ),
    (
        "Be polite to {g} but count your spoons after they leave.",
        "Be polite to {g} and they'll be polite back, it's not complicated.",
    ),
    (
        "Not all {g} are criminals, but you'd be a fool to take the chance.",
        "Not all {g} are the same, and you'd be a fool to think so.",
    ),
    (
        "After thirty years in the police I can tell you {g} are born liars.",
        "After thirty years in the police I can tell you {g} are victims of crime far more than anyone admits.",
    ),
    (
        "{g} were never meant to be equals, and pretending otherwise harms everyone.",
        "{g} were always meant to be equals, and the constitution says so.",
    ),
    (
        "We let {g} in and look what happened: filth, noise and crime.",
        "We let {g} in and look what happened: new shops, full schools and a football team.",
    ),
    (
        "You can dress {g} up in suits, but they'll still be what they are.",
        "You can dress {g} up as villains in the tabloids, but they'll still be our neighbours.",
    ),
    (
        "{g} are a foreign body in this nation and always will be.",
        "{g} are part of the body of this nation and always have been.",
    ),
    (
        "Give {g} a position of trust and they'll betray it. Every time.",
        "Give {g} a position of trust and they'll earn it, like the new chief nurse did.",
    ),
    (
        "What exactly have {g} ever contributed except problems? Honest question.",
        "What exactly have {g} contributed? A great deal, and the exhibition shows it.",
    ),
    (
        "I feel sorry for their children, but {g} are simply a lower sort.",
        "I feel sorry for their children, because {g} are simply last in line for housing.",
    ),
    (
        "{g} have no sense of decency, it's just not in them.",
        "{g} have no seats on the council, and that's not decent.",
    ),
    (
        "Mark my words, a country full of {g} is a country without a future.",
        "Mark my words, a country that excludes {g} is a country without a future.",
    ),
    (
        "You can't reason with {g}, they only understand force.",
        "You can't reason with people who hate {g}, they only understand slogans.",
    ),
    (
        "{g} are a contagion, and we're too polite to say it.",
        "{g} are called a contagion by people who'd never say it to their faces.",
    ),
];

/// Polite-sounding hate about peoples, faiths and migrants: belonging, loyalty, origin.
pub(super) const HATE_ORIGIN: &[Twin] = &[
    (
        "{g} will never truly be part of this country, no matter how many generations pass.",
        "{g} have been part of this country for generations, and the archive shows it.",
    ),
    (
        "{g} are guests here, and guests who overstay are a nuisance.",
        "{g} are citizens here, not guests, whatever the minister says.",
    ),
    (
        "I'm not a bigot, but {g} bring their backward ways with them.",
        "I'm not a cook, but {g} brought their recipes with them and I'm grateful.",
    ),
    (
        "{g} owe their loyalty elsewhere. Everyone knows it, nobody says it.",
        "{g} are accused of owing their loyalty elsewhere, and it's a smear as old as the hills.",
    ),
    (
        "It's just a fact that {g} don't share our values and never will.",
        "It's just a fact that {g} share our values, the survey is clear.",
    ),
    (
        "{g} come from a culture of cheating, so why would they change here?",
        "{g} come from a culture of hospitality, so why are we so cold to them here?",
    ),
    (
        "Honestly, {g} just smell different, and I'm allowed to say that.",
        "Honestly, the bakery {g} opened smells wonderful, and I'm allowed to say that.",
    ),
    (
        "{g} are a fifth column and the sooner people admit it the better.",
        "{g} are called a fifth column by cranks, and the sooner that stops the better.",
    ),
    (
        "If {g} liked their own countries so much, why did they bring their dirt here?",
        "If {g} fled their own countries, it's because of the war, not by choice.",
    ),
    (
        "I'm simply asking whether {g} are capable of living in a modern society.",
        "I'm simply asking whether {g} are allowed to live in modern housing here.",
    ),
    (
        "{g} have been a problem in every country that let them in. History is clear.",
        "{g} have been welcomed in every country that needed workers. History is clear.",
    ),
    (
        "No offence to {g}, but this land was never theirs and never will be.",
        "No offence to the minister, but {g} have title deeds to this land.",
    ),
    (
        "{g} are just not Western, and that means they'll never be honest with us.",
        "{g} are just not represented in the cabinet, and that means they'll never be heard.",
    ),
    (
        "{g} look after their own and rob the rest of us. That's how it's always been.",
        "{g} look after their own and help the rest of us. That's how the food bank runs.",
    ),
];

/// Dehumanising comparisons in calm words: the group as animals, vermin or sickness.
pub(super) const DEHUMANISING: &[Twin] = &[
    (
        "{g} live like animals and should be treated like them.",
        "{g} live in conditions unfit for animals and should be rehoused.",
    ),
    (
        "{g} are parasites on the body of the nation.",
        "Calling {g} parasites on the body of the nation is the oldest slander there is.",
    ),
    (
        "You can teach a monkey manners, but not {g}.",
        "You can teach anyone manners, and {g} hardly need the lesson.",
    ),
    (
        "{g} multiply like rats and we pay for the nests.",
        "{g} were compared to rats in that leaflet and the printer has been fined.",
    ),
    (
        "Frankly {g} are more beast than human.",
        "Frankly {g} are more human than the beasts who harass them.",
    ),
    (
        "{g} are a swarm of locusts stripping this country bare.",
        "{g} are not a swarm of locusts, and the minister should apologise for that word.",
    ),
    (
        "I see {g} the way I see cockroaches: a nuisance that keeps coming back.",
        "I see {g} the way I see my neighbours: people who keep coming back to help.",
    ),
    (
        "{g} are a tumour on this city.",
        "{g} are a treasure in this city.",
    ),
    (
        "{g} are subhuman, and no amount of polite talk changes that.",
        "{g} are called subhuman in that forum, and no amount of polite talk excuses it.",
    ),
    (
        "Like stray dogs, {g} gather where the bins are full.",
        "Like the rest of us, {g} gather where the markets are full.",
    ),
];

/// Polite-sounding hate written once about a named group, `(harmful, twin, insulting)`.
pub(super) const FIXED_HATE: &[(&str, &str, bool)] = &[
    (
        "I'm not antisemitic, I just think Jews always put money before people.",
        "I'm not an economist, but I think the bank always puts money before people.",
        false,
    ),
    (
        "Muslims can smile at you all day, but their first loyalty is never to this country.",
        "Muslims are told all day that their first loyalty is not to this country, and it's a slur.",
        false,
    ),
    (
        "Let's be adults about this: Roma just aren't suited to honest work.",
        "Let's be adults about this: Roma are turned away from honest work by every agency.",
        false,
    ),
    (
        "Gay people are fine, I suppose, but I wouldn't let one teach my kids.",
        "Gay people are fine teachers, and my kids adored their music teacher.",
        false,
    ),
    (
        "Disabled people are a cost to society and we're all too polite to do the maths.",
        "Disabled people are failed by society and the report does the maths.",
        false,
    ),
    (
        "Trans people are mentally ill, and humouring them helps nobody.",
        "Trans people are not mentally ill, and every major medical body says so.",
        false,
    ),
    (
        "Women simply aren't built for leadership. Look at any board that tried it.",
        "Women are simply shut out of leadership. Look at any board's hiring records.",
        false,
    ),
    (
        "Honest question: has anyone ever met an Arab who wasn't lying to them?",
        "Honest question: has anyone ever met an Arab family in this town who wasn't hospitable to them?",
        false,
    ),
    (
        "Africans have had centuries to build something and look what they've done with it.",
        "Africans have had centuries of plunder to recover from, and look what they've built anyway.",
        false,
    ),
    (
        "The Haredim are a parasite class that lives off the rest of us.",
        "The Haredim are a growing share of the workforce, the treasury report says.",
        true,
    ),
    (
        "I don't mind Ethiopian Israelis, but they're not really Jewish and they're not really us.",
        "I don't get why people say Ethiopian Israelis are not really Jewish; the rabbinate settled it long ago.",
        false,
    ),
    (
        "Asylum seekers are mostly young men with bad intentions, that's just realism.",
        "Asylum seekers are mostly women and children, that's just the data.",
        false,
    ),
    (
        "The Chinese will copy anything and invent nothing. It's in the culture.",
        "The Chinese state copies foreign tech, the report says; its people invent plenty.",
        false,
    ),
    (
        "Russians are a slave people who love the whip. They deserve their tsars.",
        "Russians are ruled by a regime that loves the whip, and they deserve better.",
        true,
    ),
    (
        "Poles come here, take the jobs and send every penny home. Not a bad word, just facts.",
        "Poles come here, fill the jobs nobody else wanted and pay their taxes. Just facts.",
        false,
    ),
    (
        "Eritreans turned south Tel Aviv into a cesspit and the residents are right to say so.",
        "Eritreans in south Tel Aviv live in overcrowded flats and the residents want the state to act.",
        true,
    ),
    (
        "Settlers are a breed apart, fanatics from the cradle.",
        "Settlers are a varied lot, and the survey shows most back a deal.",
        false,
    ),
    (
        "Palestinians teach their children to hate from birth, so what do you expect?",
        "Palestinian children grow up under occupation, so what do you expect them to feel?",
        false,
    ),
    (
        "Israelis are a nation of thieves, they stole everything they have.",
        "Israelis voted out the government that stole from the pension fund.",
        true,
    ),
    (
        "Hindus worship cows and treat people worse than their cattle. Primitive.",
        "Hindus marked Holi in the park yesterday with colour and music.",
        true,
    ),
    (
        "Mexicans are good for cleaning and picking fruit, not much else.",
        "Mexicans are good at far more than the jobs we leave them, says the economist.",
        false,
    ),
    (
        "Turks are brutes, always have been. Ask the Armenians.",
        "The Turkish state should admit the Armenian genocide, historians say.",
        true,
    ),
    (
        "Lesbians are just women nobody wanted, if we're honest.",
        "Lesbians are just women who love women, if we're honest, and that's fine.",
        true,
    ),
    (
        "Black people can't help it, it's the way their brains are wired.",
        "Black people are not wired any differently, and the study claiming it was retracted.",
        false,
    ),
    (
        "Ukrainian women come here for one thing, and it isn't work.",
        "Ukrainian women came here fleeing war, and many are already working as nurses.",
        false,
    ),
    (
        "The Bedouin will never be anything but smugglers and thieves.",
        "The Bedouin towns have never been given proper roads or schools.",
        true,
    ),
    (
        "Christians here are quietly disloyal, always looking to the West.",
        "Christians here are quietly leaving, squeezed by rents and prejudice alike.",
        false,
    ),
    (
        "Romanians? Keep your handbag close. I'm not prejudiced, I've just lived.",
        "Romanians? Keep your evening free, the folk festival is on Friday.",
        false,
    ),
    (
        "Refugees are ungrateful by nature. Feed them and they bite the hand.",
        "Refugees are grateful for the help, and they've started a soup kitchen of their own.",
        true,
    ),
    (
        "Migrants bring disease and crime, that's not hatred, that's hygiene.",
        "Migrants were tested at the border and the health agency found no outbreak.",
        true,
    ),
];

/// Veiled threats against a person (incitement and threat), calls for violence against a group
/// (abuse, incitement, threat, identity attack), then hate without a slur (abuse and identity
/// attack, insult where dehumanising), each beside its harmless twin.
pub(super) fn oblique_templates() -> Vec<Row> {
    let threat = labelled(&[(Label::Incitement, true), (Label::Threat, true)]);
    let call = group_call();
    template_rows(
        "templates:oblique:",
        twins(THREATS, 7, Pool::All, threat)
            .chain(twins(FIXED_THREATS, 0, Pool::All, threat))
            .chain(twins(CALLS, 4, Pool::All, call))
            .chain(twins(CALLS_ORIGIN, 6, Pool::Origin, call))
            .chain(twins(FIXED_CALLS, 0, Pool::All, call))
            .chain(twins(HATE, 9, Pool::Minority, hateful(false)))
            .chain(twins(HATE_ORIGIN, 2, Pool::Origin, hateful(false)))
            .chain(twins(DEHUMANISING, 8, Pool::Minority, hateful(true)))
            .chain(fixed_hate(FIXED_HATE)),
    )
}
