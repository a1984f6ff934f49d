"""Word lists used by the attribution rules (plain data, cheap to import).

Everything is lower-case. Lists are deliberately small and explicit: a cue that is not here is not
recognised, and adding one is a one-line change documented in ``docs/attribution.md``.
"""

from __future__ import annotations

import re

__all__ = [
    "ANON_DETERMINERS",
    "BOOSTERS",
    "CONDITIONALS",
    "CUE_VERBS",
    "DOCUMENT_HEADS",
    "FEMALE_NAMES",
    "GROUP_WORDS",
    "HEDGES",
    "INSTITUTION_HEADS",
    "MALE_NAMES",
    "PERSON_NOUNS",
    "PRONOUNS",
    "REFUSAL_RE",
    "ROLE_WORDS",
    "TITLE_WORDS",
]

#: Reporting verbs and nouns that introduce speech. ``according`` is handled as ``according to``.
CUE_VERBS: frozenset[str] = frozenset(
    """
    say says said saying tell tells told add adds added note notes noted warn warns warned
    state states stated explain explains explained argue argues argued claim claims claimed
    insist insists insisted believe believes believed report reports reported write writes wrote
    suggest suggests suggested acknowledge acknowledges acknowledged confirm confirms confirmed
    deny denies denied allege alleges alleged assert asserts asserted stress stresses stressed
    maintain maintains maintained contend contends contended announce announces announced
    describe describes described call calls called estimate estimates estimated
    think thinks thought predict predicts predicted observe observes observed
    recall recalls recalled conclude concludes concluded reveal reveals revealed
    emphasise emphasises emphasised emphasize emphasizes emphasized
    caution cautions cautioned indicate indicates indicated show shows showed
    calling describing according
    """.split()
)

#: Cues that make the statement itself less certain (``X believes …``, ``reports suggest …``).
HEDGING_CUES: frozenset[str] = frozenset(
    "believe believes believed suggest suggests suggested think thinks thought estimate estimates "
    "estimated allege alleges alleged claim claims claimed".split()
)

#: Refusals to speak: the statement's stance is ``declines``.
REFUSAL_RE = re.compile(
    r"\b(?:declined|declines|decline|refused|refuses|refuse)\s+(?:to\s+)?(?:comment|confirm|deny|give\s+specifics|"
    r"give\s+details|elaborate|discuss|say|speak|answer|respond|provide\s+details|be\s+drawn|specify|"
    r"name|identify|disclose)\w*(?:\s+(?:on|details|specifics))?"
    r"|\b(?:would|could)\s+not\s+(?:confirm|comment|say|elaborate|discuss|disclose|specify)\b"
    r"|\bwouldn['’]t\s+(?:confirm|comment|say|elaborate)\b"
    r"|\b(?:did\s+not|didn['’]t)\s+respond\s+to\s+(?:a\s+)?requests?\s+for\s+comment"
    r"|\bcould\s+not\s+be\s+reached\s+for\s+comment"
    r"|\bno\s+comment\b",
    re.IGNORECASE,
)

PRONOUNS: dict[str, str] = {
    "he": "m",
    "she": "f",
    "they": "p",
    "it": "n",
    "we": "p",
    "i": "s",
}

#: Nouns naming people as sources: ``the official``, ``one diplomat``.
PERSON_NOUNS: frozenset[str] = frozenset(
    """
    official officials source sources diplomat diplomats officer officers spokesperson spokesman
    spokeswoman spokespeople analyst analysts expert experts person people insider insiders
    aide aides adviser advisers advisor advisors minister ministers commander commanders member members
    resident residents witness witnesses researcher researchers investigator investigators
    consultant consultants employee employees staff staffer staffers lawmaker lawmakers
    """.split()
)

#: Determiners that introduce an anonymous, not-yet-known source.
ANON_DETERMINERS: frozenset[str] = frozenset("a an one some two three several many few other another senior".split())

