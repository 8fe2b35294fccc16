"""Tests for R-ID-1: unified social credit codes (统一社会信用代码, GB 32100-2015)."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from registry.choices import OrganizationType
from registry.credit_codes import (
    ALPHABET,
    CIVIL_AFFAIRS_AUTHORITY,
    TYPE_DIGITS,
    credit_code_validator,
    make_credit_code,
    normalize_credit_code,
    organization_code_check_character,
    validate_credit_code,
)

SOCIAL_GROUP = OrganizationType.SOCIAL_GROUP.value
PRIVATE_NON_ENTERPRISE = OrganizationType.PRIVATE_NON_ENTERPRISE.value
FOUNDATION = OrganizationType.FOUNDATION.value

# Real published codes and the type of the organization that holds each one.
REAL_CODES = [
    ("52220100MJ417084X0", PRIVATE_NON_ENTERPRISE),
    ("52220100MJ3759353Y", PRIVATE_NON_ENTERPRISE),
    ("5122240431672913X3", SOCIAL_GROUP),
    ("53100000500019795A", FOUNDATION),
    ("51100000500002862F", SOCIAL_GROUP),
]

TYPE_NAMES = {
    SOCIAL_GROUP: "社会团体",
    PRIVATE_NON_ENTERPRISE: "民办非企业单位",
    FOUNDATION: "基金会",
}

WRONG_TYPE_CASES = [
    (code, actual, wrong)
    for (code, actual), wrong in itertools.product(REAL_CODES, TYPE_DIGITS)
    if wrong != actual
]


def _raises(value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value, **kwargs)
    return info.value


# --- constants -------------------------------------------------------------------------


def test_r_id_1_alphabet_excludes_i_o_s_v_z():
    assert ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


def test_r_id_1_type_digits_cover_every_organization_type():
    assert CIVIL_AFFAIRS_AUTHORITY == "5"
    assert TYPE_DIGITS == {SOCIAL_GROUP: "1", PRIVATE_NON_ENTERPRISE: "2", FOUNDATION: "3"}
    assert set(TYPE_DIGITS) == set(OrganizationType.values)


# --- real codes ------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "organization_type"), REAL_CODES)
def test_r_id_1_accepts_real_published_codes(code, organization_type):
    assert validate_credit_code(code, organization_type=organization_type) == code
    assert validate_credit_code(code) == code
    assert validate_credit_code(code, organization_type=OrganizationType(organization_type)) == code


@pytest.mark.parametrize(("code", "organization_type"), REAL_CODES)
def test_r_id_1_validator_accepts_real_published_codes(code, organization_type):
    assert credit_code_validator(code) is None


@pytest.mark.parametrize(("code", "organization_type"), REAL_CODES)
def test_r_id_1_real_codes_have_correct_organization_code_check(code, organization_type):
    assert organization_code_check_character(code[8:16]) == code[16]


# --- normalization ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  52220100MJ417084X0  ", "52220100MJ417084X0"),
        ("52220100mj417084x0", "52220100MJ417084X0"),
        ("5222 0100 MJ41 7084 X0", "52220100MJ417084X0"),
        ("\t52220100MJ417084X0\n", "52220100MJ417084X0"),
        ("\u300052220100MJ417084X0\u3000", "52220100MJ417084X0"),
        ("522201\u300000MJ417084X0", "52220100MJ417084X0"),
        ("５２２２０１００ＭＪ４１７０８４Ｘ０", "52220100MJ417084X0"),
        ("５２２２０１００ｍｊ４１７０８４ｘ０", "52220100MJ417084X0"),
        ("　５１２２２４０４３１６７２９１３Ｘ３　", "5122240431672913X3"),
    ],
)
def test_r_id_1_normalizes_pasted_input(raw, expected):
    assert normalize_credit_code(raw) == expected
    assert validate_credit_code(raw) == expected


# --- length ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "length"),
    [
        ("52220100MJ417084X", 17),
        ("52220100MJ417084X00", 19),
        ("", 0),
        ("   ", 0),
        ("5", 1),
    ],
)
def test_r_id_1_rejects_wrong_length(value, length):
    exc = _raises(value)
    assert exc.code == "length"
    assert exc.messages[0] == f"统一社会信用代码应为18位，当前为{length}位。"


# --- characters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "position", "character"),
    [
        ("52220100MO417084X0", 10, "O"),
        ("52220100mo417084x0", 10, "O"),
        ("5222I100MJ417084X0", 5, "I"),
        ("52220100MJ417084S0", 17, "S"),
        ("52220100MJ417084XV", 18, "V"),
        ("Z2220100MJ417084X0", 1, "Z"),
        ("52220100MJ4170-4X0", 15, "-"),
        ("52220100MJ41708社X0", 16, "社"),
    ],
)
def test_r_id_1_rejects_characters_outside_alphabet(value, position, character):
    exc = _raises(value)
    assert exc.code == "character"
    message = exc.messages[0]
    assert f"第{position}位" in message
    assert f"“{character}”" in message
    assert "I、O、S、V、Z" in message


def test_r_id_1_reports_first_bad_character():
    exc = _raises("5222I100MO417084X0")
    assert exc.code == "character"
    assert "第5位" in exc.messages[0]
    assert "“I”" in exc.messages[0]


# --- authority -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "given", "name"),
    [
        ("91110000600037341L", "9", "工商"),  # an enterprise code, valid for stdnum
        ("12220100MJ417084X0", "1", "机构编制部门"),
        ("Y2220100MJ417084X0", "Y", "其他部门"),
        ("B2220100MJ417084X0", "B", "未定义的登记管理部门"),
    ],
)
def test_r_id_1_rejects_authority_other_than_civil_affairs(value, given, name):
    exc = _raises(value)
    assert exc.code == "authority"
    message = exc.messages[0]
    assert "第1位" in message
    assert "应为5（民政部门）" in message
    assert f"当前为{given}（" in message
    assert name in message


def test_r_id_1_authority_is_checked_before_check_characters():
    # Wrong authority and wrong check characters: the authority is reported.
    assert _raises("92220100MJ41708411").code == "authority"


# --- organization code check (position 17) ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "actual"),
    [
        ("52220100MJ41708410", "X", "1"),
        ("512224043167291303", "X", "0"),
        ("53100000500019791A", "5", "1"),
        ("51100000500002860F", "2", "0"),
        ("52220100MJ375935XY", "3", "X"),
    ],
)
def test_r_id_1_rejects_wrong_organization_code_check(value, expected, actual):
    exc = _raises(value)
    assert exc.code == "organization_code_check"
    message = exc.messages[0]
    assert "第17位" in message
    assert "组织机构代码校验码" in message
    assert f"应为{expected}，当前为{actual}" in message


def test_r_id_1_organization_code_check_is_what_stdnum_lacks():
    # Position 18 is right for these 17 characters, so stdnum alone accepts the code,
    # but the GB 11714 check at position 17 is wrong (should be X).
    first17 = "52220100MJ4170841"
    code = first17 + uscc.calc_check_digit(first17)
    assert uscc.is_valid(code)
    exc = _raises(code)
    assert exc.code == "organization_code_check"
    assert "应为X，当前为1" in exc.messages[0]


# --- final check character (position 18) -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "actual"),
    [
        ("52220100MJ417084X1", "0", "1"),
        ("52220100MJ3759353X", "Y", "X"),
        ("5122240431672913X4", "3", "4"),
        ("53100000500019795B", "A", "B"),
        ("511000005000028620", "F", "0"),
    ],
)
def test_r_id_1_rejects_wrong_final_check_character(value, expected, actual):
    exc = _raises(value)
    assert exc.code == "check_character"
    message = exc.messages[0]
    assert "第18位" in message
    assert f"应为{expected}，当前为{actual}" in message


# --- organization type (position 2) ----------------------------------------------------


@pytest.mark.parametrize(("code", "actual_type", "wrong_type"), WRONG_TYPE_CASES)
def test_r_id_1_rejects_real_code_against_wrong_type(code, actual_type, wrong_type):
    exc = _raises(code, organization_type=wrong_type)
    assert exc.code == "type_mismatch"
    message = exc.messages[0]
    assert f"第2位（机构类别代码）为{code[1]}，表示{TYPE_NAMES[actual_type]}" in message
    assert f"该组织的类型为{TYPE_NAMES[wrong_type]}" in message


@pytest.mark.parametrize("organization_type", list(TYPE_DIGITS))
def test_r_id_1_type_digit_9_means_other(organization_type):
    code = make_credit_code(type_digit="9", region="220100", organization_code_body="MJ417084")
    assert validate_credit_code(code) == code
    exc = _raises(code, organization_type=organization_type)
    assert exc.code == "type_mismatch"
    assert "为9，表示其他" in exc.messages[0]
    assert TYPE_NAMES[organization_type] in exc.messages[0]


def test_r_id_1_type_is_checked_last():
    # Bad final check and wrong type: the check character is reported, not the type.
    exc = _raises("52220100MJ417084X1", organization_type=FOUNDATION)
    assert exc.code == "check_character"


def test_r_id_1_type_is_not_checked_without_organization_type():
    assert validate_credit_code("52220100MJ417084X0") == "52220100MJ417084X0"


def test_r_id_1_unknown_organization_type_is_a_programming_error():
    with pytest.raises(ValueError):
        validate_credit_code("52220100MJ417084X0", organization_type="company")


# --- messages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs"),
    [
        ("52220100MJ417084X", {}),
        ("52220100MO417084X0", {}),
        ("91110000600037341L", {}),
        ("52220100MJ41708410", {}),
        ("52220100MJ417084X1", {}),
        ("52220100MJ417084X0", {"organization_type": FOUNDATION}),
    ],
)
def test_r_id_1_messages_are_chinese_and_fully_formatted(value, kwargs):
    message = _raises(value, **kwargs).messages[0]
    assert message.startswith("统一社会信用代码")
    assert "%(" not in message
    assert message.endswith("。")


def test_r_id_1_validator_raises_validation_error():
    with pytest.raises(ValidationError) as info:
        credit_code_validator("52220100MJ417084X1")
    assert info.value.code == "check_character"


# --- GB 11714 organization code check --------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("MJ417084", "X"),  # letters: M=22, J=19 under GB 11714 → X
        ("31672913", "X"),  # C = 10 → X
        ("50001979", "5"),
        ("50000286", "2"),
        ("MJ375935", "3"),
    ],
)
def test_r_id_1_organization_code_check_character(body, check):
    assert organization_code_check_character(body) == check


def test_r_id_1_gb11714_letters_count_a_10_to_z_35_not_alphabet_index():
    # In ALPHABET M and J sit at indexes 21 and 18 (I is skipped); GB 11714 uses the
    # plain alphabet, M=22 and J=19. Only the GB 11714 values give the published X.
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    body = "MJ417084"
    gb_values = [int(c, 36) for c in body]
    alphabet_values = [ALPHABET.index(c) for c in body]
    assert gb_values[:2] == [22, 19]
    assert alphabet_values[:2] == [21, 18]

    def check(values):
        c = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
        return {10: "X", 11: "0"}.get(c, str(c))

    assert check(gb_values) == "X" == organization_code_check_character(body)
    assert check(alphabet_values) != "X"
    assert validate_credit_code("52220100MJ417084X0") == "52220100MJ417084X0"


def test_r_id_1_organization_code_check_11_maps_to_0():
    # Σ = 0 → C = 11 → "0".
    assert organization_code_check_character("00000000") == "0"


@pytest.mark.parametrize("body", ["MJ41708", "MJ4170845", "MJ41708O", "mj417084", "MJ-17084", ""])
def test_r_id_1_organization_code_check_rejects_bad_body(body):
    with pytest.raises(ValueError):
        organization_code_check_character(body)


# --- make_credit_code ------------------------------------------------------------------


@pytest.mark.parametrize(("code", "organization_type"), REAL_CODES)
def test_r_id_1_make_credit_code_rebuilds_real_codes(code, organization_type):
    built = make_credit_code(
        type_digit=TYPE_DIGITS[organization_type],
        region=code[2:8],
        organization_code_body=code[8:16],
    )
    assert built == code


def test_r_id_1_make_credit_code_example():
    code = make_credit_code(type_digit="2", region="220100", organization_code_body="MJ417084")
    assert code == "52220100MJ417084X0"


@pytest.mark.parametrize(
    ("organization_type", "region", "body"),
    [
        (organization_type, region, body)
        for organization_type in TYPE_DIGITS
        for region, body in [
            ("220100", "00000000"),
            ("220102", "MJ000001"),
            ("220104", "ABCDEFGH"),
            ("220112", "YXWUTRQP"),
            ("220183", "12345678"),
            ("100000", "NMLKJHGF"),
        ]
    ],
)
def test_r_id_1_make_credit_code_round_trip(organization_type, region, body):
    code = make_credit_code(
        type_digit=TYPE_DIGITS[organization_type], region=region, organization_code_body=body
    )
    assert len(code) == 18
    assert code[:2] == "5" + TYPE_DIGITS[organization_type]
    assert code[2:8] == region
    assert code[8:16] == body
    assert validate_credit_code(code, organization_type=organization_type) == code
    assert uscc.is_valid(code)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"organization_code_body": "MJ41708"},
        {"organization_code_body": "MJ41708O"},
        {"organization_code_body": "mj417084"},
        {"organization_code_body": "MJ 17084"},
        {"region": "22010"},
        {"region": "22010A"},
        {"type_digit": "22"},
        {"type_digit": "S"},
        {"authority": "Z"},
    ],
)
def test_r_id_1_make_credit_code_rejects_bad_parts(kwargs):
    arguments = {"type_digit": "2", "region": "220100", "organization_code_body": "MJ417084"}
    arguments.update(kwargs)
    with pytest.raises(ValueError):
        make_credit_code(**arguments)


def test_r_id_1_make_credit_code_with_other_authority_fails_validation():
    code = make_credit_code(
        type_digit="1", region="110000", organization_code_body="60003734", authority="9"
    )
    assert uscc.is_valid(code)
    assert _raises(code).code == "authority"


@pytest.mark.parametrize(
    ("code", "error_code", "detail"),
    [
        ("58220100MJ417084X0", "category", "当前为8"),
        ("5222A100MJ417084X0", "region", "22A100"),
    ],
)
def test_r_id_1_rejects_unknown_category_and_non_numeric_region(code, error_code, detail):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error_code
    assert detail in excinfo.value.messages[0]


def test_r_id_1_final_check_character_is_stdnums_for_every_prefix_tried():
    """The check of position 18, computed by table lookup for speed, agrees with python-stdnum
    (GB 32100) on codes of every type digit and a spread of bodies."""
    import random

    generator = random.Random(15)
    for _ in range(3000):
        body = "".join(generator.choice(ALPHABET) for _ in range(8))
        type_digit = generator.choice("1239")
        first17 = (
            f"{CIVIL_AFFAIRS_AUTHORITY}{type_digit}220102{body}"
            f"{organization_code_check_character(body)}"
        )
        right = uscc.calc_check_digit(first17)
        assert validate_credit_code(first17 + right) == first17 + right
        wrong = ALPHABET[(ALPHABET.index(right) + 1) % len(ALPHABET)]
        with pytest.raises(ValidationError) as refused:
            validate_credit_code(first17 + wrong)
        assert refused.value.params == {"expected": right, "actual": wrong}
