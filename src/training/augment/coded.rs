//! Coded and indirect hate: contempt for a group said without a slur or an open insult, the
//! way extremist and "just asking questions" posts say it. Replacement and invasion talk,
//! conspiracies about a group pulling strings under code names ("globalists", "a certain
//! tribe", echo brackets), "race realism" and incompatibility, sarcasm that means the
//! opposite, vermin words without vermin names, supremacist pride and crime or welfare
//! "facts" blamed on a group. Each sentence sits beside a harmless twin that keeps most of its
//! words: reporting or condemning the idea, sincere pride, policy argued without blaming a
//! group, neutral facts. Opinions on immigration levels, borders or welfare that attack no
//! group are twins, so the topic words are evidence of neither class.

use super::collective::{Twin, group_twins};
use super::plain::fixed_hate;
use super::stereotypes::{Pool, hateful};
use super::template_rows;
use crate::training::dataset::Row;

/// Coded hate about a group of origin, filled with two groups each.
pub(super) const CODED: &[Twin] = &[
    // Replacement and invasion.
    (
        "{g} are not immigrants, they are invaders sent to replace our people.",
        "{g} are not invaders sent to replace anyone, they are immigrants like my grandparents.",
    ),
    (
        "Every year more {g} and fewer of us. Connect the dots.",
        "Every year more {g} arrive and fewer of us are born, so the pension maths needs work.",
    ),
    (
        "They are replacing our people with {g} and calling it progress.",
        "Saying they are replacing our people with {g} is replacement theory, not progress.",
    ),
    (
        "Count the {g} in your kid's class and tell me there's no replacement.",
        "Count the {g} in your kid's class and you'll find kids, not a replacement.",
    ),
    (
        "Import {g}, import their votes. Nothing accidental about it.",
        "Claims that parties import {g} for their votes are a conspiracy theory, nothing more.",
    ),
    (
        "In twenty years {g} will outnumber us and then it's over for our nation.",
        "In twenty years {g} will still be a small share of our nation, the census projects.",
    ),
    (
        "Our people are being erased and {g} are the eraser.",
        "Our people are not being erased, and {g} are not to blame for low birth rates.",
    ),
    (
        "First they came as guests, now {g} act like they own the place. Colonisation in reverse.",
        "First they came as guests, now {g} own businesses on the high street. That's integration.",
    ),
    (
        "Demographics is destiny, and {g} know it even if you don't.",
        "Demographics is not destiny, and {g} are not a plot against you.",
    ),
    (
        "Open borders for {g}, closed minds for anyone who notices the replacement.",
        "Stricter borders, fewer visas, whatever you think of {g}: argue it without replacement talk.",
    ),
    (
        "Ask yourself why {g} are always settled in our towns and never in theirs.",
        "Ask yourself why {g} are settled where the jobs are: it's the housing market.",
    ),
    (
        "Just asking: why are {g} having so many kids here? Who benefits?",
        "Just asking: why are {g} having fewer kids here than back home? The study says income.",
    ),
    // Incompatibility and "race realism".
    (
        "Some cultures are simply incompatible with civilisation. {g} are exhibit A.",
        "Some people claim cultures are incompatible with civilisation, then single out {g}.",
    ),
    (
        "{g} will never assimilate. They don't want to and they can't.",
        "{g} assimilate within two generations, the research shows, like everyone else.",
    ),
    (
        "Look at any country {g} run and tell me they belong in ours.",
        "Look at any country's history and you'll find {g} who built part of it.",
    ),
    (
        "It's not hate, it's biology: {g} are wired differently.",
        "It's not biology, it's hate, when people say {g} are wired differently.",
    ),
    (
        "Race realism is just noticing that {g} lower the average wherever they go.",
        "Race realism is just racism with footnotes, and {g} are its favourite target.",
    ),
    (
        "The IQ data on {g} is out there. Nobody wants to talk about it.",
        "The IQ claims about {g} are debunked junk, and scientists have talked about it at length.",
    ),
    (
        "You can take {g} out of the third world but you can't take the third world out of them.",
        "You can take {g} out of a war zone but the trauma takes years to heal, the nurse said.",
    ),
    (
        "Funny how every neighbourhood {g} move into goes downhill.",
        "Funny how every neighbourhood {g} move into gets a decent bakery.",
    ),
    (
        "Not all cultures are equal, and {g} prove it every day.",
        "Not all cultures are the same, and {g} bring theirs to the festival every year.",
    ),
    (
        "{g} are a different kind of people. Always were, always will be.",
        "{g} are the same kind of people as us. Always were, always will be.",
    ),
    // Sarcasm.
    (
        "Another week, another stabbing by {g}. Such enrichment.",
        "Another week, another food festival by {g}. Such fun.",
    ),
    (
        "{g}: such a peaceful, hard-working bunch. Right.",
        "{g}: a peaceful, hard-working bunch, from what I've seen at the market.",
    ),
    (
        "More {g}, said nobody who actually lives near them.",
        "More {g} in the team, said the coach, who actually knows them.",
    ),
    (
        "Oh great, more {g}. I'm sure this time it'll be different.",
        "Oh great, more {g} on the council. I'm sure they'll do a good job.",
    ),
    (
        "Imagine being surprised that {g} did it again. Couldn't be me.",
        "Imagine being surprised that {g} won the cup again. Couldn't be me.",
    ),
    (
        "Thank you, {g}, for the crime wave. Truly a gift to this country.",
        "Thank you, {g}, for the night shifts at the hospital. Truly a gift to this country.",
    ),
    (
        "Diversity means more {g} and fewer of us. Wonderful.",
        "Diversity means more {g} and more of us at the same table. Wonderful.",
    ),
    // Dehumanising euphemism.
    (
        "{g} breed like there's no tomorrow and we pay for it.",
        "{g} have families like anyone else, and they pay taxes for it.",
    ),
    (
        "Hordes of {g} pouring in, and the media calls it a trickle.",
        "Hordes of reporters pouring in to film {g} at the border, and it's a trickle.",
    ),
    (
        "{g} multiply wherever you let them settle.",
        "{g} prosper wherever you let them settle and work.",
    ),
    (
        "The infestation of {g} in this city started ten years ago.",
        "The community of {g} in this city started ten years ago with one shop.",
    ),
    (
        "Third-world masses of {g} swarming our streets.",
        "Third-world debt is why so many {g} leave home, the economist said.",
    ),
    (
        "Once {g} nest somewhere you never get rid of them.",
        "Once {g} settle somewhere they usually stay and open businesses.",
    ),
    (
        "A swarm of {g} at the border again. Shut it before they spread.",
        "A crowd of {g} at the border again. Process the claims before winter.",
    ),
    // Supremacist pride and exclusion.
    (
        "Our race first, {g} last, if at all.",
        "Our race is the human race, {g} included.",
    ),
    (
        "A homeland for our people only, and {g} can find their own.",
        "A homeland for {g} too, says the treaty, and for our people as well.",
    ),
    (
        "Secure a future for our children: no more {g}.",
        "Secure a future for our children and for the kids of {g}.",
    ),
    (
        "It's okay to be white. It's not okay to be surrounded by {g}.",
        "It's okay to be white, and it's okay to live next to {g}.",
    ),
    (
        "Our blood, our soil, our nation. {g} need not apply.",
        "Our town, our club, our nation: {g} welcome to apply.",
    ),
    (
        "Proud of my people, and that's why I want {g} out of our country.",
        "Proud of my people, and that's why I want {g} to feel at home in our country.",
    ),
    // Stereotype as fact.
    (
        "{g} are a small share of the population and a huge share of the crime. Do the maths.",
        "{g} are a small share of the population and a small share of the crime. Do the maths.",
    ),
    (
        "{g} all live on welfare, paid for by the people they replaced.",
        "{g} mostly work, and few live on welfare, the statistics office says.",
    ),
    (
        "It's in their culture. That's all you need to know about {g}.",
        "It's in their cookbook. That's all you need to know about {g} and their food.",
    ),
    (
        "Grooming is a tradition for {g}, everyone knows it but nobody says it.",
        "Grooming gangs come from every background, not from {g}, the inquiry says.",
    ),
    (
        "Crime goes up wherever {g} arrive. Not racist, just statistics.",
        "Crime does not go up where {g} arrive, the statistics show.",
    ),
    (
        "{g} come for the benefits and stay for the benefits.",
        "{g} come for the work and stay for the work, the survey found.",
    ),
    (
        "Funny how {g} never seem to work but always have new phones.",
        "Funny how {g} do the jobs nobody else will and still get blamed.",
    ),
    (
        "Facts don't care about your feelings: {g} commit more crime.",
        "Facts don't care about your feelings: {g} don't commit more crime.",
    ),
    // Tweet forms.
    (
        "Replying to @user: {g} are the problem and you know it.",
        "Replying to @user: {g} aren't the problem, the rent is.",
    ),
    (
        "Imagine still believing {g} came here for a better life. They came to take over.",
        "Imagine leaving everything to come here for a better life, like so many {g} did.",
    ),
    (
        "{g} everywhere now. Wake up before it's too late #WakeUpWest",
        "{g} everywhere at the street fair today, and the food was amazing.",
    ),
    (
        "The question of {g} will have to be answered one day.",
        "The question about {g} on the census form will have to be reworded one day.",
    ),
    (
        "{g} are taking over and our leaders are letting it happen. Noticing isn't a crime.",
        "{g} are not taking over, and noticing that won't trend.",
    ),
    (
        "Watch how fast this gets deleted: {g} are the real colonisers.",
        "Watch how fast this gets shared: {g} are the real heroes of the flood rescue.",
    ),
    (
        "No room for {g} in the country our grandfathers built.",
        "There was room for {g} in the country our grandfathers built, and they built it too.",
    ),
    (
        "Day 400 of asking why {g} get everything and we get nothing.",
        "Day 400 of asking the council why {g} and everyone else still wait for housing.",
    ),
    (
        "Remember when this town had no {g}? Good times. Safe times.",
        "Remember when this town had no {g} and no restaurants? Boring times.",
    ),
    (
        "Everywhere {g} go, trouble follows. Coincidence? I think not.",
        "Everywhere {g} go, rumours follow. Evidence? Usually not.",
    ),
];

