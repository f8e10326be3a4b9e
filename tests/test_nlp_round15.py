"""Round-15 attribution rules, each checked in simplified and traditional script on sentences written for
these tests:
- a second word of saying after a cue ("他警告说，…", "…否认，说…", "…吐槽，称…") belongs to the cue: what
  was said starts after it, while an idiom ("说白了") stays in what was said;
- the organisation slot holds an organisation: a word that qualifies the title ("研究负责人", "论文第一作者",
  "退役宇航员") goes back to the title, a reference ("该校经济学教授") leaves the slot empty with the rest on
  the title, and a count ("是一名软件工程师") or a bare kind of body ("公司联合创办人") is no organisation;
- a short name with an honorific ("加斯塔尼亚加教授") is the person named before; a bare title in the lead
  ("科学家表示") is no pointer to a person the article names only later; a cue word the tagger reads as a name
  after a title ("部长解释说") is no person;
- a speaker goes on: a 他 after the close of a quote ("“…” 他提出，…"), a bare 说 after a short clause with a
  named subject ("特朗普也亲自下场，说…"), "该公司…，并说明：" after a spaced date, and "“…。”并补充道，“…”";
- names: a non-breaking hyphen (CERT‑EU) and a body's initials after a Han name ending in 小组, a short form of
  a body the article names in full (日航), a surname with 某 (犯罪嫌疑人江某), and "微软发布声明，称…" is 微软;
- frames and cues: 按X的描述, 从X的解释来看, 在X的蓝图中, 据X观察, X给出的解法是, 告知, 交代, 声明, and an outlet
  in 《》 or a group described by what makes it up as the one told ("告诉《商业内幕》，…", "告诉由九人组成的陪审团，");
  rarer surnames ("安可济CEO应康博士称"); 回忆, 解答, 喊话, 放话 with a pause, 期望 with its own subject (not
  "回忆起…"); 正如X调侃的那样; 指控 (also after 提起诉讼，) and 威胁将 (not the nouns);
- announcements before an inline colon ("有网友说得在理：", "披露了一组数字：", "…转发了…，配文：");
- after a quote and its attribution ("“…”曹嘉泰对记者说，"), the writer's narration about the speaker
  ("这位…", "他还隶属于…") is no statement;
- a name the article marks as a pseudonym ("小羊（化名）") is a person's wherever it is written;
- an interview written as questions to 您 with unlabelled answers: the paragraph after each question is the
  interviewee's, and an answer under a label ("张：") is left to the label."""

from __future__ import annotations

import pytest

from kb.registry import Registry
from kb.textnorm import to_simplified
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at as _at
from tests.nlp_cases import who as _who


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(autouse=True)
def _rules(rules_only):  # the rules' own choices
    return None


@pytest.mark.parametrize(
    "body, anchor, starts",
    [
        ("黄仁勋在会上警告说，在全球性问题愈发复杂的今天，这种退步很危险。", "在全球性", "在全球性"),
        ("对于默许的说法，扎克伯格也直接否认，说那种行为本来就是违法的。", "那种行为", "那种行为"),
        ("不少网友在社交平台吐槽，称原本顺手的办公工具突然成了系统卡顿的元凶。", "原本顺手", "原本顺手"),
        ("有网友反映称，宝宝巴士App进入后会跳出成人广告。", "宝宝巴士", "宝宝巴士"),
        # an idiom that opens what was said stays in it
        ("马斯克回应，说白了这次降价只是一种营销手段。", "白了这次", "说白了"),
    ],
)
def test_a_second_word_of_saying_belongs_to_the_cue(registry, body, anchor, starts):
    for t, sts in _both(body, registry):
        s = _at(sts, t, anchor)
        assert s is not None and to_simplified(s.text).startswith(starts), (t, sts)


