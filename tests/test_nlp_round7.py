"""Round-7 attribution rules, each checked in simplified and traditional script on sentences written for
these tests, with guards against the readings the rules must not make:
- cues: one straight after a comma inside a statement starts the same speaker's next one ("X认为…，呼吁…");
  a weak cue with no pause counts after a named subject ("Meta承诺支持…") or after 并 ("…，并多次呼吁…");
  "，并对记者称“…”" goes on with the same speaker; 担心, 担忧, 推测, 怀疑; no cue in 简单地说, 反映在,
  并不透露, 日益担忧, 开发者大会;
- who speaks: a document as the subject ("声明提到", "信中写道", "新闻稿写道") speaks for whoever issued it;
  "据X的报道", "据X发布的声明", "用X的话说" frame someone's words; a view announced by a colon is its
  owner's ("X抛出颠覆性结论：…"); countries, one country's side ("美方") and the police are
  organisations, "主办方" the organisation named before; a reference goes to the organisation that spoke,
  not a term tagged since; unnamed groups (反对者, 审稿人, 交易员…);
- quotes: a feature story's uncued quote belongs to the person its 他/她 stands for, named sentences
  before; a first-person quote in a sentence about a person is that person's; a quote split by a clause
  with no cue word is the named person's; "X预计" and "X坦诚" after a quote; a share of survey respondents
  is no antecedent;
- names: a common word is no name ("任职于…的数学家X"); a Latin name ends the subject before its predicate,
  a company before a title is none; "X的 NAME", "第一作者、…的NAME博士", a rank after the name, 小刘."""

from __future__ import annotations

import pytest

from kb.registry import Registry
from kb.textnorm import to_simplified
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at
from tests.nlp_cases import who as _who


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def test_a_cue_after_a_comma_starts_the_same_speakers_next_statement():
    body = "赵立新认为这类风险不容小觑，呼吁各家公司暂停前沿模型的研发；同时坦言，各方很难在短期内达成一致。"
    for text, sts in _both(body):
        for anchor in ("这类风险不容小觑", "各家公司暂停", "各方很难"):
            assert _who(sts, text, anchor) == ("赵立新", "person"), (text, anchor, sts)
        first = statement_at(sts, text, "这类风险不容小觑")
        assert first is not None and "暂停" not in to_simplified(first.text), first


def test_a_chained_cue_inside_someone_elses_report_is_not_split_off():
    body = "一位知情人士称，当对手取得领先时，周明在大会上向员工发表讲话，敦促团队加快研发进度。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "团队加快研发进度")
        assert s is not None and s.speaker_type == "unnamed", (text, sts)


def test_a_common_word_is_no_name_before_a_title(registry):
    for text, sts in _both("任职于百度的数学家孙浩对外表示，这个猜想的反例已经找到。", registry):
        s = statement_at(sts, text, "这个猜想的反例")
        assert s is not None, (text, sts)
        assert (s.speaker, s.title, s.organization) == ("孙浩", "数学家", "百度"), s


def test_a_latin_name_ends_the_subject_before_its_predicate():
    body = "好莱坞导演Mark Ellison花费60美元，便用这款工具做出了一支预告片，并直言该工具将改变整个行业。"
    for text, sts in _both(body):
        assert _who(sts, text, "该工具将改变") == ("Mark Ellison", "person"), (text, sts)


