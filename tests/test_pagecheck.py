"""The page check itself: it must catch what it exists to catch, and pass a clean page."""

import pytest

from tests.pagecheck import problems_in, visible_text


def test_an_english_msgid_with_a_translation_is_reported():
    assert problems_in("账号 Mark all as read 通知") == ["untranslated: 'Mark all as read'"]


def test_code_like_fragments_are_reported():
    found = problems_in("状态 info_requested {'a': 1} <QuerySet []> None")
    assert "snake_case code: 'info_requested'" in found
    assert 'Python dict: "{\'"' in found
    assert "QuerySet repr: '<QuerySet'" in found
    assert "None: 'None'" in found


def test_data_passed_as_such_is_not_reported():
    assert problems_in("Brand 3 出口", data=["Brand 3"]) == []


def test_a_term_chinese_writes_as_it_is_is_not_reported():
    assert problems_in("文件摘要 SHA-256 校验") == []


def test_an_abbreviation_glossed_in_brackets_is_not_reported_but_a_bare_one_is():
    assert problems_in("车辆识别代号（VIN）或许可证号") == []
    assert problems_in("许可证号 VIN 品牌") == ["untranslated: 'VIN'"]


def test_a_code_in_brackets_is_still_reported():
    assert problems_in("状态（info_requested）") == ["snake_case code: 'info_requested'"]


def test_a_word_inside_a_longer_name_is_not_reported():
    assert problems_in("user15 Companyname") == []


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>通知</p><script>var x_y = 1;</script>", "通知"),
        ('<select><option lang="en">English</option></select><b>中文</b>', "中文"),
        ("<p>一<br>二</p><style>.a_b{}</style>", "一 二"),
    ],
)
def test_hidden_and_other_language_text_is_left_out(html, text):
    assert visible_text(html) == text
