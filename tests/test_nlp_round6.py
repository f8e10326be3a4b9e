"""Round-6 attribution rules: a chat log reproduced in an article ("NAME – 6:48 PM" over each message)
gives each message to its author, and filler gives nothing; a transcript whose questions come from 网友
still gives the answers to the one who answers; a katakana middle dot joins a name like "·"; words after a
title that are a dictionary word ("全面掌握") are no name for a later 他; a company the lists do not know
speaks through its 工作人员, a government body's official stays unnamed; "报道称" after "据X报道" is X's
report; a department before a title belongs to the title; "该公司" in a role is the company that opens the
sentence. Each rule is checked in simplified and traditional script, on sentences written for these
tests."""

from __future__ import annotations

from kb.registry import Registry
from kb.textnorm import to_simplified
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at

CHAT = (
    "昨晚几位朋友在群里聊起了折叠屏手机。\n\n"
    "林一舟 – 9:02 PM\n\n"
    "我觉得折叠屏的铰链还是太脆弱了\n\n"
    "用半年就松\n\n"
    "Mark Chen (markc) – 9:04 PM\n\n"
    "+1\n\n"
    "何 晓峰 – 9:05 PM\n\n"
    "嗯\n\n"
    "价格才是最大的问题，五位数谁买得起\n\n"
    "Mark Chen (markc) – 9:06 PM\n\n"
    "明年的新款应该会便宜不少吧\n\n"
    "林一舟 – 9:07 PM\n\n"
    "哈哈哈哈哈哈"
)


def test_chat_log_messages_go_to_their_authors():
    for text, sts in _both(CHAT):
        for anchor, who in (
            ("我觉得折叠屏", "林一舟"),
            ("价格才是最大", "何晓峰"),  # the chat client's space inside a Han name is dropped
            ("明年的新款", "Mark Chen"),  # the handle in brackets is no part of the name
        ):
            s = statement_at(sts, text, anchor)
            assert s is not None, (text, anchor, [(x.speaker, x.cue) for x in sts])
            assert (s.speaker, s.speaker_type, s.kind) == (who, "person", "direct"), (text, s)
        # a message runs to the end of its turn
        s = statement_at(sts, text, "我觉得折叠屏")
        assert s is not None and "用半年就松" in s.text, s
        # filler is no statement, and the narration before the log is nobody's
        assert all(x.text.strip() not in ("+1", "嗯", "哈哈哈哈哈哈") for x in sts), sts
        assert statement_at(sts, text, "几位朋友") is None, sts


def test_a_chat_log_ends_where_the_article_speaks_again():
    after = "\n\n对此，好麦郎工作人员回复称，“我们暂时不做折叠屏”。"
    for last in ("明年的新款一定见分晓", "哈哈"):  # a last message, or only filler before the article's words
        for text, sts in _both(CHAT.replace("哈哈哈哈哈哈", last + after)):
            if last != "哈哈":
                s = statement_at(sts, text, last)
                assert s is not None and s.speaker == "林一舟" and to_simplified(s.text) == last, (text, s)
            s = statement_at(sts, text, "我们暂时不做")
            assert s is not None and (s.speaker, s.speaker_type) == ("好麦郎", "organization"), (text, s)


def test_one_timestamped_line_is_no_chat_log():
    body = "发布会定在周五。\n\n主持人 – 9:02 PM\n\n我觉得今年的新品非常值得期待\n\n欢迎大家到场。"
    for text, sts in _both(body):
        assert statement_at(sts, text, "我觉得今年") is None, (text, sts)


def test_an_agenda_is_no_chat_log():
    body = (
        "大会日程如下。\n\n开幕式 9:00\n\n主办方介绍本届大会的主题和议程安排\n\n"
        "主题演讲 10:30\n\n多位企业家分享人工智能的最新实践\n\n圆桌论坛 14:00\n\n嘉宾讨论大模型的商业化路径"
    )
    for text, sts in _both(body):
        assert sts == [], (text, sts)


def test_answers_under_netizen_questions():
    body = (
        "网友：火星基地的电力从哪里来？\n\n"
        "贺知远：前几年主要靠太阳能，之后会建小型核反应堆。\n\n"
        "网友：第一批人要在火星待多久？\n\n"
        "贺知远：至少两年，因为发射窗口每二十六个月才有一次。"
    )
    for text, sts in _both(body):
        for anchor in ("前几年主要", "至少两年"):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.kind) == ("贺知远", "direct"), (text, anchor, sts)
        assert statement_at(sts, text, "火星基地的电力") is None, (text, sts)