def test_a_document_speaks_for_whoever_issued_it(registry):
    cases = (
        (
            "小米发布了一份关于新品延期的声明。声明提到，公司将继续投入研发。",
            "公司将继续投入",
            ("小米", "organization"),
        ),
        # a company's own paper with no issuer in sight: the company the sentence before is about
        (
            "小米是多家零售商的合作伙伴。新闻稿写道，新的合作将带来更多用户。",
            "新的合作将带来",
            ("小米", "organization"),
        ),
        # a letter's signatories, a group with no name
        (
            "两百多名工程师签署了一封公开信，要求公司撤回决定。\n\n信中写道：“我们不希望技术被滥用。”",
            "我们不希望技术",
            (None, "unnamed"),
        ),
        # "招聘信息" is no letter ("信")
        (
            "小米近日发布了招聘信息。招聘信息写道：“我们正在组建新的智能体团队。”",
            "我们正在组建",
            ("小米", "organization"),
        ),
    )
    for body, anchor, want in cases:
        for text, sts in _both(body, registry):
            assert _who(sts, text, anchor) == want, (text, sts)


def test_a_document_with_no_issuer_is_nobodys(registry):
    for text, sts in _both("天气转凉了。声明提到，活动将延期举行。", registry):
        assert statement_at(sts, text, "活动将延期") is None, (text, sts)


def test_a_report_or_a_statement_as_the_frame(registry):
    cases = (
        ("据路透社今年早些时候的报道，该平台曾计划推出支付服务。", "该平台曾计划", ("路透社", "media")),
        (
            "据市长办公室周日发布的声明，市长将在周一发表讲话。",
            "市长将在周一",
            ("市长办公室", "organization"),
        ),
    )
    for body, anchor, want in cases:
        for text, sts in _both(body, registry):
            assert _who(sts, text, anchor) == want, (text, sts)


def test_telling_the_press_goes_on_with_the_same_speaker():
    body = "周明曾表示，若法院判其败诉，他将考虑替代方案，并对记者称“我们必须准备第二套方案”。"
    for text, sts in _both(body):
        first = statement_at(sts, text, "若法院判其败诉")
        assert first is not None and first.speaker == "周明", (text, sts)
        assert "记者" not in to_simplified(first.text), first
        s = statement_at(sts, text, "我们必须准备")
        assert s is not None and (s.speaker, s.kind) == ("周明", "direct"), (text, sts)


FEATURE = (
    "李维今年三十二岁，做过保安、外卖员和网约车司机。他一度靠失业金度日。"
    "去年年底，他报名参加了免费的电工培训。\n\n"
    "“三个月，每天四个半小时，我从小白变成了中级电工。”课程从电路原理教起。\n\n"
    "“现在十个人里面大概七个能拿证。”他预计。"
)


def test_a_feature_storys_uncued_quote_is_the_person_it_follows():
    for text, sts in _both(FEATURE):
        for anchor in ("三个月，每天", "现在十个人"):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.kind) == ("李维", "direct"), (text, anchor, sts)


def test_an_uncued_quote_is_not_given_to_the_one_it_speaks_about_nor_to_a_narrators_friend():
    cases = (
        # the quote speaks of 他: the one who says it is someone else (the station master)
        (
            "骑手万志强每天跑单十多个小时。站长介绍，万志强很少休息。因为债务压力，他经常不听劝。"
            "“每次见到他，我都劝他休息几天，但他往往坚持跑单。”",
            "每次见到他",
        ),
        # an essay's narrator ("我") and a friend: no named person said it
        (
            "陈立在创业初期吃过很多苦。\n\n2009年我遇到一个同学，他问我在做什么，我回答说在创业。\n\n"
            "“不会吧，你还在做这个？”我的同学当时很吃惊。",
            "不会吧",
        ),
    )
    for body, anchor in cases:
        for text, sts in _both(body):
            s = statement_at(sts, text, anchor)
            assert s is None or s.speaker_type != "person", (text, sts)


def test_a_countrys_side_speaks_as_its_government():
    for text, sts in _both("美方表示，此次行动的目的是保障航运安全。"):
        assert _who(sts, text, "此次行动的目的") == ("美方", "organization"), (text, sts)


