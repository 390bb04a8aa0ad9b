"""Knowledge as data: the tables of words, rules and priors the readers use, compiled into typed, frozen objects.

Each file is read once per process by one loader (`read.parse`) that reports every problem with
its place, and checked against the codebook where it names its variables and categories.
"""

from zicht.knowledge.identifiers import IdentifierPatterns, identifier_patterns
from zicht.knowledge.lexicon import Lexicon, lexicon
from zicht.knowledge.priors import LinkagePriors, linkage_priors
from zicht.knowledge.read import Reader, parse
from zicht.knowledge.redaction import RedactionRules, redaction_rules
from zicht.knowledge.suggestion import HowSuggested, SuggestionRules, suggestion_rules

__all__ = [
    "HowSuggested",
    "IdentifierPatterns",
    "Lexicon",
    "LinkagePriors",
    "Reader",
    "RedactionRules",
    "SuggestionRules",
    "identifier_patterns",
    "lexicon",
    "linkage_priors",
    "parse",
    "redaction_rules",
    "suggestion_rules",
]
