// Phrase banks for the sandbox's problems and answers, one per tag, written for this project.
// Each bank holds interchangeable parts (title topics, situations, constraints, what was tried,
// questions, advice); community-text.ts combines them and fills the {slots} with numbers and
// roles, so a few dozen sentences per tag give hundreds of distinct posts.

export interface TagPhrases {
  description: string;
  /** Noun phrases for titles ("a slow interview loop"), one per situation, same order. */
  topics: string[];
  /** The opening sentence of a problem: what is going on; topics[i] names situations[i]. */
  situations: string[];
  /** Something that makes it harder. */
  constraints: string[];
  /** What the asker already tried, and how it went. */
  tried: string[];
  /** The question itself. */
  asks: string[];
  /** Concrete advice sentences for answers. */
  advice: string[];
}

export const TAG_PHRASES: Record<string, TagPhrases> = {
  onboarding: {
    description: 'Bringing new hires and newly promoted managers up to speed in their first months.',
    topics: ['onboarding several people at once', 'a new hire who is slow to find their feet', 'onboarding docs nobody maintains', 'new hires leaving in their first months', 'onboarding a team lead from a big company', 'time to first contribution'],
    situations: [
      'We have {n} people starting in the next {weeks} weeks and my team of {team} is already stretched.',
      'A {report} joined {weeks} weeks ago and still does not feel confident making changes on their own.',
      'Our onboarding is a wiki page written {n} years ago plus whatever the buddy happens to remember.',
      'Two of our recent hires left within their first {months} months, and both mentioned a chaotic start in their exit interviews.',
      'I am onboarding a new team lead who comes from a much larger company and expects far more structure than we have.',
      'New joiners on my team of {team} take about {weeks} weeks before they ship anything, and leadership wants that halved.',
    ],
    constraints: [
      'Nobody on the team has time set aside for mentoring, so it happens in the gaps.',
      'Half of the onboarding material refers to tools we retired last year.',
      'The new people sit in a different office from the rest of us.',
      'HR owns the first week and we only get the new hires from day six.',
    ],
    tried: [
      'We tried a 30-60-90 day plan, but it was forgotten after the second week.',
      'I assigned buddies, but it was the same two people every time and they are now tired of it.',
      'We recorded walkthrough videos, which helped a bit but went stale quickly.',
      'I scheduled daily check-ins for the first two weeks, which felt like micromanagement to one of them.',
    ],
    asks: [
      'How do you structure the first month so people get to a real contribution quickly?',
      'What does a good onboarding checklist look like for a team our size?',
      'How do you keep onboarding material current without a dedicated owner?',
    ],
    advice: [
      'Give every new hire a small, real task they can finish in the first week; shipping something early does more for confidence than any document.',
      'Rotate the buddy role and count it as real work in planning, otherwise it always lands on the same helpful people.',
      'Write the 30-60-90 plan together with the new person in their first week, then look at it in every one-on-one so it stays alive.',
      'Ask each new joiner to fix one thing in the onboarding docs as they go; the docs stay current and they learn where things live.',
      'Keep a list of the ten people a new hire should meet and let them book those conversations themselves.',
      'Stagger start dates by at least a week if you can, so each person gets proper attention.',
      'After {weeks} weeks, ask the new person what confused them most and fix that before the next hire starts.',
      'Hold a short check-in at day 30 and day 90 with the same few questions, and compare the answers across hires to spot patterns.',
    ],
  },
  hiring: {
    description: 'Sourcing, interviewing and choosing candidates, and closing offers.',
    topics: ['a slow interview loop', 'candidates declining offers', 'hiring for a profile new to the team', 'interviewers who never agree', 'a flood of unsuitable CVs', 'hires who interview well but struggle'],
    situations: [
      'We have {n} open roles and our time to hire is around {weeks} weeks, which loses us good candidates.',
      'Several of our recent offers were declined, and two candidates said our process felt disorganised.',
      'I am hiring my first {report} and nobody on my team of {team} has interviewed for that profile before.',
      'Our interviewers score candidates very differently, and debriefs turn into arguments about gut feeling.',
      'Recruiting sends me about {people} CVs a week and most are nowhere near the profile.',
      'We keep hiring people who interview well and then struggle with the actual work.',
    ],
    constraints: [
      'Salary bands are fixed and about {pct}% below what the market pays.',
      'I am the hiring manager for the role and also run the team day to day.',
      'Our recruiter is shared with {n} other departments.',
      'Candidates go through {n} rounds before they reach an offer.',
    ],
    tried: [
      'We introduced a take-home exercise, but strong candidates started dropping out at that step.',
      'I wrote a scorecard, but interviewers fill it in after the debrief, which defeats the point.',
      'We tried a referral bonus, which brought volume but not the seniority we need.',
      'We cut one interview round, which sped things up but made the team nervous about quality.',
    ],
    asks: [
      'How do you run an interview loop that is both fast and fair?',
      'How do you get interviewers to agree on what good looks like?',
      'What would you change first in a process like ours?',
    ],
    advice: [
      'Write the scorecard before you open the role, and have every interviewer submit scores before the debrief starts.',
      'Give each interview round one clear purpose so you are not testing the same thing three times.',
      'Replace the take-home with a time-boxed pairing session; good candidates give two hours far more willingly than a weekend.',
      'Aim for an offer within {days} days of the first interview and track it like any other metric.',
      'Pair new interviewers with experienced ones for a few loops before they interview alone.',
      'Call the candidates who declined and ask why; two or three honest answers tell you more than any survey.',
      'Share the salary band early; it saves everyone weeks when expectations are far apart.',
      'Hire for the problems the team will face next year, not for a copy of the person who left.',
    ],
  },
  'one-on-ones': {
    description: 'Regular one-to-one conversations between a manager and each of their reports.',
    topics: ['one-on-ones with a large team', 'one-on-ones that feel like status updates', 'a report who always says all is fine', 'one-on-ones with my former peers', 'skip-level one-on-ones', 'one-on-ones that keep getting cancelled'],
    situations: [
      'I have {many} direct reports, and weekly one-on-ones take most of my Tuesday and Wednesday.',
      'My one-on-ones with a {report} always turn into a project status update, and we never get to anything personal.',
      'One of my reports answers every question with "all good", and then I hear from others that they are frustrated.',
      'I was promoted from within, and one-on-ones with my former peers feel awkward.',
      'I want to start skip-level one-on-ones with the {people} people in my group without undermining the team leads.',
      'My reports keep cancelling our one-on-ones when things get busy, and I let it happen.',
    ],
    constraints: [
      'Most of the team is in another time zone, so we overlap for only {hours} hours a day.',
      'I still carry individual work for roughly {pct}% of my time.',
      'Some reports prefer walking meetings and some want an agenda a day in advance.',
    ],
    tried: [
      'I moved to a shared running document, but I am the only one who writes in it.',
      'I tried meeting every other week, and it felt like I lost touch with the team.',
      'I started opening with "how are you, really?", which got polite laughs and little else.',
      'I tried a fixed list of questions, but after a month it felt like filling in a form.',
    ],
    asks: [
      'How do you make one-on-ones useful for the report rather than for yourself?',
      'Which questions help you get past the surface?',
      'How often do you meet, and for how long, with a team of this size?',
    ],
    advice: [
      'Make it their meeting: they own the agenda, and status updates go in writing somewhere else.',
      'Ask about energy rather than tasks, for example what drained them this week and what gave them energy.',
      'Keep the slot even when there is nothing to discuss; the easy weeks build the trust you need for the hard ones.',
      'With a large team, try 30 minutes weekly for the newest people and 45 minutes every two weeks for the experienced ones.',
      'Write down one thing you promised in each one-on-one and open the next one by reporting back on it.',
      'For quiet people, send one question a day ahead so they can think before they answer.',
      'Once a quarter, use the slot for career topics only, so growth is not crowded out by urgent work.',
      'If they keep cancelling, ask them directly whether the format works for them; often it does not.',
    ],
  },
  'performance-reviews': {
    description: 'Review cycles, calibration, ratings and dealing with underperformance.',
    topics: ['writing many reviews at once', 'a report who is underperforming', 'calibration meetings', 'ratings forced onto a curve', 'self-assessments nobody takes seriously', 'a performance improvement plan'],
    situations: [
      'Review season starts in {weeks} weeks and I have to write reviews for {many} people, two of whom joined mid-cycle.',
      'A {report} on my team has missed most commitments for {months} months, and I have never written it down properly.',
      'In calibration, the managers who argue loudest get better ratings for their people, and mine lose out.',
      'We have to fit ratings to a curve, and on a team of {team} that means someone good gets a middling score.',
      'Our self-assessments are either one line long or read like a sales pitch.',
      'HR wants me to start an improvement plan for someone who I think mostly needs clearer expectations.',
    ],
    constraints: [
      'The review template has {n} competencies, and half of them do not apply to our roles.',
      'Ratings are tied directly to bonuses, so every conversation is tense.',
      'I inherited this team {months} months ago and have little evidence from before that.',
    ],
    tried: [
      'I kept a notes file on each person, but stopped updating it after a few weeks.',
      'I asked peers for written feedback, and most of it was too vague to use.',
      'I gave honest feedback in the review itself, and the person said it was the first time they had heard it.',
      'We tried lighter quarterly check-ins, but the annual review still exists on top of them.',
    ],
    asks: [
      'How do you prepare for calibration so your people are judged on evidence?',
      'How do you write a fair review when there is little documented history?',
      'When is an improvement plan the right tool, and when is it just a formality?',
    ],
    advice: [
      'Nothing in a review should be a surprise; if something would be, have that conversation this week, before the document.',
      'Keep a short monthly note per person with two or three concrete examples; writing reviews then takes an hour instead of a weekend.',
      'Go into calibration with one paragraph per person: the impact, the evidence, and how it compares with the level description.',
      'Before an improvement plan, write the expectations down and agree on them in a one-on-one; often that alone fixes it.',
      'Ask for peer feedback with specific questions, such as what the person should keep doing and the one thing they should change.',
      'Separate the development conversation from the rating conversation, ideally by a few days.',
      'If the template does not fit your roles, say so in writing and use the competencies that do apply; committees usually accept that.',
      'For people who joined mid-cycle, review against the goals you set when they arrived, not against the whole year.',
    ],
  },
  feedback: {
    description: 'Giving and receiving feedback, from praise to difficult messages, in every direction.',
    topics: ['a report who interrupts everyone', 'feedback that does not land', 'upward feedback to my manager', 'feedback in a culture that avoids conflict', 'a report who takes feedback personally', 'only giving feedback when things go wrong'],
    situations: [
      'A {report} on my team regularly interrupts colleagues in meetings, and I have been putting off the conversation for {weeks} weeks.',
      'I gave what I thought was clear feedback, and {weeks} weeks later nothing has changed.',
      'My own manager often changes priorities mid-sprint, and I want to tell them how it affects the team.',
      'Our team culture is very polite, and criticism only comes out in private chats afterwards.',
      'One person on my team hears every piece of feedback as a threat to their job.',
      'My team of {team} told me I only give feedback when something goes wrong.',
    ],
    constraints: [
      'The person is more experienced than me in their field.',
      'We only ever see each other on video calls.',
      'Some stakeholders like the behaviour, which makes it harder to name.',
    ],
    tried: [
      'I used the situation-behaviour-impact format, but it came across as a script.',
      'I tried the feedback sandwich, and the person only heard the praise.',
      'I raised it in a retrospective to keep it impersonal, and it got lost.',
      'I wrote it in a message so it was clear, which made it feel far more serious than I intended.',
    ],
    asks: [
      'How do you give feedback that actually changes behaviour?',
      'How would you phrase this without putting them on the defensive?',
      'How do you build a habit of feedback in the whole team, not just from the manager?',
    ],
    advice: [
      'Give feedback within a day or two and about one specific moment; old and general feedback is easy to dismiss.',
      'Describe what you saw and its effect, then ask for their view before you suggest anything.',
      'Drop the sandwich: say the hard part plainly and kindly, and give praise separately when it is earned.',
      'Agree on one concrete next step and a date to look at it together, otherwise the conversation fades.',
      'Ask for feedback on yourself first and act on it visibly; the team copies what you model.',
      'For upward feedback, frame it around the team\'s results and bring a proposal, not only a complaint.',
      'Make praise as specific as criticism, naming the action and why it mattered.',
      'Have the conversation live, even on video, and send a short written summary afterwards.',
    ],
  },
  'remote-work': {
    description: 'Leading distributed, hybrid and fully remote teams.',
    topics: ['a team across {n} time zones', 'hybrid teams where remote people are left out', 'loneliness in a remote team', 'pressure to return to the office', 'always-on chat', 'leading people I have never met'],
    situations: [
      'My team of {team} is spread over {n} time zones, and there are only {hours} hours a day when everyone is online.',
      'Since we went hybrid, people in the office make decisions at the coffee machine and the remote people find out later.',
      'Two remote team members told me they feel isolated and barely talk to anyone outside meetings.',
      'Leadership wants everyone in the office {n} days a week, and {pct}% of my team were hired as fully remote.',
      'Our chat channels are busy all day, and people feel they must reply instantly.',
      'I have never met half of my team in person, and I find it hard to tell how they are doing.',
    ],
    constraints: [
      'The travel budget for meetups was cut this year.',
      'Some people work from places with unreliable internet.',
      'Our tools are a mix of whatever each team picked over the years.',
    ],
    tried: [
      'We tried a virtual coffee roulette, which faded after {weeks} weeks.',
      'I rotated meeting times weekly to share the inconvenience, but it confused everyone.',
      'We wrote a communication charter that nobody refers to anymore.',
      'I added a daily video standup, and the team said it felt like attendance control.',
    ],
    asks: [
      'How do you keep remote people included when part of the team shares an office?',
      'Which async habits actually stuck in your teams?',
      'How do you notice that a remote person is struggling before it is too late?',
    ],
    advice: [
      'If one person is remote, everyone joins from their own laptop; it is the simplest fix for hybrid meetings.',
      'Write decisions down in one place, and treat a decision that is not written there as not made.',
      'Agree on expected response times per channel so people can stop watching chat all day.',
      'Protect the overlap hours for real conversation and move status updates into writing.',
      'Meet in person once or twice a year if at all possible, and spend that time on relationships rather than on work you could do remotely.',
      'Ask about workload and energy explicitly in one-on-ones; on video you miss the signals you would notice in an office.',
      'Rotate the inconvenient meeting slot each quarter, not each week, so people can plan their lives.',
      'Keep one informal channel with no work topics; it needs a couple of people to get it going, then it runs itself.',
    ],
  },
  budgeting: {
    description: 'Planning, tracking and defending budgets, headcount and spending.',
    topics: ['a budget cut', 'next year\'s budget with uncertain headcount', 'tooling spend', 'owning a budget for the first time', 'the training budget', 'a contractor budget'],
    situations: [
      "Finance asked me to cut {pct}% from next year's budget, and most of it is salaries.",
      'I have to submit a budget by the end of {quarter} without knowing whether the {n} roles I asked for will be approved.',
      'Our software licences have grown to about {k}k a year and nobody knows which ones are still used.',
      'I have just been given a budget of {k}k for the first time and have no idea how to track it.',
      'We spent the training budget in the first quarter, and now people ask me for conferences I cannot pay for.',
      'We rely on {n} contractors, and finance wants to know why we do not hire employees instead.',
    ],
    constraints: [
      'The finance team changes the template every year.',
      'Any spending above {k}k needs sign-off from the CFO.',
      'Our fiscal year does not match the planning cycle of the product teams.',
    ],
    tried: [
      'I submitted a single figure last year, and it was cut across the board.',
      'I kept a simple spreadsheet, but within two months it no longer matched what finance reports.',
      'We did a licence audit once, but nobody owned the follow-up.',
      'I asked for a contingency line, and finance removed it immediately.',
    ],
    asks: [
      'How do you build a budget that survives when headcount is uncertain?',
      'How do you argue for spending in terms finance listens to?',
      'What is a simple way to track spending month by month?',
    ],
    advice: [
      'Present three scenarios (flat, moderate growth and a freeze) and say what the team delivers in each; a cut then becomes a choice of scenario.',
      'Tie each budget line to an outcome leadership already cares about, not to a team need.',
      'Review spending monthly with your finance partner for thirty minutes; the surprises happen in the months you skip.',
      'Give every licence an owner and cancel anything without one after a month of warning.',
      'Split the training budget into a fixed amount per person per half year so it does not run out in spring.',
      'Compare contractor costs with fully loaded employee costs, including recruiting and onboarding time; the gap is often smaller than finance assumes.',
      'Ask finance which numbers they look at first and make those the clearest part of your submission.',
    ],
  },
  'roadmap-planning': {
    description: 'Deciding what the team works on next and sequencing that work over the quarters.',
    topics: ['quarterly planning', 'too many incoming requests', 'technical debt on the roadmap', 'a roadmap that is out of date within weeks', 'sales promising unplanned features', 'planning with a new product manager'],
    situations: [
      'We planned {n} big initiatives for {quarter} and will finish maybe half of them, like last quarter.',
      'Every team in the company sends us requests, and our roadmap has turned into a queue.',
      'The engineers want {pct}% of the time for technical debt, and product wants none of it.',
      'Our roadmap looks {months} months ahead, and by the second month it is out of date.',
      'Sales keeps promising customers features that are not on the roadmap.',
      'I am planning with a new product manager who prefers detailed specs, while the team likes to discover as it goes.',
    ],
    constraints: [
      'Leadership wants dates for everything, even exploratory work.',
      'We share a platform team with {n} other product teams.',
      'About {pct}% of our capacity goes to support and maintenance.',
    ],
    tried: [
      'We scored everything with a prioritisation framework, but people gamed the scores.',
      'We reserved a fixed share for tech debt, and it was the first thing cut under pressure.',
      'We moved to a now-next-later roadmap, but leadership still asks for dates.',
      'I started saying no to requests, which made me the blocker in everyone\'s eyes.',
    ],
    asks: [
      'How do you plan a quarter the team can actually deliver?',
      'How do you make trade-offs visible to people outside the team?',
      'How do you handle requests that arrive in the middle of a quarter?',
    ],
    advice: [
      'Plan for about {pct}% less than the team\'s theoretical capacity; support, illness and surprises always use it up.',
      'Keep requests in one visible, ordered list, and let the requesters argue about the order instead of arguing with you.',
      'Give dates only for committed work and ranges for everything else, and say clearly which is which.',
      'Agree on a standing share of capacity for technical debt and report on it like any other goal.',
      'Review the roadmap monthly with sales and support so promises are made from the same page.',
      'For each initiative, write down what you will stop or delay to make room for it.',
      'Let mid-quarter requests wait for the next planning session unless someone senior accepts the trade-off in writing.',
    ],
  },
  'stakeholder-management': {
    description: 'Working with executives, peers and other teams that depend on you or that you depend on.',
    topics: ['a VP who bypasses me', 'a peer team that keeps missing commitments', 'status reporting to executives', 'a new executive with different expectations', 'stakeholders with opposite demands', 'managing up'],
    situations: [
      'A VP regularly asks my engineers for things directly, and I only find out when the work is already underway.',
      'My team depends on a peer team that has missed {n} of its recent commitments to us.',
      'I send a weekly status update to {n} stakeholders, and none of them seems to read it.',
      'A new executive joined {weeks} weeks ago and wants weekly numbers on things we have never measured.',
      'Two senior stakeholders want opposite things from my team, and each expects me to side with them.',
      'My manager hears about problems in my area from other people before hearing them from me.',
    ],
    constraints: [
      'The stakeholders are several levels above me.',
      'The relationship with that team has a long and difficult history.',
      'Most of the decisions happen in meetings I am not invited to.',
    ],
    tried: [
      'I asked the VP to go through me, which worked for about {weeks} weeks.',
      'I escalated the dependency to my manager, and it made the relationship with the peer team worse.',
      'I replaced the status mails with a dashboard, but nobody looks at it.',
      'I set up a monthly stakeholder meeting, which turned into a forum for complaints.',
    ],
    asks: [
      'How do you handle a senior person who bypasses you without damaging the relationship?',
      'How do you get two stakeholders to settle the conflict between their priorities?',
      'What does a status update that executives actually read look like?',
    ],
    advice: [
      'Meet the stakeholder one to one and ask what they need and why; bypassing usually means the normal route feels too slow to them.',
      'When two stakeholders disagree, write down both requests with their trade-offs and ask them to decide together rather than deciding for them.',
      'Keep status updates to three lines: what changed, what is at risk, and what you need from the reader.',
      'Agree on the dependency in writing with the other manager, including what happens when a date slips.',
      'Tell your manager bad news first and early, together with what you are doing about it.',
      'Map stakeholders by how much they are affected and how much influence they have, and spend your time accordingly.',
      'Before escalating, tell the other party what you will escalate and why; it keeps the relationship intact.',
    ],
  },
  'burnout-and-wellbeing': {
    description: 'Spotting and preventing overload, stress and burnout, in the team and in yourself.',
    topics: ['a team after a long crunch', 'a report working late every night', 'my own exhaustion as a manager', 'someone returning from sick leave', 'messages after hours', 'workload after layoffs'],
    situations: [
      'After {months} months of pushing for a launch, the team is visibly exhausted and two people have mentioned job hunting.',
      'A {report} has been working late most nights for {weeks} weeks and says they are fine.',
      'I have been working {hours}-hour days for weeks, and I am short with my team in a way I do not like.',
      'Someone on my team is coming back after {weeks} weeks of sick leave, and I want to get it right.',
      'People send messages late in the evening, and others feel they must answer straight away.',
      'We lost {pct}% of the team in layoffs, and the same amount of work is still expected.',
    ],
    constraints: [
      'The deadlines come from a customer contract and cannot move.',
      'The company offers an employee assistance hotline and nothing else.',
      'I am not sure how much I am allowed to ask about someone\'s health.',
    ],
    tried: [
      'I told people to take time off, but nobody does while the backlog is this long.',
      'We introduced no-meeting Fridays, which slowly filled up with meetings again.',
      'I tried to absorb the extra work myself, which is how I got into this state.',
      'I asked in the retrospective how people were doing, and everybody said fine.',
    ],
    asks: [
      'How do you tell real burnout from a rough couple of weeks?',
      'What can a manager actually do when the workload itself cannot shrink?',
      'How do you look after yourself without letting the team down?',
    ],
    advice: [
      'Cut scope visibly and in writing; telling people to rest while the workload stays the same does not work.',
      'Watch for changes rather than states: someone who used to be engaged and has gone quiet deserves a private check-in.',
      'Log off on time and take your own holidays, because the team copies what you do, not what you say.',
      'For a return from sick leave, agree on a gradual plan with them and with HR, and check in weekly on how it is going.',
      'Schedule late messages to send in the morning, and say openly that you do not expect replies outside working hours.',
      'After layoffs, stop some work explicitly and tell stakeholders what will no longer happen.',
      'Find one person outside your reporting line to talk to regularly; managers burn out quietly too.',
      'Ask what the single most draining thing is right now, and remove that one thing first.',
    ],
  },
  'conflict-resolution': {
    description: 'Tensions and disagreements between people on a team or between teams.',
    topics: ['two senior engineers who cannot work together', 'conflict between product and engineering', 'a merged team split into two camps', 'a complaint about a colleague', 'passive-aggressive code reviews', 'a disagreement that turned personal'],
    situations: [
      'Two senior people on my team disagree on almost every technical decision, and the others have started avoiding both of them.',
      'Product and engineering in my area blame each other for the last {n} missed deadlines.',
      'Two teams were merged {months} months ago, and people still talk about "us" and "them".',
      'A {report} complained to me about a colleague\'s tone and asked me not to say it came from them.',
      'Code reviews have become the place where people settle scores, with dozens of comments on small changes.',
      'A disagreement in a meeting last week turned personal, and the two people involved have not spoken since.',
    ],
    constraints: [
      'Both people are strong performers I do not want to lose.',
      'One of them reports to me and the other does not.',
      'HR only gets involved when there is a formal complaint.',
    ],
    tried: [
      'I talked to both separately, and each left convinced I agreed with them.',
      'I made the decision myself to end the argument, and the person who lost it disengaged.',
      'We ran a team workshop on communication, which everyone found awkward.',
      'I waited for it to blow over, and it did not.',
    ],
    asks: [
      'How do you mediate between two people without taking sides?',
      'When should a manager step in, and when should people work it out themselves?',
      'How do you rebuild trust in a team after a conflict like this?',
    ],
    advice: [
      'Meet each person separately first to listen, then bring them together with a clear goal for the conversation.',
      'Move the discussion from who is right to what the team needs, and agree on the decision criteria before the decision.',
      'Agree on who decides what, so technical debates end in a decision rather than a stalemate.',
      'Address behaviour, not personality, and name the specific review comments or meeting moments that crossed the line.',
      'If a complaint must stay anonymous, observe the behaviour yourself before acting, so the conversation rests on what you saw.',
      'Give the two camps shared goals; people stop drawing lines once they depend on each other to succeed.',
      'Step in early, because conflicts left alone for weeks spread into the rest of the team.',
    ],
  },
  'career-growth': {
    description: 'Promotions, career paths, growth plans and keeping good people.',
    topics: ['a report who wants a promotion I cannot give', 'career paths for senior engineers', 'growth plans that go nowhere', 'keeping a strong performer', 'growth in a flat organisation', 'a report who wants to become a manager'],
    situations: [
      'A {report} has asked for a promotion for the second cycle in a row, and I do not think they are at the next level yet.',
      'Our senior engineers feel the only way up is management, and {n} of them have asked me about it.',
      'Every growth plan I write is forgotten after {weeks} weeks.',
      'One of my best people has an outside offer with a {pct}% raise, and I have {days} days to respond.',
      'We are a flat organisation of about {people} people, so there are few titles to grow into.',
      'A report wants to move into management, and no management role will open in the next year.',
    ],
    constraints: [
      'Promotions are decided by a committee I am not part of.',
      'Salary increases are capped at {pct}% this year.',
      'Our career framework was written for a much bigger company.',
    ],
    tried: [
      'I gave the person stretch projects, but they saw them as extra work without recognition.',
      'We wrote a career ladder, which nobody outside engineering understands.',
      'I made a counter-offer once, and the person left six months later anyway.',
      'I set quarterly growth goals, but delivery work always pushed them aside.',
    ],
    asks: [
      'How do you have an honest conversation about not being ready yet?',
      'How do you create growth without new titles or roles?',
      'What does a growth plan look like that people actually follow?',
    ],
    advice: [
      'Say plainly what is missing for the next level, with two or three examples of what it would look like, and agree on how you will both know it is there.',
      'Build a technical track with the same weight as management, and make sure at least one person is visibly promoted on it.',
      'Let people who want to manage try it first, by mentoring a new hire, running a project or leading a rotation.',
      'Tie growth goals to work already on the roadmap so they do not compete with delivery.',
      'Before any counter-offer, ask what made them look outside; money is rarely the only reason.',
      'Review growth plans in one one-on-one each month, not only at review time.',
      'Give visibility as well as work: presenting their results to leadership counts for more than another stretch task done quietly.',
    ],
  },
  'team-structure': {
    description: 'How teams are split, sized, merged and reorganised, and who reports to whom.',
    topics: ['splitting a team that has grown too big', 'too many direct reports', 'component teams versus feature teams', 'designing a new structure', 'creating a platform team', 'the aftermath of a reorg'],
    situations: [
      'My team has grown to {many} people; standups take twenty minutes and nobody knows what the others are doing.',
      'I have {many} direct reports and no real time for any of them.',
      'We are organised by component, so every feature needs {n} teams to coordinate.',
      'Leadership asked me to propose a new structure for {people} people by the end of {quarter}.',
      'We are thinking about creating a platform team, but I am afraid it will become a bottleneck.',
      'After the last reorg, {n} people ended up with managers they had never worked with.',
    ],
    constraints: [
      'Some people have strong opinions about who they will and will not work with.',
      'We cannot add managers, only reshuffle the ones we have.',
      'The product direction keeps changing, so any split might be wrong within a year.',
    ],
    tried: [
      'We split the team in two once, and the halves ended up duplicating work.',
      'I appointed informal team leads, which created confusion about who decides what.',
      'We tried a matrix structure, and people ended up with two bosses and no clear priorities.',
      'I asked the team to design the split themselves, and the discussion went round in circles.',
    ],
    asks: [
      'How do you decide where to split a team?',
      'How many direct reports is too many, in your experience?',
      'How do you announce a reorg without losing people?',
    ],
    advice: [
      'Split along the product areas the business cares about, so each team can ship without waiting for the others.',
      'Past roughly eight direct reports, one-on-ones and coaching suffer; add a lead layer or split the team.',
      'Give each new team a one-sentence mission and write down which decisions it owns.',
      'Talk to everyone affected individually before the announcement, so nobody learns about their new manager from a slide.',
      'Have a platform team serve the product teams through clear interfaces and a request process, and measure it on their satisfaction.',
      'Say upfront that you will review the structure after {months} months; people accept change more easily when it can be corrected.',
      'Where you can, keep pairs of people who work well together on the same team; those relationships matter more than the chart.',
    ],
  },
  'incident-management': {
    description: 'Handling outages and operational crises: on-call, incident roles and postmortems.',
    topics: ['on-call fatigue', 'blameless postmortems', 'communication during an outage', 'repeated incidents with the same cause', 'an outage caused by a new hire', 'on-call for a small team'],
    situations: [
      'We had {n} major incidents last month, and the same few people were paged every time.',
      'Our postmortems turn into finding out whose fault it was, and people are getting defensive.',
      'During the last outage, customers learned about it on social media before our status page was updated.',
      'The same database problem has caused {n} incidents in {months} months, and the fix keeps losing out to features.',
      'A {report} who joined {weeks} weeks ago caused a production outage and is now afraid to deploy.',
      'Our on-call rotation has only {n} people, so everyone is on call far too often.',
    ],
    constraints: [
      'Some customers have strict response times in their contracts.',
      'The monitoring was set up by someone who has since left.',
      'Leadership joins the incident channel and asks for updates every few minutes.',
    ],
    tried: [
      'We introduced a postmortem template, but the action items are rarely completed.',
      'We added more alerts, and now people ignore most of them.',
      'I joined every incident myself for a while, which does not scale.',
      'We started paying an on-call allowance, which helped morale but not the number of pages.',
    ],
    asks: [
      'How do you run postmortems that lead to real changes?',
      'How do you make on-call sustainable for a small team?',
      'Who should communicate what during an incident?',
    ],
    advice: [
      'Name an incident lead and a separate communications person in every incident; whoever is fixing the problem should not also write updates.',
      'Track postmortem action items in the same backlog as features, each with an owner and a date.',
      'Write postmortems about the system and the decisions that led there, never about one person\'s mistake.',
      'Delete or downgrade every alert that nobody acted on in the last month.',
      'Give leadership a fixed update interval, such as every thirty minutes, so they stay out of the working channel.',
      'If you are fewer than five people, share the rotation with a neighbouring team so each person is on call at most once a month.',
      'Tell the person who caused an outage, in front of the team, that the process allowed it and the process will be fixed.',
      'When one cause keeps coming back, reserve capacity for the real fix and tell stakeholders which feature waits for it.',
    ],
  },
  'meetings-and-rituals': {
    description: 'Standups, retrospectives, planning sessions and the other routines of a team.',
    topics: ['standups that drag on', 'retrospectives that feel pointless', 'too many meetings', 'a team without rituals', 'long planning meetings', 'meeting-free days'],
    situations: [
      'Our daily standup with {many} people takes {minutes} minutes and turns into problem solving.',
      'Our retrospectives surface the same issues every time, and nothing changes.',
      'My calendar has about {hours} hours of meetings a day, and my team\'s is not much better.',
      'The team I inherited has no regular rituals at all, and people work in silos.',
      'Our sprint planning takes half a day and everyone leaves drained.',
      'We introduced a meeting-free day {months} months ago, and it is already full of exceptions.',
    ],
    constraints: [
      'Some meetings are required by a company-wide process we cannot change.',
      'Part of the team is in a time zone where our meetings land in their evening.',
      'The product manager and I disagree on which meetings are essential.',
    ],
    tried: [
      'We tried written standups in chat, and people stopped reading them.',
      'We changed the retrospective format every time, which was fun but fixed nothing.',
      'I cancelled all recurring meetings for a week, which ended in chaos.',
      'We timeboxed the planning meeting, and the unfinished parts spilled into more meetings.',
    ],
    asks: [
      'Which rituals are worth keeping, and which can go?',
      'How do you make retrospectives lead to change?',
      'How do you run a standup that stays short?',
    ],
    advice: [
      'Limit the standup to what is blocked and what needs a second person, and take problem solving to a smaller group right after.',
      'Pick only one action per retrospective, give it an owner, and open the next retro by checking on it.',
      'Review every recurring meeting each quarter and drop the ones nobody would miss.',
      'Start with two rituals, a weekly planning and a fortnightly retro, and add more only when a need shows up.',
      'Prepare planning in writing a day ahead, so the meeting is for decisions rather than for reading.',
      'Protect the meeting-free day by declining invitations on behalf of the team, and ask them to do the same.',
      'Rotate the facilitator so the meetings belong to the team rather than to the manager.',
    ],
  },
};