@pytest.mark.parametrize(
    "body, anchor",
    (
        ("横轴表示每篇论文的作者数，颜色表示论文所属的技术方向。", "论文所属的技术方向"),  # 颜色 is a word
        ("“考个电工证”从一句网络调侃，变成了许多人真实的选择。", "变成了许多人"),  # 调侃 as a noun
        ("约八成受访者认为，AI培训的价值已超过学位，反映出企业对人才的迫切需求。", "企业对人才"),  # 反映出
    ),
)
def test_words_that_only_look_like_speakers_or_cues(body, anchor):
    for text, sts in _both(body):
        s = statement_at(sts, text, anchor)
        assert s is None or s.speaker_type != "person" and s.cue not in ("调侃", "反映"), (text, sts)


def test_countries_the_police_and_a_bodys_own_side_speak_as_organisations(registry):
    cases = (
        (
            "土耳其周五晚些时候表示，近日也有一艘本国船只驶过海峡。",
            "近日也有一艘",
            ("土耳其", "organization"),
        ),
        ("警方提示：凡是打着交友刷单幌子的，都是诈骗。", "凡是打着", ("警方", "organization")),
        # "主办方", "项目方": the organisation named before
        (
            "小米举办了一场开发者大赛。主办方表示，所有作品的大小不能超过一兆字节。",
            "所有作品的大小",
            ("小米", "organization"),
        ),
    )
    for body, anchor, want in cases:
        for text, sts in _both(body, registry):
            assert _who(sts, text, anchor) == want, (text, sts)


def test_a_reference_goes_to_the_organisation_that_spoke_not_a_term_named_since(registry):
    body = (
        "国家数据局表示，将鼓励更多长期“耐心资本”支持科技型企业的发展。\n\n"
        "监管层强调，通过强化监管，有助于为行业营造良好生态。"
    )
    for text, sts in _both(body, registry):
        assert _who(sts, text, "通过强化监管") == ("国家数据局", "organization"), (text, sts)


def test_roles_before_a_described_person():
    cases = (
        (
            "野村证券首席策略师Hideo Tanaka表示，外资会继续流入。",
            "外资会继续",
            ("Hideo Tanaka", "首席策略师", "野村证券"),
        ),
        (
            "星河资本的 David Moore 表示，这家公司在短时间内发展迅速。",
            "这家公司在短时间",
            ("David Moore", None, "星河资本"),
        ),
        (
            "论文第一作者、剑桥大学地球科学系的Emma Hart博士表示，这项研究很重要。",
            "这项研究很重要",
            ("Emma Hart", "博士", "剑桥大学地球科学系"),
        ),
        # the rank follows the name
        (
            "北约军事指挥官皮埃尔·杜邦海军上将表示，速度将是关键。",
            "速度将是关键",
            ("皮埃尔·杜邦", "指挥官", "北约"),
        ),
    )
    for body, anchor, want in cases:
        for text, sts in _both(body):
            s = statement_at(sts, text, anchor)
            assert s is not None, (text, sts)
            assert (s.speaker, s.title) == want[:2] and to_simplified(s.organization or "").startswith(
                want[2] or ""
            ), s


def test_a_letter_or_a_memo_as_the_subject_goes_to_its_sender(registry):
    body = (
        "美国司法部在周五发出了一封长达两页的信函，拒绝协助调查。\n\n该信函还表示，此举违背了言论自由的原则。"
    )
    for text, sts in _both(body, registry):
        assert _who(sts, text, "此举违背了") == ("美国司法部", "organization"), (text, sts)


def test_a_quote_split_by_a_clause_with_no_cue_is_the_named_persons():
    body = "“钙钛矿电池可以采用连续制造，”李永舫描述了一幅令人向往的图景，“这意味着成本会大幅下降。”"
    for text, sts in _both(body):
        for anchor in ("钙钛矿电池可以", "这意味着成本"):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.kind) == ("李永舫", "direct"), (text, anchor, sts)