#: Heads of noun phrases naming institutions.
INSTITUTION_HEADS: frozenset[str] = frozenset(
    """
    ministry commission agency office council department government army police committee
    authority authorities service services embassy secretariat court parliament cabinet directorate
    command bureau institute center centre organisation organization company firm group alliance
    union movement front party coalition administration presidency military navy
    """.split()
)

#: Heads of noun phrases naming documents (reports cited as sources).
DOCUMENT_HEADS: frozenset[str] = frozenset(
    "report reports study studies assessment assessments document documents memo memos paper papers "
    "review survey analysis dossier briefing cable cables estimate audit filing filings".split()
)

#: Words that make an ORG/NORP name an armed or political group.
GROUP_WORDS: frozenset[str] = frozenset(
    """
    brigade brigades front units unit army militia militias movement battalion battalions
    regiment legion guard guards faction factions rebels insurgents jihad mujahideen
    liberation resistance forces force squadron cell cells network party
    """.split()
)

#: Titles and ranks stripped from the front of person names (lower-case, without dots).
TITLE_WORDS: frozenset[str] = frozenset(
    """
    mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister deputy
    secretary general gen maj major col colonel lt lieutenant capt captain sgt sergeant cpl corporal
    adm admiral cmdr commander brig brigadier gov governor sen senator rep representative
    ambassador chief chairman chairwoman chair director spokesperson spokesman spokeswoman
    foreign defence defense interior finance justice state army navy air marshal field
    sheikh imam rev reverend judge justice mayor king queen prince princess crown
    pvt private officer inspector superintendent consultant analyst expert founder ceo
    """.split()
)

#: Role words looked for next to a name ("consultant", "spokesperson", ...).
ROLE_WORDS: frozenset[str] = frozenset(
    """
    consultant spokesperson spokesman spokeswoman expert analyst researcher founder director
    minister president commander official officer ambassador adviser advisor journalist reporter
    editor professor lecturer chief head chairman chairwoman ceo secretary general major colonel
    lieutenant captain sergeant admiral governor senator author correspondent fellow
    """.split()
)

HEDGES: tuple[str, ...] = (
    "will most likely",
    "most likely",
    "it is unclear",
    "it was unclear",
    "it remains unclear",
    "is unclear",
    "unclear",
    "may",
    "might",
    "could",
    "likely",
    "unlikely",
    "possibly",
    "possible",
    "perhaps",
    "probably",
    "reportedly",
    "allegedly",
    "alleged",
    "purportedly",
    "suggests",
    "suggest",
    "suggested",
    "believed",
    "believes",
    "appears",
    "appear",
    "apparently",
    "seems",
    "seem",
    "unconfirmed",
    "hypothetical",
    "speculative",
    "estimated",
    "rumoured",
    "rumored",
)

BOOSTERS: tuple[str, ...] = (
    "clearly",
    "certainly",
    "undoubtedly",
    "without doubt",
    "beyond doubt",
    "definitely",
    "obviously",
    "no doubt",
    "indisputably",
    "unquestionably",
    "conclusively",
)

CONDITIONALS: tuple[str, ...] = ("if", "unless", "would", "provided that", "in the event", "as long as")

FEMALE_NAMES: frozenset[str] = frozenset(
    """
    jane ann anna anne mary maria marie sarah sara elena helena lena eva emma olivia sophia sophie
    julia laura lucy nina irina olga fatima aisha amina leila layla yasmin zara nadia mona rania
    grace alice clara claire rose ruth rachel hannah lisa linda susan karen helen kate katherine
    catherine elizabeth margaret ingrid greta astrid marta petra vera ida nora tara mira dana
    """.split()
)

MALE_NAMES: frozenset[str] = frozenset(
    """
    john james tom thomas peter paul mark marek michael david daniel robert richard william
    george jack henry adam ivan igor dmitri sergei viktor victor omar ahmed ahmad mohammad
    muhammad mohammed mohamed ali hassan hussein karim yusuf youssef ibrahim khalid tariq
    luis carlos jose juan pedro felix hans karl otto erik lars jan pavel tomas anton
    sean shawn liam owen ryan kevin brian patrick joe sam ben max leo noah luke simon oscar hugo victor dan bob tim jim
    """.split()
)