@pytest.mark.parametrize(
    "body, anchor, title, org",
    [
        (
            "研究第一作者卢卡斯·西顿指出，这种外流是目前记录中速度最快的一例。",
            "这种外流",
            "研究第一作者",
            None,
        ),
        (
            "项目负责人玛丽莉亚·萨马拉表示，气球的飞行高度约达到三百六十公里。",
            "气球的飞行",
            "项目负责人",
            None,
        ),
        ("退役宇航员丹尼·奥利瓦斯表示，隔热罩存在十分严重的问题。", "隔热罩存在", "退役宇航员", None),
        ("该校经济学教授罗伯托·塞拉诺透露，学校已经启动了内部调查。", "学校已经", "经济学教授", None),
        (
            "公司联合创办人兼首席技术官Tracey Wiedmeyer 表示，产品已经可以量产了。",
            "产品已经",
            "联合创办人兼首席技术官",
            None,
        ),
        # a real organisation before the title stays
        ("斯坦福大学教授李飞飞介绍，这款模型的训练成本降低了一半。", "这款模型", "教授", "斯坦福大学"),
    ],
)
def test_the_organisation_slot_holds_an_organisation(registry, body, anchor, title, org):
    for t, sts in _both(body, registry):
        s = _at(sts, t, anchor)
        assert s is not None and s.speaker_type == "person", (t, sts)
        assert s.title is not None and s.title.endswith(title[-3:]) and len(s.title) == len(title), (t, sts)
        assert (s.organization is None) == (org is None), (t, sts)