def test_less_common_surnames_and_cue_words_after_a_quote():
    cases = (
        ("“今天大部分人其实是在配合电脑工作。”傅盛对这款工具发出了如此感叹。", "今天大部分人", "傅盛"),
        ("“我们是在社区医院的基础上做增值服务。”马长山坦诚，难点也非常明显。", "我们是在社区", "马长山"),
    )
    for body, anchor, who in cases:
        for text, sts in _both(body):
            assert _who(sts, text, anchor) == (who, "person"), (text, sts)


def test_feature_quotes_a_person_says_as_i():
    cases = (
        # a first-person quote inside a sentence about a person: the person's, whatever follows it
        (
            "刘伟瀚发现本地人工作态度堪忧，“我看过一个调查，印尼人的工作效率跟北欧差不多”，人才是最大的障碍。",
            "我看过一个调查",
            "刘伟瀚",
        ),
        # "他说：“…，”" and the narration goes on
        ("张伟坐在卡车里。他说：“这段路我跑了二十年，每个弯都认识，”显然他很自豪。", "这段路我跑了", "张伟"),
        # a description, 的, and a transliterated name after a quote
        (
            "“我申请了大概八千份工作，但一个全职工作都没拿到，”纽约大学信息系统专业的德鲁夫说。",
            "我申请了大概",
            "德鲁夫",
        ),
        ("“明年我们的价格不会上涨，”智谱创始人唐杰很快回应称。", "明年我们的价格", "唐杰"),
    )
    for body, anchor, who in cases:
        for text, sts in _both(body):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.kind) == (who, "direct"), (text, sts)


def test_a_company_before_a_title_is_no_latin_name():
    for _text, sts in _both("Pic Mix创始人卡尔文非常兴奋，并表示中国有很多团队适合来这里。"):
        assert all(s.speaker != "Pic Mix" for s in sts), sts


def test_a_weak_cue_with_no_pause_after_a_named_subject(registry):
    cases = (
        ("今年7月，微软此前曾承诺改进Windows 11的性能表现。", "改进Windows", ("微软", "organization")),
        (
            "特朗普长期以来频繁指责新闻机构撒谎，并多次呼吁撤销部分广播媒体的牌照。",
            "新闻机构撒谎",
            ("特朗普", "person"),
        ),
        (
            "特朗普长期以来频繁指责新闻机构撒谎，并多次呼吁撤销部分广播媒体的牌照。",
            "撤销部分广播",
            ("特朗普", "person"),
        ),
    )
    for body, anchor, want in cases:
        for text, sts in _both(body, registry):
            assert _who(sts, text, anchor) == want, (text, sts)
            if anchor == "新闻机构撒谎":  # the accusation ends where the appeal begins
                first = statement_at(sts, text, anchor)
                assert first is not None and "呼吁" not in to_simplified(first.text), first


@pytest.mark.parametrize(
    "body, anchor",
    (
        ("苹果还被指正在测试与高血压提醒相关的新功能。", "相关的新功能"),  # far from its subject, a noun
        ("尽管 Claude 在用户分享链接时会提醒用户存在风险，但很多用户并不清楚。", "用户存在风险"),
        # the author's inference about a company's aim (data/gold/LABELLING.md, batch 21); a company's own
        # 希望 as the sentence's predicate counts (batches 21, 23: test_nlp_subject_gaps.py)
        ("苹果显然希望借助这款新模型在企业市场扳回一城。", "借助这款新模型"),
    ),
)
def test_weak_cues_that_are_no_speech(body, anchor, registry):
    for text, sts in _both(body, registry):
        assert statement_at(sts, text, anchor) is None, (text, sts)


