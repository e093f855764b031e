"""A survey's questions in the languages its forms are written in: the NPS question (its
score), the open questions (the comment), the respondent's company and address.

Survey tools (Typeform, SurveyMonkey, Google Forms, Microsoft Forms) name each column by its
question, in the form's language: "Hoe waarschijnlijk is het dat je … zou aanbevelen?", "Wat
is de belangrijkste reden voor je score?", "Bij welk bedrijf werk je?". Names are compared as
`imports.fields.normalise` gives them (lower case, accents off, words joined by "_"); one
ending in "*" fits any name that starts with it.
"""

import re
import unicodedata
from collections.abc import Mapping

from huddle.imports.fields import question_words

# The NPS question ("How likely are you to recommend …") and the satisfaction question, in
# German, Spanish, French, Dutch, Italian and Portuguese.
SCORE_QUESTIONS = (
    # German: "Wie wahrscheinlich ist es, dass Sie … weiterempfehlen?"
    "wie_wahrscheinlich*",
    "mit_welcher_wahrscheinlichkeit*",
    "wie_gross_ist_die_wahrscheinlichkeit*",
    "wurden_sie_uns_weiterempfehlen*",
    # Spanish: "¿Qué probabilidad hay de que recomiendes …?"
    "que_probabilidad*",
    "que_tan_probable*",
    "con_que_probabilidad*",
    "cual_es_la_probabilidad*",
    "recomendarias*",
    # French: "Quelle est la probabilité que vous recommandiez … ?"
    "quelle_est_la_probabilite*",
    "quelle_probabilite*",
    "dans_quelle_mesure*",
    "recommanderiez_vous*",
    # Dutch: "Hoe waarschijnlijk is het dat je … zou aanbevelen?"
    "hoe_waarschijnlijk*",
    "hoe_groot_is_de_kans*",
    "in_hoeverre_zou*",
    # Italian: "Quanto è probabile che tu consigli … ?"
    "quanto_e_probabile*",
    "con_quale_probabilita*",
    "qual_e_la_probabilita*",
    "quale_e_la_probabilita*",
    "quanto_consiglieresti*",
    "quanto_raccomanderesti*",
    "consiglieresti*",
    # Portuguese: "Qual é a probabilidade de você recomendar … ?"
    "qual_e_a_probabilidade*",
    "qual_a_probabilidade*",
    "com_que_probabilidade*",
    "quao_provavel*",
    "o_quanto_voce_recomendaria*",
    "voce_recomendaria*",
    "recomendaria*",
    # Satisfaction, in their words.
    "satisfaction*",
    "zufriedenheit*",
    "satisfaccion*",
    "tevredenheid*",
    "soddisfazione*",
    "satisfacao*",
)

# The open questions whose answers are the comment: the reason for the score, what to do
# better, anything else.
OPEN_QUESTIONS = (
    # German: "Was ist der wichtigste Grund für Ihre Bewertung?", "Was können wir besser
    # machen?", "Gibt es noch etwas, das Sie uns mitteilen möchten?"
    "was_ist_der_wichtigste_grund*",
    "was_ist_der_hauptgrund*",
    "was_ist_der_grund*",
    "warum*",
    "kommentar*",
    "anmerkung*",
    "bemerkung*",
    "begrundung*",
    "was_konnen_wir*",
    "was_konnten_wir*",
    "was_sollten_wir*",
    "wie_konnen_wir*",
    "gibt_es_noch*",
    "mochten_sie_uns*",
    # Spanish: "¿Cuál es el motivo principal de tu puntuación?", "¿Qué podríamos mejorar?"
    "cual_es_el_motivo*",
    "cual_es_el_principal_motivo*",
    "cual_es_la_razon*",
    "cual_es_la_principal_razon*",
    "por_que*",
    "comentario*",
    "que_podriamos*",
    "que_podemos*",
    "como_podemos*",
    "como_podriamos*",
    "hay_algo*",
    "algo_mas*",
    # French: "Quelle est la principale raison de votre note ?", "Que pourrions-nous
    # améliorer ?", "Avez-vous d'autres commentaires ?"
    "quelle_est_la_raison*",
    "quelle_est_la_principale_raison*",
    "quelle_raison*",
    "pourquoi*",
    "commentaire*",
    "remarque*",
    "que_pourrions_nous*",
    "que_pouvons_nous*",
    "comment_pourrions_nous*",
    "comment_pouvons_nous*",
    "y_a_t_il*",
    "avez_vous_d_autres*",
    # Dutch: "Wat is de belangrijkste reden voor je score?", "Is er nog iets dat we beter
    # kunnen doen?", "Wat kunnen we verbeteren?"
    "wat_is_de_belangrijkste_reden*",
    "wat_is_de_voornaamste_reden*",
    "wat_is_de_reden*",
    "waarom*",
    "opmerking*",
    "toelichting*",
    "wat_kunnen_we*",
    "wat_zouden_we*",
    "wat_moeten_we*",
    "hoe_kunnen_we*",
    "is_er_nog_iets*",
    "heb_je_nog*",
    "heeft_u_nog*",
    # Italian: "Qual è il motivo principale del tuo punteggio?", "Cosa potremmo migliorare?",
    # "C'è qualcos'altro che vuoi dirci?"
    "qual_e_il_motivo*",
    "qual_e_il_motivo_principale*",
    "qual_e_la_ragione*",
    "quale_motivo*",
    "perche*",
    "commento*",
    "commenti*",
    "cosa_potremmo*",
    "cosa_possiamo*",
    "come_possiamo*",
    "come_potremmo*",
    "c_e_qualcos*",
    "c_e_altro*",
    # Portuguese: "Qual é o principal motivo da sua nota?", "O que podemos melhorar?"
    "qual_e_o_principal_motivo*",
    "qual_o_principal_motivo*",
    "qual_e_o_motivo*",
    "qual_o_motivo*",
    "qual_e_a_razao*",
    "qual_a_razao*",
    "porque*",
    "o_que_podemos*",
    "o_que_poderiamos*",
    "como_podemos_melhorar*",
    "ha_algo*",
    "existe_algo*",
)

