"""Company de-duplication: credit codes, name normalisation, matching, clustering (pure code).

The app imports from the submodules; the main names are re-exported here too.
"""

from crm.domain.dedup.cluster import dedupe
from crm.domain.dedup.credit_code import (
    credit_code_problem,
    is_valid_credit_code,
    normalise_credit_code,
    valid_or_none,
)
from crm.domain.dedup.matcher import LIKELY_DUPLICATE, CompanyIndex, Match, judge, name_score
from crm.domain.dedup.normalise import NameKey, blocking_keys, name_key, pinyin_forms

__all__ = [
    "LIKELY_DUPLICATE",
    "CompanyIndex",
    "Match",
    "NameKey",
    "blocking_keys",
    "credit_code_problem",
    "dedupe",
    "is_valid_credit_code",
    "judge",
    "name_key",
    "name_score",
    "normalise_credit_code",
    "pinyin_forms",
    "valid_or_none",
]