def test_groups_that_speak_unnamed():
    cases = (
        ("反对者担心，这会把州政府已经建立的监管体系一笔勾销。", "这会把州政府"),
        ("《自然》审稿人认为，这项工作对融合光学和太赫兹通信意义重大。", "这项工作对融合"),
        ("预测交易平台的交易员表示，这起诉讼的胜算并不高。", "这起诉讼的胜算"),
        ("研究人员怀疑，这种干扰可能会影响大脑的发育。", "这种干扰可能"),
        ("这种奇特的结构让天文学家推测，它可能是两个矮星系合并的产物。", "它可能是两个"),
    )
    for body, anchor in cases:
        for text, sts in _both(body):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.speaker_type) == (None, "unnamed"), (text, sts)


def test_worry_as_a_noun_and_a_conference_are_nobodys():
    cases = (
        ("外界对高级AI系统入侵数字基础设施的影响日益担忧，尤其是代理可能破坏人类控制的情景。", "尤其是代理"),
        ("谷歌将举办一年一度的开发者大会，预计将重点展示大模型的一系列升级。", "将重点展示"),
    )
    for body, anchor in cases:
        for text, sts in _both(body):
            assert statement_at(sts, text, anchor) is None, (text, sts)


def test_a_share_of_survey_respondents_is_no_antecedent():
    body = (
        "吉布森还提到，在最新发布的行业报告中，受访的开发者里有90%表示已在开发中使用AI。\n\n"
        "“九成的人都在用AI，却有一半的人认为这是件坏事。”他总结道。"
    )
    for text, sts in _both(body):
        s = statement_at(sts, text, "九成的人都在用")
        assert s is not None and s.speaker == "吉布森", (text, sts)


def test_a_view_announced_by_a_colon_is_its_owners(registry):
    cases = (
        ("基于这一逻辑，马斯克抛出颠覆性结论：2036年金钱将彻底失去意义。", "2036年金钱", "埃隆·马斯克"),
        (
            "这也印证了英伟达首席执行官黄仁勋此前的担忧：英伟达正面临失去中国市场的风险。",
            "英伟达正面临",
            "黄仁勋",
        ),
        ("摩根大通 CEO 戴蒙上月也表达过类似观点：AI 工具长期或许能帮助防御方。", "AI 工具长期", "戴蒙"),
    )
    for body, anchor, who in cases:
        for text, sts in _both(body, registry):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.kind) == (who, "indirect"), (text, sts)


@pytest.mark.parametrize(
    "body, anchor",
    (
        ("在媒体吹风会上，布罗克曼还反驳了当下主流观点：开源模型的运行成本低于闭源模型。", "开源模型的运行"),
        ("AT&T首度回应：与时代华纳联合后意欲打造媒体巨头\n合并预计明年完成。", "与时代华纳"),  # a headline
    ),
)
def test_views_that_are_not_the_subjects_own(body, anchor, registry):
    for text, sts in _both(body, registry):
        s = statement_at(sts, text, anchor)
        assert s is None or s.cue not in ("观点", "回应"), (text, sts)


def test_frames_of_someones_words_and_feature_nicknames(registry):
    cases = (
        ("用奥特曼自己的话说，GPT-5.5已经拉开了断层级的差距。", "GPT-5.5已经", "萨姆·奥尔特曼"),
        ("根据小刘的说法，平台有一段时间屏蔽了差评。", "平台有一段时间", "小刘"),
    )
    for body, anchor, who in cases:
        for text, sts in _both(body, registry):
            s = statement_at(sts, text, anchor)
            assert s is not None and s.speaker == who, (text, sts)


@pytest.mark.parametrize(
    "body, anchor",
    (
        ("这家创业公司已经募集了两千多万美元资金，不过公司并不透露具体的金额构成。", "具体的金额"),  # negated
        ("简单地说，空间多线程可以在执行单元空闲时从其他线程拉取指令。", "空间多线程"),  # an idiom
        ("受此消息影响，投资者的担忧情绪迅速反映在股价上，盘前一度下跌。", "股价上"),  # reflects
    ),
)
def test_cue_words_that_say_nothing_here(body, anchor):
    for text, sts in _both(body):
        assert statement_at(sts, text, anchor) is None, (text, sts)
