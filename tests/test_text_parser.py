"""The parser on tricky fragments written the way the raw published text is (blank lines inside
articles, trailing and irregular spaces, items on their own lines, two levels of sub-items)."""

import pytest

from checker.citation import Citation
from site_builder.text import TextError, parse_measure

EDU = "合川区教育人才引进培养办法（试行）"
HEALTH = "合川区卫生人才引进培养办法（试行）"


def measure(body: str, title: str = EDU, measure_id: str = "education"):
    return parse_measure(measure_id, f"{title}\n{body}")


def test_chapter_heading_with_irregular_spaces_keeps_only_the_words():
    m = measure("第一章  总    则\n第一条  制定本办法。\n")
    assert m.chapters[0].number == 1
    assert m.chapters[0].title == "总则"
    assert m.chapters[0].heading == "第一章 总则"


def test_full_width_spaces_trailing_spaces_and_blank_lines_are_ignored():
    raw = (
        "\n第一章\u3000总\u3000则  \n\n"
        "第一条\u3000\u3000深入贯彻落实。  \n"
        "第二条  基本原则。 \n\n\n"
    )
    m = measure(raw)
    assert [a.text for a in m.articles] == ["深入贯彻落实。", "基本原则。"]


def test_blank_lines_between_items_keep_every_item_in_its_article():
    # As in the seed's 第十九条: an empty line after the lead and after every item.
    raw = (
        "第一章  总    则\n"
        "第一条  有下列情况之一的，不再享受相应待遇： \n\n"
        "（一）调离我区学校的； \n\n"
        "（二）已办理退休手续的； \n\n"
        "（三）考核不合格的； \n\n"
        "第二条  本办法自发布之日起实施。\n"
    )
    first, second = measure(raw).articles
    assert [i.anchor for i in first.items] == ["article-1-1", "article-1-2", "article-1-3"]
    assert first.items[2].text == "考核不合格的；"
    assert second.items == ()


def test_two_levels_of_sub_items_nest_under_the_chinese_item():
    raw = (
        "第一章  总    则\n"
        "第一条  培养对象应具备如下条件：\n"
        "（一）拔尖人才\n"
        "\n"
        "1. 基本条件：\n"
        "（1）遵纪守法，师德师风好；\n"
        "（2）具有高级教师职称；\n"
        "2. 近5年取得较好业绩，具备下列条件之一：\n"
        "（1）区级名师工作室学员；\n"
        "（二）青年骨干\n"
        "1. 基本条件：\n"
        "（1）具有一级教师职称；\n"
    )
    article = measure(raw).articles[0]
    top, young = article.items
    assert top.text == "拔尖人才"
    assert [c.marker for c in top.children] == ["1.", "2."]
    assert [c.anchor for c in top.children[0].children] == ["article-1-1-1-1", "article-1-1-1-2"]
    assert top.children[1].children[0].text == "区级名师工作室学员；"
    assert young.children[0].children[0].citation == Citation("education", 1, ("2", "1", "1"))
    assert young.children[0].children[0].citation.label == "第一条（二）1.（1）"


def test_dot_items_directly_under_a_chinese_item_without_paren_points():
    # health 第六条: （一）D类 … 1. 2. 3.
    raw = (
        "第一章  总    则\n"
        "第一条  急需紧缺卫生人才分为D类和E类两大类。\n"
        "（一）D类卫生人才应同时具备如下条件：\n"
        "1. 具有较好的专业理论知识；\n"
        "2．原则上不超过40周岁；\n"
    )
    item = measure(raw, HEALTH, "health").articles[0].items[0]
    assert [(c.marker, c.text) for c in item.children] == [
        ("1.", "具有较好的专业理论知识；"),
        ("2.", "原则上不超过40周岁；"),  # a full-width dot prints as "2."
    ]


def test_category_paragraphs_get_letter_anchors():
    raw = (
        "第一章  总    则\n"
        "第一条  具体分类如下：\n"
        "A类：指名师名校长。\n"
        "B类：指骨干教师。\n"
    )
    a, b = measure(raw).articles[0].items
    assert (a.anchor, a.marker, a.text) == ("article-1-a", "A类：", "指名师名校长。")
    assert b.citation.label == "第一条B类"


def test_a_line_without_marker_continues_the_open_item_instead_of_being_lost():
    raw = (
        "第一章  总    则\n"
        "第一条  如下：\n"
        "（一）第一项。\n"
        "第一项的续行。\n"
    )
    item = measure(raw).articles[0].items[0]
    assert item.paragraphs == ("第一项。", "第一项的续行。")


def test_numbers_in_sentences_are_not_taken_for_items():
    raw = "第一章  总    则\n第一条  引进培养教育人才500名。\n5年内完成。\n"
    article = measure(raw).articles[0]
    assert article.items == ()
    assert article.paragraphs == ("引进培养教育人才500名。", "5年内完成。")


@pytest.mark.parametrize(
    "body, message",
    [
        ("第一章  总则\n第一条  甲。\n第三条  丙。\n", "out of sequence"),
        ("第一章  总则\n第一条  甲：\n（一）甲；\n（三）丙；\n", "out of sequence"),
        ("第一章  总则\n第一条  甲：\nA类：甲\nC类：丙\n", "out of sequence"),
        ("第一章  总则\n第二章  引进\n第三章 x\n第五章  附则\n", "chapter 5 out of sequence"),
        ("前言\n第一章  总则\n", "text outside any article"),
        ("第一条  甲。\n", "before the first chapter"),
    ],
)
def test_structure_errors_name_the_problem(body, message):
    with pytest.raises(TextError, match=message):
        measure(body)


def test_a_text_of_another_measure_is_refused():
    with pytest.raises(TextError, match="title"):
        parse_measure("health", f"{EDU}\n第一章  总则\n第一条  甲。\n")


def test_an_article_number_without_a_space_after_it_still_starts_the_article():
    first, second = measure("第一章  总    则\n第一条  甲。\n第二条乙。\n").articles
    assert (first.text, second.number, second.text) == ("甲。", 2, "乙。")
