//! Name-calling and contempt aimed at one person: another commenter ("you're such a clown"),
//! the writer, a politician by role ("the mayor is a two-faced liar"), a referee, a player,
//! a neighbour, a landlord. The sources label insults mostly in other shapes (slurs, strings
//! of obscenities, attacks on a group), so plain name-calling in clean prose scored low. Each
//! insult sits beside a twin a newsroom would publish that keeps most of its words but turns
//! them on what the person did, said, wrote or decided, praises them, or is aimed by the
//! writer at themselves: a harsh verdict on a budget or a penalty call is fair comment, and
//! the evidence has to come from the name-calling, not from the target, the frame or a harsh
//! adjective.

use super::person::PEOPLE;
use super::{labelled, sentence_case, template_rows, twin_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// `(insult, harmless twin)`. A sentence without a placeholder is written once; `{p}` is a
/// person from [`PEOPLE`].
type Twin = (&'static str, &'static str);

/// Insults at another commenter, in the second person.
const COMMENTERS: &[Twin] = &[
    (
        "You're such a clown, honestly.",
        "You're such a good sport, honestly.",
    ),
    (
        "Shut up, you moron, nobody asked you.",
        "Fair enough, nobody asked you, but you made a good point.",
    ),
    (
        "Sit down, you buffoon.",
        "Sit down, you've earned a rest after that shift.",
    ),
    (
        "Are you really this thick, or is it an act?",
        "Is the report really this thin, or is it an early draft?",
    ),
    (
        "Nobody cares what you think, you sad little loser.",
        "I care what you think, even when we disagree.",
    ),
    (
        "Get a life, you sad keyboard warrior.",
        "Get a life outside the office, you've earned it after this year.",
    ),
    (
        "You have the brains of a goldfish.",
        "You have the memory of an elephant for these old cases.",
    ),
    (
        "You're a halfwit who can't read a graph.",
        "You're right that the graph can't be read without the scale.",
    ),
    (
        "What a complete muppet you are.",
        "What a complete answer you gave, thank you.",
    ),
    (
        "You're too dense to understand a simple sentence.",
        "The report is too dense to understand in one reading.",
    ),
    (
        "You absolute numpty, read the article before commenting.",
        "You absolutely should read the article before commenting, it answers this.",
    ),
    (
        "You're a worthless troll and a waste of space.",
        "Your point about the wasted space on the high street is spot on.",
    ),
    (
        "Are you always this stupid or just on weekends?",
        "Are you always this busy or just on weekends?",
    ),
    (
        "You're a brainless sheep, repeating whatever you're told.",
        "You're repeating what the minister said, but the numbers say otherwise.",
    ),
    (
        "Go back under your bridge, you troll.",
        "Go back and read the bridge report, it's all in there.",
    ),
    (
        "Your mother must be so ashamed of you, you imbecile.",
        "Your mother must be so proud of you after that marathon.",
    ),
    (
        "You're clearly a dimwit with too much free time.",
        "You've clearly done the work, with what free time you had.",
    ),
    (
        "Honestly, you're the dumbest person on this site.",
        "Honestly, you're the kindest person on this site.",
    ),
    (
        "You're a nasty little weasel, always twisting words.",
        "You're twisting my words a little, I said the opposite.",
    ),
    (
        "Typical idiotic comment from a typical idiot.",
        "Typical thoughtful comment from a regular reader, thanks.",
    ),
    (
        "You're a joke, mate, a total joke.",
        "Your joke was good, mate, a total classic.",
    ),
    (
        "Did your brain fall out on the way to the keyboard?",
        "Did your post get cut off on the way to the server?",
    ),
    (
        "You couldn't find your own street on a map, you dunce.",
        "You couldn't find the street on the map because it's been renamed.",
    ),
    (
        "You're a spineless coward hiding behind a username.",
        "You're right to use a username, given the abuse people get.",
    ),
    (
        "Grow up, you pathetic child.",
        "Grow the library budget, the cuts are pathetic.",
    ),
    (
        "You're a sad, bitter little man.",
        "You sound sad and bitter about the closure, and I don't blame you.",
    ),
    (
        "You have the IQ of a houseplant.",
        "You have the patience of a saint with these trolls.",
    ),
    (
        "Keep typing, clown, you're only embarrassing yourself.",
        "Keep typing, your posts are the best part of this thread.",
    ),
    (
        "You are a fool, and your parents raised a fool.",
        "You are no fool, and your parents raised you well.",
    ),
    (
        "Do the world a favour and stop posting, you cretin.",
        "Do the world a favour and keep posting, these threads need you.",
    ),
    (
        "You're the most clueless person I've ever argued with.",
        "You're the most patient person I've ever argued with.",
    ),
    (
        "You lying rat, you know that's not what happened.",
        "You're right, that's not what happened, the paper got it wrong.",
    ),
    (
        "Only a simpleton like you would believe that.",
        "Only a reporter like you would dig that deep.",
    ),
    (
        "You're a parasite living off everyone else's hard work.",
        "You're right that the scheme lives off everyone else's taxes.",
    ),
    (
        "You thick plank, that's not what the article says.",
        "You're right, that's not what the article says at all.",
    ),
    (
        "Nobody here likes you, you insufferable twit.",
        "Everybody here likes you, you know, even when you argue.",
    ),
    (
        "You've got the personality of a wet sock.",
        "You've got the patience of a teacher with these questions.",
    ),
    (
        "You're a ridiculous little man with a ridiculous little opinion.",
        "You made one ridiculous little slip in an otherwise good opinion.",
    ),
    (
        "Go away, you sad attention seeker.",
        "Go away for the weekend, you deserve a break.",
    ),
    (
        "You're about as sharp as a bowling ball.",
        "Your reply is as sharp as the article, well said.",
    ),
    (
        "Bless you, you're too stupid to know how stupid you are.",
        "Bless you, you're too modest to know how good you are.",
    ),
    (
        "You ignorant oaf, learn some history.",
        "You're right, we should all learn some history before voting.",
    ),
    (
        "You're nothing but a gutless troll.",
        "Your post is nothing but the truth.",
    ),
    (
        "How do you even dress yourself in the morning, you fool?",
        "How do you even find the time in the morning to read all this?",
    ),
    (
        "You pompous windbag, nobody reads your essays.",
        "Your essays are long, but I read every one of them.",
    ),
    (
        "Your face could curdle milk.",
        "Your photo of the frost could be a postcard.",
    ),
    (
        "Ugly inside and out, that's you.",
        "Lovely inside and out, that's the new library.",
    ),
    (
        "You look like a potato in a wig, no wonder you're angry.",
        "You look like you need a holiday, no wonder you're angry.",
    ),
    (
        "You're a loser who lives in your mum's basement.",
        "You live near the flats, so you know more about this than the council.",
    ),
    (
        "Pathetic. You are utterly pathetic.",
        "Pathetic. The turnout was utterly pathetic.",
    ),
    (
        "You snivelling little worm.",
        "The snivelling apology from the council was too little, too late.",
    ),
    (
        "You're a hypocrite and a coward, and everyone knows it.",
        "The policy is hypocritical, and everyone on the council knows it.",
    ),
    (
        "You've got two brain cells and they're fighting for third place.",
        "You've got two good points and they're fighting for first place.",
    ),
    (
        "Maybe read a book sometime, you illiterate moron.",
        "Maybe read the book sometime, it's better than the film.",
    ),
    (
        "What an absolute waste of oxygen you are.",
        "What an absolute waste of money the new stadium is.",
    ),
    (
        "Sit down, you clueless nitwit.",
        "Sit down and read the figures, they're clear.",
    ),
    (
        "Oh look, the village idiot has logged on again.",
        "Oh look, the village fete has made the paper again.",
    ),
    (
        "You utter buffoon, that law was passed in 2015.",
        "You're right, that law was passed in 2015, not 2016.",
    ),
    (
        "Listen here, dimwit, the tax didn't go up.",
        "Listen here, the tax didn't go up, it went down.",
    ),
    (
        "Are you genuinely this brainless or are you trolling?",
        "Are you genuinely asking, or are you being sarcastic?",
    ),
    (
        "Your opinion is worthless because you're an idiot.",
        "Your opinion is worth reading even when I disagree.",
    ),
    (
        "I've seen smarter things growing on old bread than you.",
        "I've seen better things growing on my allotment than this council's plan.",
    ),
    (
        "You're a rude, ignorant pig.",
        "The pig farm plan is ignorant of what the village wants.",
    ),
    (
        "Get a life, you sad loser, and stop posting here all day.",
        "Get some rest, you've been posting here all day and it's a lovely evening.",
    ),
    (
        "You're so stupid it hurts to read your posts.",
        "You're so right it hurts to read this story.",
    ),
    (
        "Nobody asked you, you obnoxious twit.",
        "Nobody asked you, but I'm glad you said it.",
    ),
    (
        "You ignorant, pig-headed fool.",
        "Your refusal to look at the numbers is a mistake.",
    ),
    (
        "Seriously, what a dimwit you are.",
        "Seriously, what a win you had in the quiz.",
    ),
    (
        "You're a gullible halfwit who'd believe anything.",
        "I was an idiot to believe anything they told me.",
    ),
    (
        "You're a joke, and so is your little blog.",
        "Your little blog is a joy, keep it going.",
    ),
    (
        "You are the human equivalent of a participation trophy.",
        "You deserve more than a participation trophy for that run.",
    ),
    (
        "You've got the charm of a parking ticket.",
        "You've got the charm of a born presenter.",
    ),
    (
        "Were you dropped on your head as a baby?",
        "Were you at the match as a kid, when they won the cup?",
    ),
    (
        "You're a snake, and everyone on this thread knows it.",
        "You're right, and everyone on this thread knows it.",
    ),
    (
        "Honestly, mate, you're a brainless twit.",
        "Honestly, mate, I was a twit to argue with you, you were right.",
    ),
    (
        "Are you thick or just pretending, you numpty?",
        "Are you joking or just pretending to be shocked?",
    ),
    (
        "Get a grip, you hysterical halfwit.",
        "Get a grip on the facts before the vote, they matter.",
    ),
    (
        "You're as useless as a chocolate teapot, pal.",
        "The new bus lane is as useless as a chocolate teapot, pal.",
    ),
    (
        "Go back to school, you dunce.",
        "Go back to school for an evening class, it's never too late.",
    ),
];

/// Insults at the writer, reporter, columnist or editor.
const WRITERS: &[Twin] = &[
    (
        "The writer is a talentless hack.",
        "The writer's piece is a rushed job, not her best.",
    ),
    (
        "Whoever wrote this is a complete idiot.",
        "Whoever wrote this got the completion date wrong.",
    ),
    (
        "This reporter is a lazy, clueless hack who should find another job.",
        "This report is lazy about the numbers and should be redone.",
    ),
    (
        "What a pathetic excuse for a journalist.",
        "What a pathetic excuse for a correction.",
    ),
    (
        "The columnist is a smug twit who's never had a real job.",
        "The columnist's take on real jobs is smug and out of touch.",
    ),
    (
        "The editor must be a halfwit to print this rubbish.",
        "The editor must have been on holiday to let this headline through.",
    ),
    (
        "Is the author really this stupid, or just paid to pretend?",
        "Is the author really this sure, or just paid to argue one side?",
    ),
    (
        "The writer is a brainless shill for the developers.",
        "The writer leans too far towards the developers in this piece.",
    ),
    (
        "This columnist is a washed-up has-been.",
        "This columnist is back on form after a quiet year.",
    ),
    (
        "The reporter is a dimwit who can't add up.",
        "The reporter's sums don't add up in the third paragraph.",
    ),
    (
        "Sack this imbecile of an editor.",
        "Sack this idea, editor, nobody wants a paywall.",
    ),
    (
        "The author is an ignorant fool.",
        "The author is ignoring the fuller picture.",
    ),
    (
        "Another drivel piece from the paper's resident clown.",
        "Another strong piece from the paper's resident economist.",
    ),
    (
        "The journalist who wrote this has the brains of a sponge.",
        "The journalist who wrote this soaked up every detail like a sponge.",
    ),
    (
        "What a spineless little toady this writer is.",
        "What a spineless little statement the club put out, as the writer says.",
    ),
    (
        "The editor is a gutless weasel.",
        "The editor's apology was gutless and full of weasel words.",
    ),
    (
        "Your reporter is an utter moron.",
        "Your reporter did an utterly brilliant job.",
    ),
    (
        "Dear columnist, you are a pompous fool.",
        "Dear columnist, your conclusion is a pompous overreach.",
    ),
    (
        "Whoever edits this rag is a waste of space.",
        "Whoever edits this page wastes the space on adverts.",
    ),
    (
        "The writer looks like he slept in a hedge, and writes like it too.",
        "The writer clearly slept little, and the piece is the better for it.",
    ),
    (
        "I've met smarter turnips than this reporter.",
        "I've read sharper pieces than this report, but it's fair.",
    ),
    (
        "The author is a nitwit with a keyboard.",
        "The author is a novelist with a keen eye, and it shows.",
    ),
    (
        "Honestly, the columnist is a dribbling halfwit.",
        "Honestly, the columnist's argument is half right at best.",
    ),
    (
        "This paper employs nothing but muppets.",
        "This paper employs some of the best court reporters in the country.",
    ),
];

/// Insults at a politician named by role.
const POLITICIANS: &[Twin] = &[
    (
        "The minister is a gutless coward.",
        "The minister's plan is a gutless retreat.",
    ),
    (
        "The mayor is a useless buffoon.",
        "The mayor's bus plan is a useless mess.",
    ),
    (
        "The PM is a spineless worm.",
        "The PM's speech was spineless on the key question.",
    ),
    (
        "That senator is a brainless puppet.",
        "That senator's bill is a brainless giveaway to donors.",
    ),
    (
        "The councillor is a snivelling rat.",
        "The councillor backed out of the deal, and voters will remember.",
    ),
    (
        "The president is a vain old fool.",
        "The president's vanity project is a fool's errand.",
    ),
    (
        "The chancellor is a clueless numpty who can't count.",
        "The chancellor's budget is clueless about the cost of housing.",
    ),
    (
        "What a weasel the minister is.",
        "What a weaselly answer the minister gave.",
    ),
    (
        "The mayor has the brains of a garden gnome.",
        "The mayor put a garden gnome in the new park, and I love it.",
    ),
    (
        "The PM is a pathetic little man.",
        "The PM's pathetic excuse for a climate plan fooled no one.",
    ),
    (
        "That senator is a corrupt parasite.",
        "That senator's bill is a gift to corrupt lobbyists.",
    ),
    (
        "Our councillor is a total nitwit.",
        "Our councillor is totally right about the bins.",
    ),
    (
        "The minister is as thick as two short planks.",
        "The minister's report is as thick as a phone book and says nothing.",
    ),
    (
        "The president is an embarrassing clown.",
        "The president's tariff plan is an embarrassing mistake.",
    ),
    (
        "The chancellor is a spineless snake.",
        "The chancellor's U-turn was spineless.",
    ),
    (
        "Every time the mayor opens his mouth, he proves he's a moron.",
        "Every time the mayor opens his mouth, he proves he knows the city.",
    ),
    (
        "The PM is the biggest idiot ever to hold the office.",
        "The PM made the biggest mistake ever made in the office.",
    ),
    (
        "The minister is a disgrace to the human race.",
        "The minister's decision is a disgrace to the department.",
    ),
    (
        "The minister is a twit in a suit.",
        "The minister is a genuine expert in a suit, for once.",
    ),
    (
        "That senator is a slimy toad.",
        "That senator's speech was slick but empty.",
    ),
    (
        "The mayor is a bumbling idiot.",
        "The mayor's bumbling response to the floods was a mistake.",
    ),
    (
        "The councillor is a lazy good-for-nothing.",
        "The councillor's report is lazy and does nothing for the estate.",
    ),
    (
        "Vote out this brainless dolt of a president.",
        "Vote out this president, the economy can't take four more years.",
    ),
    (
        "The minister couldn't organise a raffle, the useless lump.",
        "The minister couldn't organise the rail timetable, and it shows.",
    ),
    (
        "What a contemptible little creep the chancellor is.",
        "What a contemptible little budget the chancellor has put out.",
    ),
    (
        "The PM looks like a startled turkey and thinks like one.",
        "The PM looked startled by the question, and took a while to answer.",
    ),
    (
        "The mayor is a lazy slob who's never worked a day.",
        "The mayor has worked every day of the flood, fair play.",
    ),
    (
        "The senator is a gormless halfwit.",
        "The senator's bill is half-finished, and it shows.",
    ),
    (
        "Honestly, the minister is a shameless grifter.",
        "Honestly, the minister's expense claims are shameless.",
    ),
    (
        "The councillor is an arrogant prat.",
        "The councillor's plan is arrogant about what residents want.",
    ),
    (
        "Our president is a coward who hides from the press.",
        "Our president is wrong to hide from the press.",
    ),
    (
        "The chancellor is a walking disaster and a total fool.",
        "The chancellor's budget is a walking disaster for pensioners.",
    ),
    (
        "The minister is a puffed-up nobody.",
        "The minister's figures are puffed up, nobody believes them.",
    ),
    (
        "Is the mayor really this dim, or does he just pretend?",
        "Is the mayor really this sure, or does he just hope?",
    ),
    (
        "The PM is a sad joke of a human being.",
        "The PM's housing target is a sad joke.",
    ),
    (
        "The MP for this town is a weasel and a fraud.",
        "The MP for this town voted against the hospital and should explain why.",
    ),
    (
        "That senator is a gutless, spineless jellyfish.",
        "That senator's vote on the bill was gutless.",
    ),
    (
        "The minister is an airhead with a nice smile.",
        "The minister has a nice smile and a good plan, for once.",
    ),
    (
        "The mayor is a greasy little snake.",
        "The mayor's deal with the developers looks greasy.",
    ),
    (
        "The president is a clueless goat.",
        "The president is clueless about farming, goats included.",
    ),
    (
        "The chancellor is dumber than a box of rocks.",
        "The chancellor's plan is dumber than last year's, and that's saying something.",
    ),
    (
        "The councillor is a jumped-up little nobody.",
        "The councillor jumped up to defend the library, good for her.",
    ),
    (
        "What a gutless coward that senator is.",
        "What a gutless vote that senator cast.",
    ),
    (
        "What a total fool the mayor is.",
        "What a total turnaround the mayor has made.",
    ),
    (
        "What a snivelling little rat the councillor is.",
        "What a fine job the councillor did with the park.",
    ),
    (
        "The minister should be ashamed, the cretin.",
        "The minister should be ashamed of this decision.",
    ),
    // A figure of speech about the person is an insult; the same figure about a policy is a
    // verdict on the policy.
    (
        "The PM has the backbone of a chocolate eclair.",
        "The PM's policy has the backbone of a chocolate eclair.",
    ),
    (
        "The mayor is about as bright as a power cut.",
        "The mayor's plan is about as bright as a power cut.",
    ),
    (
        "The chancellor is a halfwit in a nice suit.",
        "The chancellor's numbers are half right, in a nice glossy report.",
    ),
    (
        "Sit down, Mr President, you pompous clown.",
        "Sit down, Mr President, the vote is about to start.",
    ),
];

/// Insults at referees, players, coaches and club owners.
const SPORT: &[Twin] = &[
    (
        "The ref is a clueless idiot.",
        "The ref's decision was clueless.",
    ),
    (
        "What a clown of a referee.",
        "What a call from the referee, spot on.",
    ),
    (
        "The ref is a disgrace.",
        "The ref's decision was a disgrace.",
    ),
    (
        "That referee is a bottler and a coward.",
        "That referee bottled the penalty call.",
    ),
    (
        "Our keeper is a useless donkey.",
        "Our keeper had a useless afternoon, two soft goals.",
    ),
    (
        "The striker is a lazy, overpaid waste of space.",
        "The striker had a lazy game and wasted the space on the left.",
    ),
    (
        "The coach is a tactically illiterate buffoon.",
        "The coach's tactics were a mess in the second half.",
    ),
    (
        "Sack the coach, he's a brainless fool.",
        "Sack the coach, his tactics have cost us the season.",
    ),
    (
        "The linesman must be a moron.",
        "The linesman must have been unsighted.",
    ),
    (
        "That umpire is a complete nitwit.",
        "That umpire made a complete mess of the last over.",
    ),
    (
        "The midfielder has the brains of a doorknob.",
        "The midfielder has the passing range of a true playmaker.",
    ),
    (
        "The ref is a bent, spineless rat.",
        "The ref's calls were spineless all afternoon.",
    ),
    (
        "Their captain is an arrogant little snake.",
        "Their captain was arrogant on the ball, and it cost them.",
    ),
    (
        "That winger is a diving cheat and a weasel.",
        "That winger dived, and the ref fell for it.",
    ),
    (
        "The manager is a deluded clown.",
        "The manager's post-match talk was deluded.",
    ),
    (
        "The coach is a has-been who should be ashamed.",
        "The coach should be proud of how the kids played.",
    ),
    (
        "What a pathetic excuse for a referee.",
        "What a pathetic excuse for a penalty.",
    ),
    (
        "The keeper is so thick he can't catch a cold.",
        "The keeper is so busy he can't catch his breath.",
    ),
    (
        "Our striker is a greedy halfwit who never passes.",
        "Our striker is greedy in front of goal and never passes, and it works.",
    ),
    (
        "The ref is a numpty who needs glasses.",
        "The ref needs a second look at that one on the monitor.",
    ),
    (
        "The coach is as thick as mince.",
        "The coach's playbook is as thick as a novel.",
    ),
    (
        "That player is a worthless dimwit.",
        "That player had a poor game, but he's worth keeping.",
    ),
    (
        "The referee is a pompous little tyrant.",
        "The referee was pompous with the cards today.",
    ),
    (
        "The chairman is a greedy parasite bleeding the club dry.",
        "The chairman's ticket prices are bleeding the fans dry.",
    ),
    (
        "Our goalie is a butter-fingered buffoon.",
        "Our goalie had butter fingers today, it happens.",
    ),
    (
        "The new signing is an overrated muppet.",
        "The new signing is overrated, on this form.",
    ),
    (
        "Shut up, coach, you clueless dinosaur.",
        "Shut up shop, coach, we're two goals up.",
    ),
    (
        "The full-back is dumb as a post.",
        "The full-back hit the post twice, unlucky.",
    ),
];

/// Insults at a neighbour, a landlord and other people in a reader's life.
const NEIGHBOURS: &[Twin] = &[
    (
        "My neighbour is a nosy, miserable busybody.",
        "My neighbour is nosy, but she fed my cat for a month.",
    ),
    (
        "The landlord is a greedy leech.",
        "The landlord's rent rise is greedy.",
    ),
    (
        "My landlord is a slimy parasite and a crook.",
        "My landlord fixed the boiler in a day, fair play to him.",
    ),
    (
        "The guy next door is a total moron.",
        "The guy next door is a total gem.",
    ),
    (
        "My neighbour is a gormless oaf who can't park.",
        "My neighbour can't park, but he's a lovely bloke.",
    ),
    (
        "Our landlord is a spineless weasel who hides from tenants.",
        "Our landlord's letter was spineless and hid the rent rise in the small print.",
    ),
    (
        "The man across the road is a vile, bitter crank.",
        "The man across the road writes bitter letters to the paper, and he's usually right.",
    ),
    (
        "My landlord is a pathetic excuse for a human.",
        "My landlord's repair job was a pathetic excuse for a fix.",
    ),
    (
        "The neighbour who complained is a petty little twerp.",
        "The neighbour who complained has a point about the noise.",
    ),
    (
        "My landlord is a bloodsucking rat.",
        "My landlord sent the rat catcher round the same day.",
    ),
    (
        "The head of the residents' association is a power-mad nitwit.",
        "The head of the residents' association made a mad decision on parking.",
    ),
    (
        "Our neighbour is a thick, loud-mouthed lout.",
        "Our neighbour's party was loud, but it was his fortieth.",
    ),
];

/// Insults with a mildly obscene word: abuse, insult and obscene. Their twins drop the word,
/// so the obscene word cannot be what makes a sentence harmful.
const OBSCENE: &[Twin] = &[
    (
        "Shut up, you stupid dickhead.",
        "Speak up, the stupid microphone cut out again.",
    ),
    (
        "The minister is a useless arse.",
        "The minister's plan is useless, and the arithmetic doesn't work.",
    ),
    (
        "The ref is a total jackass.",
        "The ref had a total shocker.",
    ),
    (
        "You're a lying sack of crap.",
        "Your story is a sack of half-truths.",
    ),
    (
        "The landlord is an absolute tosser.",
        "The landlord is an absolute saint about repairs.",
    ),
    (
        "The columnist talks out of his arse.",
        "The columnist talks sense for once.",
    ),
];

/// Insults at any of the people readers write about, `{p}`, each filled with two of them.
/// Pronouns are avoided: the people are of either sex.
const ANYONE: &[Twin] = &[
    (
        "{p} is a complete and utter moron.",
        "{p} is completely and utterly wrong on this.",
    ),
    (
        "{p} is a spineless little worm.",
        "{p} gave a spineless answer when asked about it.",
    ),
    (
        "I've never seen a bigger idiot than {p}.",
        "I've never seen a bigger crowd than {p} drew last night.",
    ),
    (
        "{p} is a clown and always has been.",
        "{p} is right and always has been on this.",
    ),
    (
        "Honestly, {p} is as dense as a brick.",
        "Honestly, {p} is as solid as a brick on this.",
    ),
    (
        "What a pathetic loser {p} is.",
        "What a painful loss for {p}.",
    ),
    (
        "{p} is a gutless weasel and should be ashamed.",
        "{p} made a gutless decision and should be ashamed of it.",
    ),
    (
        "Someone tell {p} what a halfwit they are.",
        "Someone tell {p} what a good job they did.",
    ),
    (
        "{p} is nothing but a two-faced snake.",
        "{p} is nothing but honest, even when it hurts.",
    ),
    (
        "Could {p} be any more of a clueless twit?",
        "Could {p} be any more clear about the plan?",
    ),
    (
        "{p} is the biggest muppet in the country.",
        "{p} has the biggest Muppets collection in the country.",
    ),
    (
        "Nobody takes {p} seriously, the fool.",
        "Nobody took {p} seriously at first, and they were wrong.",
    ),
    (
        "{p} is a disgrace and an embarrassment.",
        "{p} called the decision a disgrace and an embarrassment.",
    ),
    (
        "{p} has the intelligence of a sea sponge.",
        "{p} has the energy of a teenager.",
    ),
    (
        "{p} is a worthless, brainless fool.",
        "{p} made a worthless, brainless decision.",
    ),
    (
        "{p} is an ugly little toad.",
        "{p} found an ugly little toad in the garden pond.",
    ),
    (
        "{p} is a gormless imbecile.",
        "{p} is a gifted but careless speaker.",
    ),
    (
        "{p} is a smug, self-important prat.",
        "{p} gave a smug, self-important speech.",
    ),
    (
        "{p} needs to get a life, the absolute loser.",
        "{p} needs to get a life back after working every weekend this year.",
    ),
    ("Is {p} really this brainless?", "Is {p} really this busy?"),
];

/// The person for the `k`th filling of sentence `i`. "This clown" is itself an insult and
/// would make a twin harmful; Cohen and Levy are left out so that "snake" or "parasite" is
/// never put beside a Jewish surname, which would read as an old slur and is not a plain
/// insult.
fn person(i: usize, k: usize) -> &'static str {
    let people: Vec<&'static str> = PEOPLE
        .iter()
        .copied()
        .filter(|p| !matches!(*p, "this clown" | "Cohen" | "Levy"))
        .collect();
    people[(i * 5 + k * 7) % people.len()]
}