@pytest.mark.parametrize(
    "body, anchor, speaker",
    [
        # a short name with an honorific
        (
            "该理论由西班牙物理学家恩里克·加斯塔尼亚加提出。加斯塔尼亚加教授强调，目前这一理论仍处于发展阶段，尚需验证。",
            "目前这一理论",
            "恩里克·加斯塔尼亚加",
        ),
        # a 他 after the close of a quote
        (
            "马斯克在采访中表示：“我们会把一小部分专业技术，拿来用于扩建地面数据中心。” "
            "他提出，即便只将 SpaceX 的一小部分技术用于地面，也足以改变行业。",
            "即便只将",
            "埃隆·马斯克",
        ),
        # a bare 说 after a short clause with a named subject
        ("特朗普也亲自下场，说Anthropic是激进左翼觉醒公司，根本不懂现实世界。", "Anthropic是", "特朗普"),
        # a reference to the body named before, after a spaced date
        (
            "为遵守出口管制指令，Anthropic暂停了 Fable 的使用权限；7 月 1 日该公司恢复该模型服务，并说明：“新版安全防护"
            "机制相比旧版，会标记出稍多一部分无风险的请求。”",
            "新版安全防护",
            "Anthropic",
        ),
        # the speaker goes on after their quote closes
        (
            "TrendForce表示：“内存供应商和PC制造商已于2月完成第一季度的价格谈判。”并补充道，“由于大部分合同已敲定，"
            "价格短期不会下降。”",
            "由于大部分合同",
            "TrendForce",
        ),
        # a non-breaking hyphen, and a body called by its initials
        (
            "欧盟计算机应急响应小组（CERT‑EU）发布了报告。 CERT‑EU 表示，泄露数据涉及欧盟多个机构的员工信息。",
            "泄露数据",
            "欧盟计算机应急响应小组",
        ),
        # a short form of a body named in full
        (
            "日本航空公司将测试人形机器人。日航表示，人形机器人将在羽田机场承担行李搬运工作。",
            "人形机器人将",
            "日本航空公司",
        ),
        # a surname with 某
        ("到案后，犯罪嫌疑人江某交代，自己长期从事二手手机维修回收工作。", "自己长期", "江某"),
        # frames
        ("按雷军的描述，这款汽车的续航里程超过了八百公里。", "这款汽车", "雷军"),
        ("从微软自己的解释来看，Windows 11 之所以内存占用偏高是因为缓存。", "Windows 11", "微软"),
        ("在魏哲家的蓝图中，机器人具备人类无法比拟的优势。", "机器人具备", "魏哲家"),
        ("据雷军观察，新能源车的用户更在意智能座舱的体验。", "新能源车", "雷军"),
        (
            "针对AI安全的约束机制，马斯克给出的解法是，全球头部大模型厂商建立沟通机制。",
            "全球头部",
            "埃隆·马斯克",
        ),
        # cues
        ("至于定位，马春荃告知，易快报更多是面向中小企业，按照SaaS标准收费。", "易快报更多", "马春荃"),
        ("华为计划申请豁免，并已告知委员会，该公司正在美国制造业投资数亿美元。", "该公司正在", "华为"),
        (
            "OpenAI宣布了新的政策。萨姆·奥尔特曼声明，OpenAI将禁止大规模监控。",
            "OpenAI将禁止",
            "萨姆·奥尔特曼",
        ),
        (
            "捷克开发者弗拉迪斯拉夫·拉伊特马耶尔告诉《商业内幕》，他在周二取消了订阅，水印是主要原因。",
            "他在周二",
            "弗拉迪斯拉夫·拉伊特马耶尔",
        ),
        (
            "谈到肿瘤液态活检市场，安可济CEO应康博士称，“此前无创产前诊断已发展到了很高的水平。”",
            "此前无创",
            "应康",
        ),
        (
            "三个月后的财报会上，雷军亲口披露了一组数字：小米汽车的月交付量从两万台涨到了四万台。",
            "小米汽车的",
            "雷军",
        ),
        (
            "X平台账号Hedgie转述此事时得到马斯克回复。后者表示：“已经要求团队保存图书馆中所有珍贵的书籍。”",
            "已经要求",
            "埃隆·马斯克",
        ),
        (
            "当被问及该账号是否由AI代为操作时，雷军回复：“不是的，这个账号一直由我本人来操作。”",
            "不是的",
            "雷军",
        ),
        # a pseudonym, also after a relative clause and in a frame
        ("在重庆经营着一家民宿的小羊（化名）告诉差评君，她的民宿上线后流量很少。", "她的民宿", "小羊"),
        (
            "小羊（化名）经营着一家民宿。根据小羊的说法，平台有一段时间屏蔽了三年以上的评论。",
            "平台有一段",
            "小羊",
        ),
        (
            "拥有200万用户的图片社交平台创始人雷军回忆，几年前他想融资时，曾列出了市面上所有可能的投资人。",
            "几年前他想",
            "雷军",
        ),
        (
            "GPT-5.5缩小了差距。不仅如此，马斯克喊话，OpenAI的数据调优太机械了，赶紧向Anthropic学习。",
            "OpenAI的数据",
            "埃隆·马斯克",
        ),
        (
            "OpenAI已宣布将三款应用整合为一款超级应用。OpenAI期望，这款整合后的产品能让员工围绕统一的目标开展工作。",
            "这款整合后",
            "OpenAI",
        ),
        ("正如雷军调侃的那样，虽然小偷动作很快，但在如今这种市价下谁才是赢家还很难说。", "虽然小偷", "雷军"),
        ("奥特曼告诉由九人组成的陪审团，他对那个计划感到非常不安。", "他对那个计划", "萨姆·奥尔特曼"),
        (
            "马斯克是OpenAI的共同创始人之一。他在 2024 年提起诉讼，指控奥特曼背离了公司的非营利使命。",
            "奥特曼背离",
            "埃隆·马斯克",
        ),
        ("在最高法院废除其关税计划后，特朗普威胁将对那些耍花样的国家征收更高关税。", "将对那些", "特朗普"),
        # 声明 as the noun: the company, not "微软发布"
        ("微软发布声明，称将对此次泄露事件展开调查。", "将对此次", "微软"),
    ],
)
def test_round15_speakers(registry, body, anchor, speaker):
    for t, sts in _both(body, registry):
        got = _who(sts, t, anchor)
        assert got is not None and got[0] is not None and to_simplified(got[0]) == speaker, (t, sts)


@pytest.mark.parametrize(
    "body, anchor, not_speaker",
    [
        # a bare title in the lead is no pointer to the scientist named later
        (
            "科学家表示，太平洋上持续增强的厄尔尼诺现象有望成为一百五十年来最强的一次。\n\n在新闻发布会上，该机构"
            "气候科学家Zeke Hausfather介绍，一系列气候模型预测显示峰值强度或将远超此前纪录。",
            "太平洋上",
            "Zeke Hausfather",
        ),
        # a cue word is no name after a title
        (
            "进这个名单意味着什么呢？\n\nDoW部长解释说：进了这个名单，凡是和我们有合约的公司都不能和它合作。",
            "进了这个名单",
            "解释",
        ),
    ],
)
def test_round15_no_wrong_speaker(registry, body, anchor, not_speaker):
    for t, sts in _both(body, registry):
        got = _who(sts, t, anchor)
        assert got is None or got[0] is None or to_simplified(got[0]) != not_speaker, (t, sts)


