"""Attribution rules added in the second round (engineer C3), from dev errors and general phenomena,
one sentence per rule written for these tests (not taken from any article): subjects far back in the
sentence, plural pronouns, the report as a subject, weak cues with an object before a quote, quotes
joined by a comma, frames inside reported speech, "该公司" after a person's company, and pronouns
dropped when two antecedents fit."""

from __future__ import annotations

from kb.nlp import extract


def one(text: str) -> list:
    return extract([text])[0]


def by_text(sts: list, start: str):
    hits = [s for s in sts if s.text.startswith(start)]
    assert hits, [(s.text, s.speaker) for s in sts]
    return hits[0]


def test_subject_far_back_in_the_sentence() -> None:
    sts = one("国家市场监督管理局（以下简称市场监管局）再次发布了相关公告，称下月起禁止销售该型号充电宝。")
    st = by_text(sts, "下月起禁止")
    assert st.speaker_type == "organization" and "市场监督管理局" in (st.speaker or "")


def test_plural_pronoun_takes_the_outlet_of_the_clause_before() -> None:
    sts = one("《经济观察报》最先披露了此事，他们声称拿到了一份内部邮件，并透露该项目预算已经翻倍。")
    assert by_text(sts, "拿到了一份内部邮件").speaker == "经济观察报"
    st = by_text(sts, "该项目预算已经翻倍")
    assert st.speaker == "经济观察报" and st.speaker_type == "media"


def test_plural_pronoun_is_never_one_person() -> None:
    sts = one("小米集团董事长雷军表示，手机业务会继续增长。\n\n他们认为这个判断过于乐观。")
    assert all(s.speaker != "雷军" for s in sts if s.text.startswith("这个判断"))


def test_the_report_as_subject_refers_to_the_outlet() -> None:
    sts = one("据彭博社报道，这家芯片公司正在筹备上市。报道中称，上市时间最早在明年春季。")
    st = by_text(sts, "上市时间最早")
    assert st.speaker == "彭博社" and st.speaker_type == "media"


def test_weak_cue_with_an_object_before_the_quote() -> None:
    sts = one("有网友调侃这家公司的客服：“每次打电话都要排队半小时，还不如自己修。”")
    st = by_text(sts, "每次打电话")
    assert st.kind == "direct" and st.speaker is None and st.speaker_type == "unnamed"


def test_quotes_joined_by_a_comma_share_the_speaker_after_them() -> None:
    sts = one("荣耀CEO赵明表示，公司不会降价。“我们不打价格战”，“利润不是问题”，他在会上称。")
    assert by_text(sts, "我们不打价格战").speaker == "赵明"
    assert by_text(sts, "利润不是问题").speaker == "赵明"


def test_a_frame_inside_reported_speech_is_a_statement_of_its_own() -> None:
    sts = one("还有网友指出，这类提问在股东大会上很常见，在他看来，批评提问者的人大多是跟风。")
    first = by_text(sts, "这类提问")
    assert "批评提问者" not in first.text
    st = by_text(sts, "批评提问者")
    assert st.speaker is None and st.speaker_type == "unnamed"


def test_that_company_after_a_person_of_the_company() -> None:
    sts = one(
        "这些金融公司过去都自己维护代码。\n\nTom Reed，Ledgerly公司的创始人兼CEO表示：“我们要把平台开源。”"
        "并且在上周，该公司还表示将发布一款新产品。"
    )
    assert by_text(sts, "将发布一款新产品").speaker == "Ledgerly公司"


def test_pronoun_with_two_fitting_antecedents_is_dropped() -> None:
    sts = one(
        "小米集团董事长雷军在微博上回复称，这个问题不值得讨论。\n\n这句话激怒了该网友，随即其指责对方：“你根本没有回答问题。”"
    )
    assert all(s.speaker != "雷军" for s in sts if s.text.startswith("你根本没有"))


def test_continued_clause_with_its_own_cue_is_cut() -> None:
    sts = one("小米集团董事长雷军表示，新工厂已经投产，并透露明年产能将翻倍。")
    assert by_text(sts, "新工厂已经投产").text.endswith("投产")
    assert by_text(sts, "明年产能将翻倍").speaker == "雷军"