/// Each twin as its insult and harmless rows (see [`twin_rows`]), `{p}` the same person on
/// both sides.
fn twins(
    list: &'static [Twin],
    insult: [Option<bool>; 6],
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    twin_rows(list, insult, |text, i, k| {
        sentence_case(&text.replace("{p}", person(i, k)))
    })
}

/// Insults at one person (abuse and insult, obscene where a word is), each beside its
/// harmless twin (every label 0).
pub(super) fn insult_templates() -> Vec<Row> {
    let insult = labelled(&[(Label::Abuse, true), (Label::Insult, true)]);
    let obscene = labelled(&[
        (Label::Abuse, true),
        (Label::Insult, true),
        (Label::Obscene, true),
    ]);
    template_rows(
        "templates:insult:",
        twins(COMMENTERS, insult)
            .chain(twins(WRITERS, insult))
            .chain(twins(POLITICIANS, insult))
            .chain(twins(SPORT, insult))
            .chain(twins(NEIGHBOURS, insult))
            .chain(twins(OBSCENE, obscene))
            .chain(twins(ANYONE, insult)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Written once each, filled, capitalised, and an insult or a harmless twin in pairs.
    #[test]
    fn insult_rows_are_distinct_insults_beside_harmless_twins() {
        let rows = insult_templates();
        let texts: HashSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.len(), rows.len(), "no sentence twice");
        for r in &rows {
            assert!(
                !r.text.contains(['{', '}']) && r.text.starts_with(char::is_uppercase),
                "{}",
                r.text
            );
            assert!(r.id.starts_with("templates:insult:"));
        }
        for pair in rows.chunks(2) {
            assert_eq!(
                pair[0].labels[Label::Insult.index()],
                Some(true),
                "{}",
                pair[0].text
            );
            assert_eq!(
                pair[0].labels[Label::Abuse.index()],
                Some(true),
                "{}",
                pair[0].text
            );
            assert_eq!(pair[1].labels, [Some(false); 6], "{}", pair[1].text);
        }
        assert!(rows.len() / 2 >= 150);
        assert!(!texts.iter().any(|t| t.contains("this clown")));
    }
}