# Satisfaction's word stems (a CSAT question), in English and the languages above.
_SATISFACTION = ("satisf", "zufrieden", "tevreden", "soddisf")


def satisfaction(normal: str) -> bool:
    """Whether a (normalised) question asks satisfaction: a CSAT score, not an NPS one."""
    return any(stem in normal for stem in _SATISFACTION)


def _plain(header: str) -> str:
    plain = unicodedata.normalize("NFKD", header.strip().lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


# A question asking the respondent's company: "Which company do you work for?", "Bij welk
# bedrijf werk je?", "Für welches Unternehmen arbeiten Sie?", "Pour quelle entreprise
# travaillez-vous ?", "¿En qué empresa trabajas?", "Per quale azienda lavori?", "Em qual
# empresa você trabalha?" — opening with a question word or "your" (not its size or
# industry). Compared without accents.
_OPENERS = (
    r"which|what|your|name of|"
    r"welk|welke|wat|bij welk|bij welke|voor welk|voor welke|je|jouw|uw|naam van|"
    r"welche[mnrs]?|was|wie|ihr|ihre[mnrs]?|bei welche[mnrs]?|fur welche[mnrs]?|"
    r"in welche[mnrs]?|name (des|der|ihres|ihrer)|"
    r"quel|quelle|pour quelle|pour quel|dans quelle|dans quel|votre|nom de|"
    r"que|cual|en que|para que|en cual|para cual|tu|su|nombre de|"
    r"quale|qual|per quale|in quale|presso quale|la tua|la sua|la vostra|nome (della|dell|del)|"
    r"em qual|em que|para qual|para que|sua|seu|nome da|nome do"
)
_COMPANY_WORDS = (
    r"company|organi[sz]ation|employer|firm|"
    r"bedrijf|organisatie|werkgever|onderneming|"
    r"unternehmen|firma|arbeitgeber|organisation|"
    r"entreprise|societe|employeur|"
    r"empresa|compania|organizacion|"
    r"azienda|societa|organizzazione|"
    r"organizacao"
)
_COMPANY_QUESTION = re.compile(
    rf"^\W*(?:{_OPENERS})\s+(?:\S+\s+){{0,5}}?\W*(?:{_COMPANY_WORDS})\b", re.IGNORECASE
)
# What else a question about the company asks: its size, its industry, its revenue.
_NOT_ITS_NAME = re.compile(
    r"\b(size|industry|type|revenue|sector|employees|how many|"
    r"grootte|branche|omzet|medewerkers|werknemers|hoeveel|"
    r"grosse|umsatz|mitarbeiter|wie viele|"
    r"taille|secteur|chiffre|salaries|employes|combien|"
    r"tamano|industria|ingresos|empleados|cuantos|"
    r"dimensione|settore|fatturato|dipendenti|quanti|"
    r"tamanho|setor|receita|funcionarios|quantos)\b",
    re.IGNORECASE,
)


def company_asked(header: list[str], columns: Mapping[str, str]) -> list[str]:
    """The columns of a question asking the respondent's company, when no column is named as
    the account: its answer names the account. A coded heading ("COMPANY. Which company do
    you work for?") is read by its question."""
    taken = set(columns.values())
    asked = {name: _plain((question_words(name) or (name,))[0]) for name in header}
    return [
        name
        for name, question in asked.items()
        if name not in taken
        and _COMPANY_QUESTION.match(question)
        and not _NOT_ITS_NAME.search(question)
    ]


def choice_columns(header: list[str]) -> set[str]:
    """The columns of questions answered by choosing, in a file that numbers its questions
    as Formbricks does: a choice question's answer beside its "<question> - Option ID", a
    matrix's "<question> - <row>" columns. One number heading several columns is such a
    question; an open question has its number to itself."""
    numbered: dict[str, list[str]] = {}
    for name in header:
        words = question_words(name)
        if words is not None and words[2].isdigit():
            numbered.setdefault(words[2], []).append(name)
    return {name for names in numbered.values() if len(names) > 1 for name in names}


# A question asking the respondent's address: "What is your email?", "Wat is je
# e-mailadres?", "Wie lautet Ihre E-Mail-Adresse?", "¿Cuál es tu correo electrónico?".
_EMAIL_QUESTION = re.compile(r"\b(e-?mail\w*|correo|courriel)\b", re.IGNORECASE)


def email_asked(header: list[str], columns: Mapping[str, str]) -> list[str]:
    """The columns of a question naming an email address, when no column is named as the
    respondent's email: read only where the answer is an address (not "may we email you?")."""
    taken = set(columns.values())
    return [name for name in header if name not in taken and _EMAIL_QUESTION.search(name)]
