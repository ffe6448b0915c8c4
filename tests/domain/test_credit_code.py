"""统一社会信用代码 (GB 32100-2015): validation, messages, normalisation."""

from __future__ import annotations

import pytest

from crm.domain.dedup.credit_code import (
    CHARSET,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    normalise_credit_code,
    valid_or_none,
)

# Written from the standard independently of the module under test.
REF_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REF_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def reference_check(first17: str) -> str:
    total = sum(REF_CHARS.index(ch) * w for ch, w in zip(first17, REF_WEIGHTS))
    return REF_CHARS[(31 - total % 31) % 31]


VALID = [
    "91350100M000100Y43",  # a published example: 9 = 工商, 1 = 企业
    "11100000000013127D",  # 1 = 机构编制 (机关)
    "12100000400000624D",  # 事业单位
    "51410000MJ0000001D",  # 5 = 民政 (社会组织)
    "N2410423MA9XY01230",  # N = 农业 (农民专业合作社)
    "Y1110000MB0Q12345N",  # Y = 其他
    "A1110000MA00000Y0F",  # A = 中央军委改革和编制办公室
    "91441900MA4W1234K4",
    "91410400MA44L5HQ55",
    "91411424MA47W8K1XK",
]


def test_charset_is_the_standards_31_symbols() -> None:
    assert CHARSET == REF_CHARS
    assert len(CHARSET) == 31
    for letter in "IOZSV":
        assert letter not in CHARSET


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code: str) -> None:
    assert reference_check(code[:17]) == code[17]
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)
    assert valid_or_none(code) == code


@pytest.mark.parametrize("first", ["9", "1", "N", "Y", "A"])
def test_valid_codes_start_with_any_registration_authority(first: str) -> None:
    assert any(code.startswith(first) for code in VALID)


def test_check_character_agrees_with_the_reference_on_many_prefixes() -> None:
    import random

    rng = random.Random(32100)
    for _ in range(2000):
        prefix = "".join(rng.choice(REF_CHARS) for _ in range(17))
        check = check_character(prefix)
        assert check == reference_check(prefix)
        assert is_valid_credit_code(prefix + check)
        wrong = next(ch for ch in REF_CHARS if ch != check)
        assert credit_code_problem(prefix + wrong) == f"校验位错误，应为{check}"


@pytest.mark.parametrize(
    ("code", "length"),
    [("91350100M000100Y4", 17), ("91350100M000100Y431", 19), ("9135", 4)],
)
def test_wrong_length(code: str, length: int) -> None:
    assert credit_code_problem(code) == f"统一社会信用代码应为18位，现为{length}位"
    assert not is_valid_credit_code(code)


def test_empty() -> None:
    assert credit_code_problem("") == "统一社会信用代码为空"
    assert credit_code_problem(None) == "统一社会信用代码为空"
    assert not is_valid_credit_code("")


def test_lower_case_is_invalid_and_not_silently_fixed() -> None:
    code = "91350100m000100y43"
    problem = credit_code_problem(code)
    assert problem is not None and problem.startswith("含有无效字符：")
    assert "m（应为大写）" in problem and "y（应为大写）" in problem
    assert not is_valid_credit_code(code)
    assert normalise_credit_code(code) == code  # no case change
    assert valid_or_none(code) is None


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_letters_outside_the_charset(letter: str) -> None:
    code = "91350100M000100" + letter + "43"
    assert credit_code_problem(code) == f"含有无效字符：{letter}"


def test_other_bad_characters_are_listed_once_each() -> None:
    assert credit_code_problem("91350100M0001-0-43") == "含有无效字符：-"
    assert credit_code_problem("9135010OM0001I0Y43") == "含有无效字符：O、I"


def test_length_and_characters_both_reported() -> None:
    assert credit_code_problem("9135010OM000100Y4") == "统一社会信用代码应为18位，现为17位；含有无效字符：O"


def test_wrong_check_character() -> None:
    assert credit_code_problem("91350100M000100Y44") == "校验位错误，应为3"
    assert credit_code_problem("91350100M000100Y4X") == "校验位错误，应为3"


def test_check_zero_maps_to_0() -> None:
    # a prefix whose weighted sum is a multiple of 31 gets the check character "0"
    assert check_character("N2410423MA9XY0123") == "0"
    assert is_valid_credit_code("N2410423MA9XY01230")


def test_normalise_strips_spaces_and_full_width() -> None:
    assert normalise_credit_code(" 9135 0100 M000 100Y 43 ") == "91350100M000100Y43"
    assert normalise_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert normalise_credit_code("91350100M000100Y43\u3000") == "91350100M000100Y43"
    assert normalise_credit_code("\ufeff91350100M000100Y43") == "91350100M000100Y43"
    assert normalise_credit_code("ｍ") == "m"  # full-width lower case stays lower case
    assert normalise_credit_code(None) == ""
    assert is_valid_credit_code(normalise_credit_code("９１３５０１００Ｍ０００１００Ｙ４３"))


def test_validator_does_not_normalise() -> None:
    assert not is_valid_credit_code(" 91350100M000100Y43")
    assert not is_valid_credit_code("９１３５０１００Ｍ０００１００Ｙ４３")
    assert valid_or_none(" 91350100M000100Y43") == "91350100M000100Y43"  # the matcher's helper does


def test_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        check_character("123")
    with pytest.raises(ValueError):
        check_character("9135010OM000100Y4")
