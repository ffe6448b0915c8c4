"""统一社会信用代码 (unified social credit code, GB 32100-2015).

The code has 18 characters drawn from 31 symbols: the digits and the capital
letters except I, O, Z, S and V.  The 18th character is a check character
computed from the first 17 with the weights of the standard:

    check = (31 - sum(value(c_i) * w_i) % 31) % 31, mapped back to the charset.

The validator reports problems; it never repairs them.  In particular lower-case
letters are *invalid* (the standard uses capitals only); ``normalise_credit_code``
strips spaces and turns full-width characters into half-width ones, but does not
change case, so a lower-case code stays visibly wrong until a person fixes it.
"""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalise_credit_code(text: str | None) -> str:
    """Full-width → half-width (NFKC) and every kind of space removed; case is kept."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\ufeff")


def check_character(first17: str) -> str:
    """The check character for 17 valid characters (raises ValueError otherwise)."""
    if len(first17) != LENGTH - 1:
        raise ValueError("need the first 17 characters")
    try:
        total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"invalid character {exc.args[0]!r}") from None
    return CHARSET[(31 - total % 31) % 31]


def _describe(ch: str) -> str:
    if ch.islower() and ch.upper() in VALUES:
        return f"{ch}（应为大写）"
    if ch.isspace():
        return "空格"
    return ch


def credit_code_problem(code: str | None) -> str | None:
    """None when ``code`` is a valid credit code, else a message in Chinese.

    Problems are reported in this order and joined with "；": length, invalid
    characters (lower-case letters and I/O/Z/S/V included), wrong check character
    (only checked when the rest is well formed).
    """
    if code is None or code == "":
        return "统一社会信用代码为空"
    problems: list[str] = []
    if len(code) != LENGTH:
        problems.append(f"统一社会信用代码应为{LENGTH}位，现为{len(code)}位")
    bad: list[str] = []
    for ch in code:
        if ch not in VALUES and ch not in bad:
            bad.append(ch)
    if bad:
        problems.append("含有无效字符：" + "、".join(_describe(ch) for ch in bad))
    if problems:
        return "；".join(problems)
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验位错误，应为{expected}"
    return None


def is_valid_credit_code(code: str | None) -> bool:
    return credit_code_problem(code) is None


def valid_or_none(text: str | None) -> str | None:
    """The normalised code when it is valid, else None (for matching: invalid codes are no evidence)."""
    code = normalise_credit_code(text)
    return code if code and is_valid_credit_code(code) else None