/// Coded hate written once about named groups; `bool` is whether it is also an insult.
pub(super) const FIXED: &[(&str, &str, bool)] = &[
    // Replacement, named.
    (
        "White genocide is real and they're doing it in plain sight.",
        "The \"white genocide\" story is a neo-Nazi myth and nobody is doing it.",
        false,
    ),
    (
        "The great replacement isn't a theory, it's the policy.",
        "The great replacement is a racist conspiracy theory, not a policy.",
        false,
    ),
    (
        "They're importing Muslims by the million to replace Europeans. Look it up.",
        "They're importing workers by the thousand to fill care jobs. Look it up.",
        false,
    ),
    (
        "Mexicans are reconquering the Southwest one birth at a time.",
        "Mexicans settled the Southwest long before the border moved, one history at a time.",
        false,
    ),
    (
        "Africans are being shipped into Europe to dilute us. Ask who's paying.",
        "Africans are being shipped back from Europe in deportation flights. Ask what it costs.",
        false,
    ),
    (
        "Soon Europe will be Eurabia and nobody will have fired a shot.",
        "The \"Eurabia\" idea is a far-right fantasy, and nobody serious believes it.",
        false,
    ),
    (
        "Our people are being erased from our own nation and you call me a bigot for noticing.",
        "Nobody is erasing our people from our own nation, and you can say that without being a bigot.",
        false,
    ),
    (
        "Londonistan. Say no more.",
        "Londonistan is a slur for a city of nine million people. Say no more.",
        false,
    ),
    (
        "They are importing voters from the third world because we won't vote for them anymore.",
        "They are importing workers because we have a labour shortage, not to buy votes.",
        false,
    ),
    (
        "Refugees today, rulers tomorrow. That's the plan.",
        "Refugees today, neighbours tomorrow. That's how it went for my family.",
        false,
    ),
    (
        "Mass immigration is the weapon and our race is the target.",
        "Mass immigration is a policy question, and we can argue about numbers without talking about race.",
        false,
    ),
    (
        "By 2050 we'll be a minority in our own country. That's not an accident, it's a plan.",
        "By 2050 the country will be more mixed. That's not a plan, it's demographics.",
        false,
    ),
    // Conspiracy and code names.
    (
        "The globalists own the media, the banks and your government. You know who I mean.",
        "The word \"globalists\" often means Jews, and the claim that they own the media is an old antisemitic lie.",
        false,
    ),
    (
        "Every time you look behind the curtain, it's a certain tribe.",
        "Every time someone says \"a certain tribe\", they mean Jews and they mean harm.",
        false,
    ),
    (
        "Ask yourself who decides what you're allowed to think. (((They))) do.",
        "The echo brackets around (((they))) are an antisemitic marker; report them.",
        false,
    ),
    (
        "Who owns Hollywood? Who owns the banks? Same people. Just noticing.",
        "Who owns Hollywood? Mostly shareholders and pension funds, the filings show.",
        false,
    ),
    (
        "International bankers started both world wars. Do your own research.",
        "Saying international bankers started the wars is antisemitic propaganda. Do real research.",
        false,
    ),
    (
        "The usual suspects are behind the migrant boats again.",
        "Smuggling gangs are behind the migrant boats again, Europol says.",
        false,
    ),
    (
        "Funny how the people pushing open borders are never affected. Always the same tribe.",
        "Funny how the people pushing open borders are called a tribe by antisemites. It's a dog whistle.",
        false,
    ),
    (
        "Rootless cosmopolitans run the newsrooms and sneer at real patriots.",
        "The phrase \"rootless cosmopolitans\" was Stalin's code for Jews, and it still is.",
        false,
    ),
    (
        "The Rothschilds fund every war and every riot. Wake up.",
        "The Rothschild conspiracy theory is two centuries of antisemitism. Wake up.",
        false,
    ),
    (
        "Notice how the ones pushing diversity never want it in Israel.",
        "Notice how people complain about Israel's immigration policy and ours with the same words.",
        false,
    ),
    (
        "Soros and his people are funding the invasion of Europe.",
        "Soros is used as a stand-in for Jews by those who talk about an invasion of Europe.",
        false,
    ),
    (
        "It's always them. Every bank, every studio, every revolution. Ask why.",
        "It's always the same claim: every bank, every studio, every revolution. Ask who spreads it.",
        false,
    ),
    (
        "Jews don't need armies, they have central banks.",
        "Jews don't run central banks, and the idea that they do fuelled pogroms.",
        false,
    ),
    (
        "Zionists own Congress. Follow the money.",
        "Lobbies of every kind give money to Congress. Follow the disclosure reports.",
        false,
    ),
    (
        "The media won't report it because of who owns the media. You know who.",
        "The media didn't report it because of how little they cover rural towns.",
        false,
    ),
    (
        "Behind every communist revolution you'll find the same names. Coincidence?",
        "Behind every communist revolution you'll find peasants, workers and soldiers. Read history.",
        false,
    ),
    (
        "Muslims are playing the long game: wait, outbreed, take over.",
        "Muslims are playing the long game in the cricket final, and their captain is brilliant.",
        false,
    ),
    (
        "Taqiyya. They smile at you while they plan the caliphate.",
        "Taqiyya is a niche concept that Islamophobes use to call all Muslims liars.",
        false,
    ),
    (
        "The Chinese are buying up our land house by house. Coincidence?",
        "Foreign investors are buying up land house by house, and the law should cap it.",
        false,
    ),
    // Incompatibility, named.
    (
        "Islam is incompatible with Western civilisation, full stop.",
        "Islam has been part of Western civilisation for centuries, full stop.",
        false,
    ),
    (
        "Africa had thousands of years and built nothing. Says it all.",
        "Africa had thousands of years of kingdoms, trade and science. Says it all.",
        false,
    ),
    (
        "Look at Haiti, look at Detroit, look at South Africa. Pattern recognition isn't racism.",
        "Look at Haiti's history: debt, occupation, disasters. Pattern recognition, not racism.",
        false,
    ),
    (
        "Black people have lower IQs, it's genetic, the science is settled.",
        "Black people do not have lower IQs for genetic reasons, the science is settled.",
        false,
    ),
    (
        "Gypsies have been stealing for a thousand years, it's not prejudice, it's heritage.",
        "Roma have been persecuted for a thousand years, and the stereotype of stealing is prejudice.",
        true,
    ),
    (
        "Arabs can't do democracy, it's not in their blood.",
        "Arabs marched for democracy across the region in 2011.",
        false,
    ),
    (
        "Women are biologically unfit to lead, that's not sexism, that's nature.",
        "Women are biologically fit to lead, and calling sexism nature doesn't make it true.",
        false,
    ),
    (
        "Gay people are a symptom of a dying civilisation.",
        "Gay people were there in every civilisation, dying or thriving.",
        false,
    ),
    (
        "Trans people are a social contagion and we should stop pretending otherwise.",
        "Trans people are not a social contagion, the major medical bodies say.",
        false,
    ),
    (
        "Asians can copy but they can't create. Look at any of their products.",
        "Asian firms design some of the best products on the market. Look at any of them.",
        false,
    ),
    (
        "Mexico is a failed state and we're importing its people. What did you expect?",
        "Mexico is a big economy and we trade with its people every day. What did you expect?",
        false,
    ),
    // Sarcasm, named.
    (
        "Such a peaceful religion. Third attack this month.",
        "Such a peaceful vigil after the third attack this month.",
        false,
    ),
    (
        "Another cultural enrichment stabbing, what a surprise.",
        "Another stabbing in the city centre; the knife crime strategy is failing.",
        false,
    ),
    (
        "Diversity is our strength, said nobody who lives there.",
        "Diversity is our strength, said the people who live there, in the survey.",
        false,
    ),
    (
        "Religion of peace strikes again.",
        "Religious leaders of every faith condemned the attack again.",
        false,
    ),
    (
        "Ah yes, the famous Roma work ethic.",
        "Ah yes, the famous Roma violin players at the festival. Wonderful.",
        false,
    ),
    (
        "Refugees welcome! Just not in the neighbourhoods of the people who say it.",
        "Refugees welcome! Our neighbourhood housed four families and it went fine.",
        false,
    ),
    (
        "Oh look, another \"lone wolf\" shouting about Allah. Must be the weather.",
        "Oh look, another far-right \"lone wolf\" radicalised online. Must be the forums, police say.",
        false,
    ),
    (
        "Who could have predicted that importing the third world would bring third-world problems?",
        "Who could have predicted that cutting foreign aid would bring problems at the border?",
        false,
    ),
    (
        "Love how \"youths\" commit every crime in Paris. Wonder what kind of youths.",
        "Love how youth clubs cut crime in Paris. Wonder why they closed them.",
        false,
    ),
    (
        "Strange how the \"asylum seekers\" are all young men with designer trainers.",
        "Strange how people mock asylum seekers for owning trainers, as if poverty meant barefoot.",
        false,
    ),
    (
        "Gay pride month again. Can't wait for straight pride to be banned.",
        "Gay pride month again. Can't wait for the parade on Saturday.",
        false,
    ),
    (
        "Congratulations to Sweden on becoming the rape capital of Europe. Diversity works!",
        "The claim that Sweden is the rape capital of Europe misreads how it records crime.",
        false,
    ),
    // Dehumanising euphemism, named.
    (
        "The migrant swarm at Calais grows by the day.",
        "The migrant camp at Calais grows by the day, and the charities are overwhelmed.",
        true,
    ),
    (
        "Muslims breed faster than we can build schools.",
        "Muslim families use schools faster than we can build them, like every growing suburb.",
        true,
    ),
    (
        "The hordes from Africa are coming, and Europe just opens the gate.",
        "The boats from Africa are coming, and Europe still has no common asylum policy.",
        true,
    ),
    (
        "Roma camps spread like mould along the river.",
        "Roma camps along the river were cleared again without any housing offered.",
        true,
    ),
    (
        "The third-world masses don't come here to work, they come to multiply.",
        "The third-world debt crisis is why so many come here to work.",
        true,
    ),
    (
        "An infestation of foreigners in every town centre. Where's the pest control?",
        "A shortage of foreign nurses in every town hospital. Where's the plan?",
        true,
    ),
    // Supremacist pride, named.
    (
        "Proud to be white and we need our own nation. No apologies.",
        "Proud to be Irish and I love our national team. No apologies.",
        false,
    ),
    (
        "Our race built this civilisation and the rest just live in it.",
        "Our grandparents built this town and the newcomers keep it running.",
        false,
    ),
    (
        "We must secure the existence of our people and a future for white children.",
        "The line about a future for white children is a neo-Nazi slogan; recognise it when you see it.",
        false,
    ),
    (
        "White men built the modern world. The others are guests.",
        "Many peoples built the modern world. None of them are guests.",
        false,
    ),
    (
        "A white homeland is not hate, it's survival. #OurBloodOurLand",
        "A homeland for every people is the UN's language, not hate. #SelfDetermination",
        false,
    ),
    (
        "It's okay to be white, and it's time the others learned their place.",
        "It's okay to be white, and it's okay to be anything else.",
        false,
    ),
    (
        "Fourteen words, one nation, no compromise.",
        "The fourteen words are a white supremacist slogan, as the research on hate symbols explains.",
        false,
    ),
    (
        "European blood is sacred and it must not be mixed.",
        "European history is mixed, and so is most European blood.",
        false,
    ),
    (
        "Christians first, the rest can convert or leave. #DeusVultNation",
        "Christians first in the queue for the charity breakfast, the rest after. Everyone is fed.",
        false,
    ),
    (
        "Hindus first in Hindustan, others are tenants.",
        "Hindus are the largest group in India, and others are citizens too.",
        false,
    ),
    (
        "Men made nations and women should be grateful to live in them.",
        "Men and women made nations and both should be grateful for the vote.",
        false,
    ),
    (
        "Proud boy, proud race, proud to keep our town white. #WhiteTownsMatter",
        "Proud dad, proud Scot, proud of our town's cup run. #UpTheTown",
        false,
    ),
    // Stereotype as fact, named.
    (
        "Thirteen percent of the population, half the murders. Never forget the numbers.",
        "The \"13% of the population, half the murders\" line is a racist meme that leaves out poverty.",
        false,
    ),
    (
        "Black neighbourhoods are dangerous because of the people in them. Simple as.",
        "Black neighbourhoods were starved of investment by redlining. Not simple at all.",
        false,
    ),
    (
        "Pakistani grooming gangs: it's their culture, and they'll keep doing it.",
        "Grooming gangs are a crime of abusers from many backgrounds, and the victims deserve justice.",
        false,
    ),
    (
        "Somalis all live on welfare. That's just a fact.",
        "Somalis in Minneapolis run hundreds of businesses. That's just a fact.",
        false,
    ),
    (
        "Muslims marry their cousins, that's why they are like that.",
        "Cousin marriage happens in many cultures, and health services can advise on the risks.",
        false,
    ),
    (
        "Gay men are mostly predators, the stats just aren't published.",
        "Gay men are not predators, and the stats on abuse show it.",
        false,
    ),
    (
        "Trans women in toilets: we all know what they're really there for.",
        "Trans women in toilets are there for the same reason as everyone else.",
        false,
    ),
    (
        "Jews always look after their own and bleed everyone else dry.",
        "Jewish charities look after their own and half the town's food bank too.",
        false,
    ),
    (
        "Every Roma child is taught to pickpocket before they can read.",
        "Every Roma child in the pilot school learnt to read before Christmas.",
        false,
    ),
    (
        "African migrants bring diseases and crime, and the press covers it up.",
        "African migrants bring skills the press rarely covers, the report found.",
        false,
    ),
    (
        "Women make false rape claims for money, everyone in the courts knows.",
        "False rape claims are rare, and everyone in the courts knows it.",
        false,
    ),
    (
        "Mexicans bring drugs, everyone knows it, even they know it.",
        "Cartels bring drugs, everyone knows it, and Mexicans are their main victims.",
        false,
    ),
    (
        "Arabs only understand force. It's the culture.",
        "Arab diplomats brokered the ceasefire. So much for the culture myth.",
        false,
    ),
    // Tweet and comment forms, named.
    (
        "Replying to @user: Funny how it's always Muslims. Every single time.",
        "Replying to @user: Funny how it's always Muslims who get blamed first. Every single time.",
        false,
    ),
    (
        "Reminder that every Western capital is being colonised and you're not allowed to say by whom.",
        "Reminder that every Western capital has a housing crisis and you're allowed to say why.",
        false,
    ),
    (
        "Not saying all immigrants are criminals, just that all the criminals seem to be immigrants.",
        "Not saying immigration has no costs, just that the crime figures don't blame immigrants.",
        false,
    ),
    (
        "Europe for Europeans. The rest can go home. #Remigration",
        "Europe for everyone who lives here and pays in. Deportations for crimes only, through the courts.",
        false,
    ),
    (
        "I'm just asking questions: why do Jews control so much?",
        "I'm just asking questions: why do people still believe Jews control so much?",
        false,
    ),
    (
        "They want us to be a minority in our own homeland. Wake up, white man.",
        "They want us to fix the housing crisis in our own homeland. Wake up, council.",
        false,
    ),
    (
        "Say it with me: refugees are invaders, not guests.",
        "Say it with me: refugees are people, not invaders.",
        false,
    ),
    (
        "We were a nation once. Now we're a hotel for the third world.",
        "We were a nation of emigrants once. Now people come to us.",
        false,
    ),
    (
        "Can we talk about how Chinese people are quietly buying up the West? No? Thought so.",
        "Can we talk about how foreign buyers are pricing out young people? Yes, ban it.",
        false,
    ),
    (
        "Our women, our streets, our country. Not theirs. Never theirs.",
        "Our streets, our parks, our country. Everyone's. Always everyone's.",
        false,
    ),
    (
        "I don't hate Muslims, I just want my country back from them.",
        "I don't hate Muslims, I just want my money back from the tax office.",
        false,
    ),
    (
        "Lesbians are just women who couldn't get a man, and now they want to teach our kids.",
        "Lesbians are teachers and parents like anyone, and some of them teach our kids.",
        false,
    ),
    (
        "The LGBT lobby is coming for your children. Stay alert.",
        "The anti-LGBT lobby is coming for library books. Stay alert.",
        false,
    ),
    (
        "Every mosque is a foothold. Think about that.",
        "Every mosque on our street runs a food bank. Think about that.",
        false,
    ),
    (
        "Black Friday, black crime stats, black neighbourhoods. Notice a pattern?",
        "Black Friday sales, busy shops, long queues. Notice a pattern?",
        false,
    ),
];

/// Coded hate (abuse and identity attack, insult where dehumanising), each beside its twin.
pub(super) fn coded_templates() -> Vec<Row> {
    template_rows(
        "templates:coded:",
        group_twins(CODED, (3, 5, 2), Pool::Origin, hateful(false)).chain(fixed_hate(FIXED)),
    )
}
