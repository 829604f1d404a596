"""The urgency GUIDELINE's cues in French: the same cue names as the English ``urgency_model.CUES``, matched
by French patterns, so that a model whose weights sit on the cue names (not on words) reads French messages.

Written from the GUIDELINE's definitions and the English patterns, not from labelled French messages (none
exist). Searched in the lower-cased normalised text; accents are optional where customers often drop them
("bloqué"/"bloque"), and elisions are spelled out ("n'arrive pas", "j'arrive pas"). ``TOKEN`` counts tokens
for the ``short`` feature with French letters in words.
"""

from __future__ import annotations

import re

_ACCESS = (
    r"(?:me\s+|m'|nous\s+)?(?:connecter|co|identifier|logger|acc[eé]der|utiliser|payer|commander|ouvrir|lire|"
    r"regarder|jouer|[eé]couter|t[eé]l[eé]charger|r[eé]server|joindre|appeler|charger|streamer|passer|"
    r"retirer|envoyer|recevoir|activer|valider)"
)

CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        # the service, product, account or log-in does not work at all
        "blocked": r"\b(?:ne\s+|n')?(?:peux|peut|pouvons|pouvez|arrive|arrivons|parviens|parvient)\s+"
        r"(?:pas|plus|toujours pas)\s+(?:à\s+|a\s+)?" + _ACCESS + r"\b|"
        r"\bimpossible\s+(?:de\s+|d')\s*" + _ACCESS + r"\b|\bpas moyen\s+(?:de|d')\b|"
        r"\bacc[eè]s\s+(?:refus[eé]|bloqu[eé]|impossible)\b",
        "not_working": r"\b(?:ne\s+|n')?(?:fonctionne|fonctionnent|marche|marchent|charge|r[eé]pond|"
        r"s'affiche|d[eé]marre|s'allume)\s+(?:pas|plus|toujours pas)\b|\ben panne\b|\bpannes?\b|"
        r"\bhors service\b|\bhs\b|\b(?:plus|pas)\s+(?:de|d')\s*(?:connexion|r[eé]seau|internet|wifi|wi-fi|"
        r"courant|service|signal|t[eé]l[eé]|ligne|tonalit[eé])\b|\bcoupure\b|\bcoup[eé]e?s?\b|"
        r"\bplant(?:e|é|ée|ent|age)\b|\bbugu?(?:e|é|s|gé)?\b|\bbloqu[eé]e?s?\b|\berreur\b|\b[eé]chec\b|"
        r"\bcrash\w*|\bfig[eé]e?\b",
        "at_all": r"\bdu tout\b|\brien ne\b|\bplus rien\b|\baucun(?:e)?\b|\bcompl[eè]tement\b|"
        r"\btotalement\b|\benti[eè]rement\b|\bsyst[eé]matiquement\b|\b(?:à|a) chaque fois\b|"
        r"\btout le temps\b",
        "money": r"\bpr[eé]lev\w*|\bd[eé]bit[eé]\w*|\bfactur\w*|\brembours\w*|\bargent\b|\bpay[eé]e?s?\b|"
        r"\bpaiements?\b|\bfrais\b|\bcompensation\b|\bd[eé]dommag\w*|\bsurfactur\w*|\bvirement\b|"
        r"\bcarte bancaire\b|\bcb\b|\beuros?\b|€|\bvol[eé]e?s?\b|\bvoler\b",
        "safety": r"\bdanger\w*|\bincendie\b|\bfeu\b|\bpompiers\b|\bh[oô]pital\b|\bbless\w*|\bpolice\b|"
        r"\bgendarmerie\b|\bintoxi\w*|\bmalade\b|\ben s[eé]curit[eé]\b|\bcoinc[eé]e?s?\b|"
        r"\bseule?\s+(?:la nuit|de nuit|dehors|sur)\b|\bla nuit\b|\bde nuit\b",
        "security": r"\bpirat\w*|\bhack\w*|\barnaqu\w*|\bescroqu\w*|\bfraud\w*|\bphishing\b|"
        r"\bham[eç]onnage\b|\bs[eé]curit[eé]\b|\bdonn[eé]es (?:personnelles|bancaires)\b|\bmes donn[eé]es\b|"
        r"\busurpation\b|\bidentit[eé]\b|\bnon autoris[eé]\w*|\brgpd\b|\bcnil\b|\bfuite de donn[eé]es\b",
        "legal": r"\bavocats?\b|\bhuissier\b|\btribunal\b|\bjustice\b|\bplainte\b|\bproc[eè]s\b|"
        r"\bpoursui\w*|\bmise en demeure\b|\bjuridique\b|\bm[eé]diat(?:eur|ion)\b|\bufc\b|\bque choisir\b|"
        r"\b60 millions\b|\bdgccrf\b|\bsignalconso\b|\bpresse\b|\bjournalistes?\b|\bconciliateur\b|\barcep\b",
        "leave": r"\br[eé]sili\w*|\bannul\w*|\bd[eé]sabonn\w*|\bd[eé]sinscri\w*|\bchanger d'op[eé]rateur\b|"
        r"\baller (?:chez|voir ailleurs)\b|\bailleurs\b|\bconcurren\w*|\bplus jamais\b|"
        r"\bderni[eè]re fois\b|\bquitter\b|\bje (?:vous )?quitte\b|\bje pars\b|\bje m'en vais\b|"
        r"\bplus (?:votre )?client(?:e)?\b|\bclient(?:e)? depuis\b",
        "insult": r"\bmerde\w*|\bputain\b|\bbordel\b|\bnul(?:le|s|les)?\b|\bnaze\b|\bhonte\w*|\bscandal\w*|"
        r"\binadmissible\b|\binacceptable\b|\blamentable\b|\bpitoyable\b|\bridicule\b|\bincomp[eé]ten\w*|"
        r"\bescrocs?\b|\bvoleurs?\b|\bmenteurs?\b|\bcatastroph\w*|\bhorrible\b|\bd[eé]plorable\b|"
        r"\bpath[eé]tique\b|\bmarre\b|\bras[- ]le[- ]bol\b|\bfurieu\w*|\ben col[eè]re\b|"
        r"\bd[eé]go[uû]t[eé]\w*|"
        r"\b[eé]c(?:oe|œ)ur[eé]\w*|\bn'importe quoi\b|\bfoutage\b|\bse fout\b|\bvous moquez\b|\bpire\b|"
        r"\bd[eé][çc]ue?s?\b|\bd[eé]ception\b|\bhallucinant\b|\bindigne\b",
        "persist": r"\btoujours\b|\bencore\b|\b(?:à|a|de) nouveau\b|\bplus de \d+|\bdepuis \d+|"
        r"\bdepuis (?:des|plusieurs|deux|trois|quatre|cinq|une|un|hier|ce matin|le \d+)\b|"
        r"\b(?:\d+|quelques|plusieurs|deux|trois|quatre|cinq|des) (?:jours|heures|semaines|mois|fois)\b|"
        r"\b\d+(?:e|[eè]me) fois\b|\btroisi[eè]me fois\b|\bpersonne\b|"
        r"\b(?:aucune|pas de|sans) (?:r[eé]ponse|retour|nouvelles?|solution)\b|\bj'attends\b|"
        r"\ben attente\b|\battendre\b|\btout essay[eé]\b|\bj'ai tout fait\b|\bj'abandonne\b|\brelance\w*",
        "now": r"\burgen\w*|\bimm[eé]diatement\b|\btout de suite\b|\bau plus vite\b|\bd[eè]s que possible\b|"
        r"\baujourd'hui\b|\bce soir\b|\bmaintenant\b|\bbesoin (?:de|d')|\bà l'aide\b|\bau secours\b|"
        r"\baidez[- ]moi\b|\bhelp\b",
        "question": r"\?",
        "thanks": r"\bmerci\w*|\bremerci\w*|\bsuper\b|\bg[eé]nial\w*|\btop\b|\bparfait\w*|\bexcellent\w*|"
        r"\bbravo\b|\bcool\b|\bsympa\w*|\bcontente?\b|\bravie?\b|\bheureu\w*|\badore\b|\bj'aime\b|"
        r"\b(?:ça|ca) (?:marche|fonctionne)\b(?!\s+(?:pas|plus))|\bc'est bon\b|\br[eé]solu\b|"
        r"\br[eé]gl[eé]\b|\bfonctionne (?:à|a|de) nouveau\b",
        "pleasant": r"[:;]-?[)dp]|<3|\blol\b|\bmdr\b|\bptdr\b|\bhaha\w*\b",
    }.items()
}
TOKEN = re.compile(r"[a-z0-9'àâäçéèêëîïôöùûüÿœæ]+|[!?]+|[^\sa-z0-9'àâäçéèêëîïôöùûüÿœæ]")