def test_a_bare_shuo_inside_a_statement_or_an_idiom_starts_nothing(registry):
    # the clause before has a cue of its own: 说 goes on inside that statement
    body = "马斯克表示，这家公司道貌岸然，说一套做一套，根本不值得信任。"
    for t, sts in _both(body, registry):
        assert len(sts) == 1 and to_simplified(sts[0].text).startswith("这家公司"), (t, sts)


INTERVIEW = """Taylor Ling 是一位不懈倡导优质 UI 与 UX 设计的设计师. 在 Android 界他以自己的活动而闻名.

Taylor 的博客可以说是最富饶的设计资源聚集地. 我们与 Taylor 聊了很多.

您是如何定义 UX 的呢?

唔, 这个问题真是一如既往的难应付啊.

您的点子都是从哪儿来的呢?

哈哈哈, 能召唤点子的仪式是不存在的.

您幸福么? 您对未来有什么打算?

幸福? 哈哈当然咯. 简直不能更幸福了~"""


def test_unlabelled_interview_answers_are_the_interviewees(registry):
    for t, sts in _both(INTERVIEW, registry):
        got = [(s.speaker, s.kind) for s in sts]
        assert got == [("Taylor Ling", "direct")] * 3, (t, sts)
        assert to_simplified(sts[0].text).startswith("唔"), (t, sts)


def test_two_questions_are_no_interview(registry):
    body = INTERVIEW.rsplit("\n\n您幸福么", 1)[0]
    for t, sts in _both(body, registry):
        assert sts == [], (t, sts)


def test_someone_of_a_trade_after_you_is_unnamed(registry):
    body = (
        "它的性能都优于 Claude Code。有工程师在 OpenClaw 上运行了一周，表示：“说它运行良好都算是保守的说法。”"
    )
    for t, sts in _both(body, registry):
        s = _at(sts, t, "说它运行良好")
        assert s is not None and s.speaker is None and s.speaker_type == "unnamed" and not s.organization, (
            t,
            sts,
        )


@pytest.mark.parametrize(
    "body",
    [
        "一个 Telegram 开发者从注册 bot 到收到第一条消息回复，整个过程不超过五分钟。",
        "段永平也不会如此刻薄回复，跟风骂的人本质是先敬罗裳后敬人。",
        "在诉讼中，奥特曼向陪审团回忆起近十年前一个“令人毛骨悚然的时刻，那是一次很长的会议”。",
        "业务经理通常会以一些手段作为威胁，包括但不限于流量置底和下架门店。",
        "施密特去年面临的性侵指控，至今仍让一些学生非常不满。",
    ],
)
def test_a_cue_word_as_a_noun_or_inside_another_verb_is_no_cue(registry, body):
    for t, sts in _both(body, registry):
        assert sts == [], (t, sts)


def test_the_writers_narration_after_a_quotes_attribution_is_no_statement(registry):
    body = (
        "“感觉2010年的东南亚就像是2002年的中国。”曹嘉泰对记者说，这位哈佛经济学系毕业的美籍华人个子不高，戴无框眼镜。"
        "“外层材料会逐渐烧蚀，但不会全部烧尽。”麦克道尔解释道，他还隶属于英国杜伦大学空间研究中心。"
    )
    for t, sts in _both(body, registry):
        assert _at(sts, t, "这位哈佛") is None and _at(sts, t, "他还隶属") is None, (t, sts)
        assert _at(sts, t, "感觉2010年") is not None, (t, sts)


def test_what_is_said_after_a_quotes_attribution_stays(registry):
    body = "“我们是否摧毁了它们？是的，我们做到了。”泽连斯基称，自己已看到乌方武器击落无人机的视频画面。"
    for t, sts in _both(body, registry):
        assert _at(sts, t, "自己已看到") is not None, (t, sts)