/** Sentences that fit any tag: extra constraints and closing questions for problems. */
export const GENERIC_CONSTRAINTS = [
  'My own manager is supportive but has no time to help.',
  'We are in the middle of a hiring freeze.',
  'The team is split across {n} time zones.',
  'I have only been managing this team for {months} months.',
  'We have a big release in {weeks} weeks, so everything else competes with that.',
  'The company is about {people} people and growing fast.',
  'There is essentially no budget for outside help this year.',
];

export const GENERIC_ASKS = [
  'What has worked for you?',
  'Any concrete examples or templates would be very welcome.',
  'How would you approach this?',
  'Is this normal, or am I missing something obvious?',
  'I would love to hear what you tried and what you would not do again.',
];

/** Answer openers and closers, and the vaguer advice a non-expert tends to give. */
export const ANSWER_OPENERS = [
  'We had almost the same situation last year.',
  'Been there, with a team of about the same size.',
  'Here is what worked for us.',
  'This is more common than it feels.',
  'I would start small.',
  'We went through this twice, so here is my take.',
];

export const ANSWER_CLOSERS = [
  'Happy to share our template if that helps.',
  'Give it a few weeks before judging whether it works.',
  'Let us know how it goes.',
  'Curious what others think, but that is what worked for us.',
  'Feel free to message me if you want to go through it in detail.',
];

export const GENERIC_ADVICE = [
  'I would talk to your own manager early so they are not surprised later.',
  'Write down what you want to be true in three months and work backwards from there.',
  'Ask the team directly; they usually know more about the problem than we think.',
  'Change one thing at a time so you can tell what actually helped.',
  'Look for someone in another department who solved something similar and buy them a coffee.',
];