def test_katakana_middle_dot_in_a_name():
    body = "白宫发言人库尔特・德维斯在一份声明中为这项议程辩护，他指出，通胀已经明显降温。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "通胀已经")
        assert s is not None, (text, sts)
        assert (s.speaker, s.title, s.organization) == ("库尔特·德维斯", "发言人", "白宫"), (text, s)


def test_dictionary_word_after_a_title_is_no_antecedent():
    # "议员全面掌握…" once gave a person "全面掌" for the 他 that follows
    body = (
        "众议院议员卡尔·温特提出议案。温特表示，这项议案能让议员全面掌握AI芯片出口细节，为后续监管夯实依据。"
        "他补充道，现有的自愿申报制度漏洞很多。"
    )
    for text, sts in _both(body, Registry.load()):
        s = statement_at(sts, text, "现有的自愿")
        assert s is not None, (text, sts)
        assert (s.speaker, s.title, s.organization) == ("卡尔·温特", "议员", "众议院"), (text, s)


def test_unknown_company_speaks_through_its_staff():
    # a brand the tagger reads, and a company known by its suffix
    for brand in ("好麦郎", "麦禾坊食品"):
        body = f"有顾客质疑包装上的宣传。对此，{brand}工作人员回复称，“挂面是工业品，手打只是名称”。"
        for text, sts in _both(body):
            s = statement_at(sts, text, "挂面是工业品")
            assert s is not None, (text, sts)
            assert (s.speaker, s.speaker_type) == (brand, "organization"), (text, s)


def test_government_official_stays_unnamed():
    body = "NASA的相关负责人表示，宇航员即将再次前往月球附近执行任务。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "宇航员即将")
        assert s is not None and (s.speaker, s.speaker_type) == (None, "unnamed"), (text, s)


def test_report_goes_on_under_its_outlet():
    body = "据The Verge报道，智谱发布了新一代模型。报道称，尽管新模型在通用任务上仍然落后，但差距正在缩小。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "尽管新模型")
        assert s is not None, (text, sts)
        assert (s.speaker, s.speaker_type) == ("The Verge", "media"), (text, s)


def test_department_belongs_to_the_title():
    body = "市场经理邓一帆向记者介绍，这套方案可以用普通摄像头实时捕捉表情。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "这套方案")
        assert s is not None, (text, sts)
        assert (s.speaker, s.title, s.organization) == ("邓一帆", "市场经理", None), (text, s)


def test_the_company_in_a_role_opens_the_sentence():
    body = (
        "美光发布了新的固态硬盘。戴尔已宣布将在企业级存储产品中采用这款硬盘，"
        "该公司高级副总裁 Travis Vigil 在介绍中强调，这款产品的总体成本更低。"
    )
    for text, sts in _both(body, Registry.load()):
        s = statement_at(sts, text, "这款产品的")
        assert s is not None, (text, sts)
        assert (s.speaker, s.title, s.organization) == ("Travis Vigil", "高级副总裁", "戴尔"), (text, s)
    # without a company to refer to, "该公司" is no organisation's name
    for text, sts in _both(body.replace("戴尔", "他们")):
        s = statement_at(sts, text, "这款产品的")
        assert s is not None and s.organization not in ("该公司", "公司"), (text, s)


def test_a_companys_lawyer_speaks_for_the_company():
    body = (
        "庭审进入最后阶段。代表星辰科技出庭的律师周敏则在结案陈词中反驳称，真正歪曲事实的是原告本人。"
        "周敏还指出，原告的证据远未达到法律要求的标准。"
    )
    for text, sts in _both(body):
        for anchor in ("真正歪曲", "原告的证据"):
            s = statement_at(sts, text, anchor)
            assert s is not None, (text, anchor, sts)
            assert (s.speaker, s.speaker_type, s.title) == ("星辰科技", "organization", None), (text, s)


def test_a_persons_lawyer_is_a_person():
    body = "原告王大成的代理律师李卫东在庭上表示，被告必须公开道歉。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "被告必须")
        assert s is not None, (text, sts)
        assert (s.speaker, s.speaker_type, s.organization) == ("李卫东", "person", None), (text, s)
        assert s.title is not None and s.title.endswith("律师"), (text, s)
