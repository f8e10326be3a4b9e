"""Finding what was said: direct quotes, reported speech after cue words, and the frames
"在X看来", "据X介绍", "X的观点是". Each finder returns `Candidate`s whose speaker is still a parsed
phrase; coreference and attribution (kb/nlp/attribution.py) turn them into Statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.nlp.lexicon import SURNAMES, Lexicon, common_word, looks_like_person
from kb.nlp.lexicon import pos_tags as _pos
from kb.nlp.speakers import LOCAL_NAMES, PARENS, PLURAL_PRONOUNS, Speaker, SpeakerParser
from kb.nlp.subjects import REPRESENTATIVE_TAIL, TAIL_OK, SubjectTagger
from kb.textnorm import same_alias

OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", '"': '"'}
SENT_END = "。！？!?\n"
CLAUSE_BOUND = "。！？!?；;，,：:\n"
MIN_CONTENT = 4

# Cue words that are part of other words ("也就是说", "被称为", "所认为"): checked around a hit.
# ("…研究所", "…事务所": a name ending in the institution word 所, before a cue, is no particle)
INSTITUTE = re.compile(r"(?:研究|事务|交易|派出|诊|计算|物理|化学|科学|实验)所$")
BAD_BEFORE = {
    # "据分析，", "经过分析，": an analysis with no one behind it
    "分析": ("据", "经", "经过", "通过", "进行", "深入", "综合", "初步", "数据", "技术"),
    "说": (
        "来",
        "所",
        "据",
        "就是",
        "比如",
        "再",
        "小",
        "游",
        "听",
        "虽",
        "换句话",
        "可以",
        "不得不",
        "应该",
        "或者",
        "很难",
        "不用",
        "话",
        "传",
        "学",
        "演",
        "解",
        "劝",
        "胡",
        "乱",
        "实话实",
        "总的来",
        "一般来",
        "相对来",
        "简单",
        "简单地",
        "确切地",
        "准确地",
        "具体地",
        "坦白地",
        "不好",
        "怎么",
        "这么",
        "那么",
        "这样",
        "那样",
        "难",
        "会",
        "能",
        "要",
        "敢",
        "想",
    ),
    "称": (
        "著",
        "所",
        "被",
        "简",
        "自",
        "堪",
        "号",
        "统",
        "俗",
        "昵",
        "人",
        "名",
        "通",
        "职",
        "对",
        "相",
        "匀",
        "戏",
        "尊",
        "爱",
        "并",
        "总",
        "合",
        "谓",
        "改",
        "宣",
        "声",
        "着",
    ),
    "道": (
        "知",
        "报",
        "街",
        "轨",
        "渠",
        "通",
        "频",
        "车",
        "难",
        "味",
        "赛",
        "跑",
        "管",
        "隧",
        "航",
        "一",
        "大",
        "正",
        "霸",
        "门",
        "说",
        "写",
        "答",
        "问",
        "补充",
        "笑",
        # 轨道, 频道, 渠道, 通道, 知道, 人道, 街道: a noun or another verb, not "said"
        "轨",
        "频",
        "渠",
        "通",
        "知",
        "人",
        "街",
    ),
    "问": (
        "访",
        "疑",
        "学",
        "顾",
        "询",
        "提",
        "发",
        "追",
        "反",
        "审",
        "过",
        "请",
        "慰",
        "质",
        "拷",
        "没",
        "不",
        "试",
    ),
    "认为": ("被", "所", "普遍", "一般", "对其", "公"),  # ("被公认为": acknowledged as)
    # ("收到第一条消息回复，", "刻薄回复，": the noun, or a manner of replying that says no more)
    "回复": ("的", "条", "消息", "刻薄", "收到", "自动", "性", "及时", "未", "没有", "不", "被", "所"),
    # ("发布声明，称…": the noun; 称 is the cue)
    "声明": ("发布", "发表", "发出", "的", "份", "联合", "在", "公开", "官方", "其", "该", "此", "项", "篇"),
    "表示": ("所", "被", "以", "来"),
    "介绍": ("自我", "被", "所"),
    "提到": ("被", "所", "上文", "前面", "前文", "文中"),
    "预计": ("被", "所", "原"),
    "估计": ("被", "所", "原"),
    "报道": ("被", "所", "此前", "相关", "的"),
    "消息": ("的", "该", "此", "新", "好", "坏", "小道"),
    "承认": ("被", "所", "不"),
    "回应": ("被", "所", "未", "没有", "没", "不"),
    "相信": ("不", "很难", "难以"),
    "宣布": ("被", "所", "未", "尚未"),
    "谈到": ("被", "所", "未"),
    "强调": ("被", "所", "大力"),
    **{
        v: ("被", "所", "遭", "受到", "不")
        for v in ("指责", "质疑", "谴责", "抨击", "批评", "嘲讽", "反驳", "驳斥")
    },
}
BAD_AFTER = {
    "说": (
        "明",
        "法",
        "服",
        "话",
        "辞",
        "书",
        "唱",
        "客",
        "教",
        "笑",
        "三道四",
        "不定",
        "好",
        "出",
        "过",
        "这番",
        "那番",
        "这句",
        "那句",
        "这话",
        "这些话",
        "此话",
    ),
    "称": ("为", "作", "号", "之", "呼", "谓", "职", "赞", "霸", "雄", "心", "得上", "道"),
    "道": (
        "路",
        "理",
        "歉",
        "德",
        "具",
        "别",
        "家",
        "教",
        "义",
        "观",
        "口",
        "士",
        "谢",
        "路",
        "上",
        "中",
        "题",
    ),
    "问": ("题", "世", "责", "询", "候", "卷", "号", "答", "鼎", "诊", "津", "及", "询"),
    "表示": ("式", "法"),
    # "指出了问题", "强调了重要性": an object noun phrase, not what was said
    "指出": ("了",),
    "强调": ("了",),
    "承认": ("了",),
    "介绍": ("了", "信", "人", "费"),
    "提到": ("了", "这一", "这个", "这些", "此事"),  # "提到这一雄心": an object noun phrase
    "预计": ("于", "在"),
    "报道": ("了", "的"),
    "消息": ("的", "了"),
    "回应": ("了", "的"),
    "说明": ("书", "会", "了", "的"),
    "宣布": ("了",),
    "谈到": ("了", "过"),
    "爆料": ("人", "者"),
}
BAD_BEFORE["预估"] = ("被", "所", "原")
# "让人觉得", "大家都觉得", "不觉得": a feeling caused or shared, not someone's stated view
BAD_BEFORE["觉得"] = tuple("让 使 令 人 会 不 都 总 也会 大家 有人 我 我们 你 你们 就".split())
BAD_AFTER["预估"] = ("的", "于", "在", "值")
# "输入一个提示，…": 提示 as a noun after a measure word
BAD_BEFORE["提示"] = ("个", "条", "项", "些", "种", "被", "所", "的", "此", "该", "系统")
BAD_BEFORE["说到"] = ("所", "就是", "话", "来", "一")
BAD_AFTER["说到"] = ("底", "这", "那", "此", "做", "了", "过")
BAD_BEFORE["担忧"] = ("日益", "引发", "引起", "的", "表示", "感到", "深表")  # worry as a noun or a mood
BAD_BEFORE["担心"] = ("不用", "不必", "无需", "别", "的", "让人", "令人", "引发")
# "披露信息将自动启用", "信息披露要求": disclosure as a noun, not someone disclosing
BAD_AFTER["披露"] = tuple("了 信息 内容 要求 义务 制度 规则 标准 文件 方式 机制 频率 范围 周期".split())
BAD_BEFORE["披露"] = ("信息", "数据", "财务", "及时", "公开", "的", "被", "所")
BAD_AFTER["反映"] = ("出", "在")  # "…，反映出企业正迫切需要…": reflects, not reports
# "多项建议，", "此前部分预测值", "支持者和批评者": the cue word inside a noun
BAD_BEFORE["建议"] = tuple("多项 几项 一项 专长 安全 改进 修改 合理 相关 这些 上述".split())
BAD_AFTER["预测"] = tuple("值 数据 模型 结果 区间".split())
BAD_AFTER["批评"] = tuple("者 声 家".split())
BAD_AFTER["回忆"] = tuple("起 了 过 着 的 录 中".split())  # ("回忆起近十年前一个…时刻": recalls an event)
BAD_BEFORE["指控"] = ("的", "项", "些", "被", "所", "该", "此", "性侵", "刑事")  # ("面临的性侵指控")
BAD_AFTER["指控"] = ("是", "的", "中", "已")
# the noun ("构成威胁", "潜在的威胁")
BAD_BEFORE["威胁"] = tuple("作为 潜在 的 构成 安全 带来 造成 面临 受到 成为 种 大 些 到 出".split())
# "提出质疑", "外界质疑", "被用户吐槽已久的": a noun, or a passive (the one complained about is the subject)
BAD_BEFORE["质疑"] = ("提出", "发出", "外界", "的", "被", "所", "遭")
BAD_BEFORE["吐槽"] = ("被", "所", "遭", "的")
BAD_BEFORE["抱怨"] = ("被", "所", "遭", "的")
# "引发了不少猜测": 猜测 as a noun
BAD_BEFORE["猜测"] = ("不少", "各种", "种种", "了", "的", "些", "这一", "此", "有", "被", "所")
# "表示" with an attitude that closes the clause ("表示强烈反对。", "表示欢迎，"); not "表示支持在…加强保护"
ATTITUDE_SHOWN = re.compile(
    r"(?:强烈|坚决|高度|极大|深切|诚挚|衷心)?"
    r"(?:反对|支持|欢迎|感谢|遗憾|关注|赞赏|不满|祝贺|愤怒|歉意|抗议|震惊|失望|认可|同意|理解|谴责|哀悼|慰问)"
    r"[^，。！？；\n]{0,6}(?:[，。！？；\n]|$)"
)
# "强调了芯片在机器人领域的基础性作用", "承认了…的局限性": a cue with 了 and a noun phrase that carries a claim
CLAIM_NP_CUES = frozenset(("强调", "承认"))
CLAIM_NP = re.compile(
    r"了[^，。！？；;：:\n“”]{2,30}?的[^，。！？；;：:\n“”的]{0,8}"
    r"(?:作用|重要性|必要性|紧迫性|局限性|风险|价值|意义|地位|优势|不足|缺陷)(?=[，,。！？；;：:\n])"
)
# "在…", "当…": a clause of time or place that opens with its preposition
TIME_LEAD = re.compile(r"\s*(?:在|当|于)")
# A content whose first clause ends like this is a time clause ("…宣布关停的当晚，"), not what was said.
TIME_CLAUSE = re.compile(r"(?:时|后|之后|以后|之前|以前|当晚|当天|之际|以来|的同时|期间)$")
# After a weak cue, content with a subject of its own ("宣布公司将向海外扩张") is what was said; a bare
# verb phrase ("宣布将收购…", "宣布关闭…") is an action.
WEAK_CLAUSE = re.compile(
    r"(?:公司|该公司|本公司|我们|我|他们|她们|自己|集团|平台)(?:将|会|已|已经|正在|计划|打算|仍|不会)"
)
# ("另据路透社报道": a second source for the same story)
FRAME_OPEN = re.compile(r"^\s*(?:但|而|不过|另外|此外|同时|另)?\s*(?:据|根据|按照|援引)")
OUTLET = re.compile(r"\s*([\u4e00-\u9fffA-Za-z0-9·《》][\u4e00-\u9fffA-Za-z0-9·《》 ]{1,15})\s*")
# "据《白鲸实验室》独家爆料", "据彭博社最新报道": an outlet with an adverb before the cue
OUTLET_ADV = re.compile(
    r"\s*([\u4e00-\u9fffA-Za-z0-9·《》][\u4e00-\u9fffA-Za-z0-9·《》 ]{1,15}?)\s*"
    r"(?:独家|此前|最新|也已|也|已|曾|率先|首先|早前|日前|近日|援引消息人士|周[一二三四五六日]|上周|本周|"
    r"\d{4}\s*年\s*[初底]?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)+\s*"
)
# "爆料（独家｜…）：": the title of the report in parentheses between the cue and its colon
CUE_PAREN = re.compile(r"\s*[（(][^（）()\n]{1,60}[）)]\s*(?=[：:])")
# what a 说 opens that is no statement ("说白了", "说到底", "说明", "说服")
SAY_IDIOM = re.compile(r"白|到|实|真|难|起|来|句|明|服|出|过|了|着|的|法|话|道|是不是")
# the writer's narration about a speaker ("这位…", "他还隶属于…", "在人群的喊声加剧时他…", "该帖子还…")
NARRATION_LEAD = re.compile(
    r"这位|该[\u4e00-\u9fff]{1,3}还|[他她](?:还|也|随后|随即)|在[^，。！？]{1,16}时[他她]"
)
# the attribution after a quote, ending in a pause before the text at the end of the window
AFTER_QUOTE_CUE = re.compile(r"[”」][^，。！？“”「」\n]{1,25}[，,]\s*$")
# a line that opens with a speaker's label ("张：", "Q:")
LABELLED_LINE = re.compile(r"[^\s：:，。,]{1,16}[：:]")
# a person's Latin name introduced with a copula at the start of a paragraph ("Taylor Ling 是一位…设计师")
LATIN_INTRO = re.compile(r"(?:^|\n)\s*([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\s*是(?:一位|一名|一个)")
# "说过一句话，…": the phrase between the cue and what was said
ONE_SAYING = re.compile(r"(?:这样|这么)?一句(?:话)?(?=\s*[，,：:“「])")
# "他警告说，…", "否认，称…": a second cue word of saying after the first belongs to the cue, not to what
# was said (not an idiom like "说白了", "说到底")
SAY_AGAIN = re.compile(rf"(?:[，,]\s*)?(?:称(?![为作号赞道])|说(?!{SAY_IDIOM.pattern}))\s*[，,：:]?")
NOUN_TIME = re.compile(r"的(?:当晚|当天|当日|同时|时候|之际|时|后|之后|前|之前)$")
# "指责段永平：“…”", "调侃其存在双标：“…”": a weak cue, a short object, then a quote that is what was said
OBJECT_QUOTE = re.compile(r"[^，。！？；;：:“”「」『』\"\n]{1,12}[：:]?\s*(?=[“「『])")
# A clause that goes on with the same subject and a cue of its own ("，并透露…", "，同时强调…")
CONTINUE_CUE = re.compile(
    r"\s*(?:并|并且|同时|还|也|另外|此外)(?:还|也|又|曾|多次|再次|一再|屡次)?"
    r"(?:明确|进一步|公开|特别|直接|随即|专门)?\s*"
    r"(?:(?:向|对|跟|给)(?:记者|媒体|用户|员工|投资者))?\s*"
)
# Cues that go on with the same speaker straight after a comma, with no 并/还 ("X认为…，呼吁…；"): each
# starts a statement of its own
CHAIN_CUES = frozenset(
    "呼吁 强调 坦言 直言 警告 透露 补充 敦促 批评 承认 称 指出 相信 估计 声称 宣称 建议 担心 猜测".split()
)
# A clause inside someone's statement that goes on with a cue of the same speaker after a connective
# ("…，并希望…", "…，但也承认…", "…，并称…"): what may stand before the cue, and the cues
GOES_ON_LEAD = re.compile(
    r"\s*(?:但是|但|不过|而|并且|并|同时|还|也|且)(?:也|还|又|同时|曾|多次|再次|一再)?"
    r"(?:明确|进一步|公开|特别|直接|随即|专门|着重)?\s*"
)
GOES_ON_CUES = frozenset(
    "承诺 呼吁 宣称 声称 强调 提醒 建议 指责 批评 警告 否认 确认 证实 敦促 重申 担心 坚称 主张 暗示 澄清 "
    "预言 预告 提出 披露 承认 指出 希望 透露 表示 认为 坦言 直言 称".split()
)


def _proper_shape(name: str) -> bool:
    """A Latin name, or Han characters that jieba reads as one proper noun (place, organisation, person,
    other) or cannot segment into words at all (a transliterated or coined name: "美光")."""
    if name.isascii():
        return name[:1].isupper() or any(c.isupper() for c in name[1:])
    toks = _pos(name)
    if len(toks) == 1:
        return toks[0][1] in ("ns", "nt", "nz", "nr", "nrt")
    return all(len(w) == 1 for w, _ in toks)


# The last word of a description, not a name ("研发方", "发行商", "分析师", "研究人员")
GENERIC_TAIL = re.compile(r"(?:方|商|师|员|人|者|家|们|界|层|度|时间|部门|机构|组织|团队|人士|专家|官员)$")


def _coined_name(name: str) -> bool:
    """Han words jieba splits into nouns that still make one name the article keeps using ("蚂蚁阿福",
    "星河动力", "红果短剧"): nouns only, and no description's last word."""
    if name.isascii() or GENERIC_TAIL.search(name):
        return False
    flags = [f for _w, f in _pos(name)]
    return len(flags) > 1 and all(f[:1] == "n" or f == "j" for f in flags)


def _adverbs_only(region: str) -> bool:
    """The words before a cue are adverbs and conjunctions only ("不断", "只是", "当时就"), no subject."""
    region = region.strip()
    if not region or len(region) > 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", region):
        return False
    return all(f in ("d", "c", "t", "ad") for _w, f in _pos(region))


# Report words before a relayed speaker's clause that are a statement of their own ("尽管A，但其CFO表示"):
# a concessive or contrastive clause, not an occasion.
RELAY_HEAD = re.compile(r"^(?:尽管|虽然|虽|即便|即使)|[，,](?:但|但是|不过|然而|而)$")
# A clause that sets the scene for the next speaker rather than saying anything ("在周二的发布会上，")
SCENE_HEAD = re.compile(r"\s*(?:在|当|于|对于|针对|面对|关于|就|随着|为了|对此|此外|另外|同时)")
# A bare name as a clause's whole subject (Finder._bare_name): 2-8 Han characters or a Latin name with
# digits; what may open the clause before it; words that make it no name.
BARE_LEAD = re.compile(r"\s*(?:但是|但|而|不过|此外|另外|同时|对此|随后|此前|其中)?\s*")
BARE_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}|[A-Za-z][A-Za-z0-9&.\-\u2010\u2011]*(?: [A-Za-z0-9&.\-]+){0,3}")
BARE_BAD = re.compile(
    r"[这那此该其我你他她它们某各每谁啥]|^(?:有|没有|无|是|在|对|从|就|也|还|都|又|再|并|且|但|而|则|据|根据|按照|"
    r"如果|虽然|因为|所以|因此|然而|不过|同时|此外|另外|目前|现在|当时|今年|去年|未来|过去|最终|最后|首先|其次|"
    r"总之|事实上|实际上|大家|人们|有人|众人|对方|官方|外界|业内|文章|报告|研究|数据|结果|调查|分析|论文|消息|"
    r"信息|声明|公告|文件|法案|法律|规定|政策|计划|项目|产品|模型|系统|软件|功能|方案|测试|实验|网站|页面|视频|"
    r"图片|评论|新闻|媒体|报道|市场|行业|公司|企业|平台|团队|用户|网友|客户|消费者|专家|学者|官员|政府|监管机构)"
    r"|(?:报告|研究|数据|结果|调查|分析|论文|消息|信息|声明|公告|文件|计划|项目|产品|模型|系统|功能|方案|测试|"
    r"实验|网站|页面|视频|图片|评论|文章|说法|观点|表示|认为|指出|称|说|显示|表明|发现|预计|透露|介绍|提到|强调|"
    r"的|了|着|过|后|前|时|中|上|下|里|内|外)$"
)
# Cues that only count inside a frame ("据X报道，…") or when followed by 称/表示.
FRAME_ONLY = {"报道", "报导", "消息", "援引"}
# A hypothetical subject ("如果滴滴认为…"): a condition, not a statement.
HYPOTHETICAL = re.compile(r"\s*(?:如果|假如|假若|倘若|要是|一旦|若是|若)")
# A clause whose only words before the cue are an occasion ("，并在一份声明中表示", "，随后在微博上称"):
# it has no subject of its own, so the sentence's subject speaks.
SCENE_ONLY = re.compile(
    r"\s*(?:并|并且|同时|还|也|亦|随后|随即|此外|另外|则|而|仅|只|但|之后|后来)?\s*(?:又|还|也|再|则)?\s*"
    r"(?:在|于|通过)[^，。；：:\n“”]{1,30}?(?:中|上|里|时|期间|之际|当中)\s*(?:再次|再|又|还|也|公开|明确|进一步)?\s*"
)
# A negated or refused cue ("学而思未披露…", "拒绝透露…"): nothing was said
NEGATED = re.compile(
    r"(?:未|没有|没|尚未|并未|从未|不愿|拒绝|无法|不便|不予|并不|不会|不肯)(?:明确|正式|公开|直接|具体|详细|对外)?\s*$"
)
# Common opinion ("在许多人看来"): nobody in particular
CROWD = re.compile(r"^(?:许多人|很多人|不少人|大多数人|多数人|一些人|有些人|外界|大家|人们|一般人|普通人)$")
# "投资人称", "发言人称": a person noun before 称 (not the word 人称)
REN_NOUN = re.compile(
    r"(?:投资|爆料|负责|发言|创始|合伙|当事|知情|经纪|代理|中间|联系|责任|领导|创办|主持|消息|证)人$"
)
# "X发布了一份报告。该报告称…": who published the report a later "该报告" refers to
REPORT_SRC = re.compile(
    r"发布了?(?:一份|一项|最新的?|新的?)?[\u4e00-\u9fffA-Za-z0-9]{0,8}?(?:报告|调查|研究|白皮书)"
)
# The kinds of document a subject like "声明", "信中" names, each with the words that name it when it is
# issued ("X发表了一份声明", "员工签署公开信", "DeepSeek发布招聘信息")
DOC_ISSUE = r"(?:发布|发表|发出|公布|签署|签名|发送|发给|寄出|贴出|写了|撰写|刊登|刊发|挂出|发了)"
DOC_KINDS = tuple(
    (
        kind,
        re.compile(words),
        # the issuing clause: the verb, then the document within a few words or inside a 《title》
        re.compile(
            rf"{DOC_ISSUE}(?:[^。；！？，,\n“”]{{0,14}}?(?:{words})"
            rf"|[^。；！？，,\n“”《]{{0,6}}《[^》\n]{{0,50}}?(?:{words}))"
        ),
    )
    for kind, words in (
        ("信", "公开信|联名信|信件|信函|信(?!息)"),
        ("备忘录", "备忘录"),
        ("文档", "文档"),
        ("声明", "声明"),
        ("公告", "公告"),
        ("新闻稿", "新闻稿"),
        ("邮件", "邮件"),
        ("通知", "通知|通告"),
        ("招聘", "招聘信息|招聘启事|招聘|岗位|职位"),
        ("博", "博文|博客"),
        ("帖子", "帖子|推文"),
    )
)
# "哈萨比斯的回答是：": whose answer the paragraph after the colon is
ANSWER_OF = re.compile(r"\s*([^，。：:\n]{2,20}?)的(?:回答|回应|答复|说法|解释)(?:是|为)?")
LINK_LINE = re.compile(r"\s*https?://\S+\s*")  # a paragraph that is a link, not anyone's words
LABEL_LINE = re.compile(r"[^\n，。：:]{1,6}[：:]")  # "点评：…": a line with a label of its own
# a paragraph ending in a colon, then the next paragraph
PARA_COLON = re.compile(r"([：:])[ \u3000]*\n[\n \u3000]*(?=\S)")
# words in the clause before that colon that make the paragraph after it someone's words
COLON_COMM = re.compile(
    r"说|道|写|问|答|回应|回复|表示|称|吐槽|告诉|透露|强调|指出|认为|声明|通报|公告|配文|论调|的话|泼冷水|无语|"
    r"评论|留言|发文|发帖|解释|坦言|直言|警告|呼吁|建议|提醒|补充|总结|感叹|质疑|批评|调侃|反驳|指责|抱怨|观点|看法"
)
# ...and, for a colon inside a paragraph, a few more that end the clause before it ("Sora团队发布声明：…",
# "黄仁勋如此阐述Token经济学：…", "A社工程师回应如下：…")
INLINE_COLON_TAIL = re.compile(
    r"(?:喊话?|阐述[^，。：]{0,10}|回应如下|总结|发布声明|配文|评价|说法[^，。：]{0,4}|说得在理|畅想|解读是|通知|"
    # "提出了一个极端假设：", "披露了一组数字：", "如此描述自己的一天：": a proposal, figures or an account given
    r"(?:提出|提及|披露)了?(?:一个|一组|两个|几个|新的)[^，。：]{0,8}|描述[^，。：]{0,6})$"
)
# a preposition that opens a clause: what follows is its object, not the clause's subject (not all of
# PREPOSITIONS: 于, 和, 为 also open names, "于东来表示")
PREP_LEAD = re.compile(r"\s*(?:对|向|与|同|将|把|跟|给)")
# a clause that opens with its verb or a preposition: its subject is the one of the clause before it
VERB_LEAD = re.compile(
    r"\s*(?:要求|与|同|对|向|将|把|以|通过|作出|做出|宣布|提出|发布|签署|访问|出席|否认|商讨|讨论|回应|承认|"
    r"决定|批准|驳斥|拒绝|解释|介绍|展示|分享|转发|发文|发帖|回复)"
)
# an organisation's clause that issues a notice and ends at a colon before the notice's words
ANNOUNCE = re.compile(
    r"(?:发布|发表|发出|贴出)(?:了)?(?:一份|一则|一条)?(?:官方)?(?:公告|声明|通知|通告|说明)"
)
# Documents an organisation issues itself: with no issuer in sight, the organisation the sentence before
# is about ("Synchrony是…发行商。新闻稿写道") issued it. A letter or a post needs its writer named.
ORG_DOCS = ("声明", "公告", "新闻稿", "邮件", "通知", "招聘", "备忘录", "文档")
# ...and those that, with no issuer in sight at all, are the paper of the company the article is about
OWN_DOCS = ("声明", "公告", "新闻稿", "通知", "招聘", "文档")
# "该局", "该委员会": the head noun of an organisation named earlier
REF_HEAD = re.compile(
    r"^(?:该|这个|这家)(局|部|委|委员会|协会|组织|法院|政府|办公室|部门|银行|集团|基金会|研究院|研究所|大学)$"
)
# "该校": the university or college named last, wherever it stands in its clause
SCHOOL_REF = re.compile(r"(?:该|这所)(?:校|学校)")
SCHOOL_NAME = re.compile(r"[A-Za-z\u4e00-\u9fff]{2,16}(?:大学|学院)")


def _school_before(text: str, cs: int) -> Speaker | None:
    """The last university or college named in the 400 characters before `cs` (what "该校" stands for)."""
    found = None
    for m in SCHOOL_NAME.finditer(text, max(0, cs - 400), cs):
        found = m
    if found is None:
        return None
    name = found.group()
    return Speaker(found.start(), found.end(), name, "organization", name=name)


# "有消息称": an unnamed source
SOME_REPORT = re.compile(r"\s*(?:另|也|还|又|此前|此外|另外)?有")
# An outlet's name in a report frame: no function words (not "惯例以及各种曝光")
NOT_OUTLET = re.compile(r"以及|和|与|及|各种|各方|的|惯例|这|那|该|此|多方|相关")


# Cues of wishes, confirmations, beliefs and estimates: a statement only with a subject in their own clause
SUBJECT_CUES = frozenset(("希望", "确认", "相信", "估计", "期望", "觉得"))
# what before 分析 makes it an analysis someone did or part of a noun, not a reading they gave
ANALYSIS_BAD = re.compile(
    r"进行|做|作|的|了|对|利用|通过|进一步|深度|深入|具体|荟萃|检测|基因|数据|技术|研究$|行为$"
)
# Cues only for a research group as the subject ("研究团队分析发现，", "他们提出，")
RESEARCH_CUES = frozenset(("发现", "提出"))
RESEARCHERS = re.compile(
    r"(?:研究|科研|课题|团队|小组|研究人员|研究者|科学家|学者|天文学家|他们|她们)[^，。]{0,12}$"
)
# Weak cues whose content may follow without a pause when it holds a modal ("呼吁所有企业应当…")
MODAL_CUES = frozenset(("呼吁", "承诺", "敦促", "警告", "鼓励"))
MODAL_CLAUSE = re.compile(
    r"[^，。！？；;,\n“”]{1,20}?(?:应当|应该|必须|不得|不会|将会|仅|需要)"
    # "承诺将在…调整": a promise of what the speaker will do
    r"|(?:将|不会|绝不)(?=[在于对向为把从与和\u4e00-\u9fff])"
)
# Modifiers that make a cue word a noun: "他的最新表态", "对投资者的公开承诺", "查看警告", "一份简要说明",
# "根据项目说明" (a determiner, an adjective after 的, or a verb that takes a document as its object)
NOUN_CUES = re.compile(
    r"(?:的(?:最新|公开|正式|官方|简要|详细|书面|口头|相关|这一|这番|此番|上述|明确|郑重|庄严)?|查看(?:详细|简要)?|阅读|参阅|发布了?一[份则篇条项]"
    r"(?:简要|详细|书面|官方|正式)?|一[份则篇条项](?:简要|详细|书面|官方|正式)?"
    r"|(?:一|这|那|此)[句番段种](?:网络|网友|善意|无心|公开|玩笑)?)$"
)
# A verb of asking before the subject of the cue ("要求企业高管指出…"): the cue is in its complement
# (not "一位要求匿名的知情人士透露": asking for anonymity describes the source)
CONTROL_BEFORE = re.compile(r"(?:要求|请求|邀请|鼓励|促使)(?!匿名|不具名)[\u4e00-\u9fffA-Za-z]{1,10}$")
# "介绍…的情况 / 成果 / 安排": what 介绍 has as its object when it presents a topic rather than words
INTRODUCED_NOUN = re.compile(r"(?:情况|成果|进展|安排|细节|经验|做法|详情|背景|历程|特点|亮点)$")
# what may follow a cue word to mark that what was said begins: a pause or an opening quote
PAUSE_MARKS = ("，", ",", "：", ":", "“", "「", "『", '"')
# Cue words that are nouns too, and a means ("通过…", "借助…") whose object they end
NOMINAL_CUES = frozenset(("说明", "介绍", "声明", "表态", "公告", "承诺", "警告", "解释", "提醒", "回应"))
MEANS_BEFORE = re.compile(r"(?:通过|借助|凭借|利用|依靠)[^，。！？；：:“”]{1,20}$")
# "根据项目说明，": a document, not someone explaining
DOC_CUE = re.compile(r"(?:根据|按照|依据)[\u4e00-\u9fffA-Za-z]{1,6}$")
DOT_MARK = re.compile(r"[·•‧・]")
# "他声称被操纵的案例", "会见了政府认为受到压迫的人士": a cue inside a relative clause on an object
# (a finite verb with 了 before the subject, the clause after the cue closing on 的 + a noun)
REL_OBJECT = re.compile(r"[\u4e00-\u9fff][了过](?:[^，。！？；]{0,12})$")
REL_TAIL = re.compile(r"[^，。！？；：:“”「」]{1,20}的[\u4e00-\u9fffA-Za-z]{1,8}[。！？；，,]")
# "告诉雷锋网，", "告诉大家：": the one who is told, then a pause or a quote
RECIPIENT = re.compile(
    # ("告诉由九人组成的陪审团，…": a group described by what makes it up)
    r"\s*(?:我们|我|笔者|《[^》\n]{1,20}》|[\u4e00-\u9fffA-Za-z0-9]{2,8}?|由[^，。：:“「\n]{1,10}组成的[\u4e00-\u9fff]{1,4})"
    r"(?=[，,：:]|\s*[“「])"
)
# Weak cues that are speech with no pause after them when a named subject (or a 他/她 standing for one)
# says them; 希望 as the sentence's own predicate ("Google希望把Gemini…", data/gold/LABELLING.md, batches 21, 23)
NAMED_WEAK = frozenset(
    "希望 承诺 呼吁 宣称 声称 强调 提醒 建议 指责 批评 警告 否认 确认 证实 敦促 重申 担心 坚称 表态 主张 暗示 澄清 "
    "吐槽 抱怨 质疑 指控 威胁".split()
)
# ...and those an unnamed group says with no pause (acts of speech, not states like 担心)
GROUP_WEAK = frozenset("呼吁 批评 敦促 指责 警告 提醒 吐槽 抱怨 质疑".split())
# the author's inference about what a body wants ("苹果显然希望…"): data/gold/LABELLING.md, batch 21
INFERRED = re.compile(r"显然|或许|可能|似乎|大概|想必|也许|明显|看来|预示|更")
# A clause in which someone publishes or sends words: a weak cue after it gives what they said
COMM_ACT = re.compile(
    r"发布|发表|发文|发帖|撰文|致信|写信|去信|签署|公开信|博客|帖子|推文|声明|文章|视频|演讲|讲话|采访|会上|发声|表态|"
    r"指向|矛头|上书|请愿|呈交|提交|诉讼|起诉"
)
# Cues that go on a named sentence subject after a comma with no pause of their own (_topic_then_cue)
# (not 希望 or 提出: after an act, a named body's plan or proposal, no statement, about as often as not)
TOPIC_CUES = (GOES_ON_CUES | NAMED_WEAK) - {"希望", "提出"}
# a group of people after a name: the name is theirs, not the subject ("剑桥团队", "Servo 开发者")
GROUP_AFTER = re.compile(
    r"\s*(?:团队|开发者|研发人员|研究人员|工程师|员工|用户|受众|网友|专家|学者|官员|人士|代表|成员)"
)
# what opens a clause with its object, not its subject
PREPOSITIONS = frozenset("对向与和跟给把从为将在于")
# a passive or a causative: the one acting in the sentence is not its subject
PASSIVE_OR_CAUSE = re.compile(r"被|让|使|令|遭|受到|据")
WEAK_MIDDLE_BAD = re.compile(r"被|正在|时|与|会|的|测试|如何|是否")
# A view announced by a colon or a dash ("…抛出颠覆性结论：", "…此前的担忧：", "提出了一个对比——")
VIEW_COLON = re.compile(
    r"(?<!反驳了)(?<!驳斥了)(?<!质疑了)(?<!主流)(?<!外界的)"
    r"(?:(结论|观点|看法|认知|判断|担忧|预测|预判|比喻|对比|解释|回应|通知|表态|解法|忠告|愿景|方向|这一点|目标|质疑)(?:如下|是)?："
    r"|(对比|比喻|预测)——)"
)
# "X此前的担忧": the one whose view it is, before 的
VIEW_OWNER = re.compile(
    r"([^，。；：:\n“”的]{2,24}?)(?:此前|之前|上月|当时|曾经|早前)?(?:给出|作出|做出)?的[^，。；：:\n的]{0,6}$"
)
# Words only a speaker uses: a quote with them reads as speech whatever follows it
FIRST_PERSON = re.compile(r"我们|我|咱们")
# The second part of a split quote right after the clause between ("…图景，“B”")
SPLIT_RESUME = re.compile(r"[，,：:]\s*[“「]")
# "“…”，X告诉雷锋网。": a quote whose speaker follows it with the one told
TOLD_AFTER = re.compile(r"告诉(?:我们|我|记者|笔者|[\u4e00-\u9fffA-Za-z0-9]{2,8})$")
# "张师傅：…", "王小明：…": a transcript or Q&A answer, one paragraph opened by the speaker's label
QA_LINE = re.compile(
    r"^[ \u3000]*([\u4e00-\u9fff]{1,3}(?:师傅|先生|女士|老师|博士|总)|[\u4e00-\u9fff·・]{2,8}"
    r"|[A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+){1,2} ?(?:教授|博士|先生|女士)?)[ \u3000]*[：:]"
    r"[ \u3000]*(?=\S)",
    re.M,
)
QA_LATIN = re.compile(r"([A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+){1,2}) ?(教授|博士)?(?:先生|女士)?")
QA_HONOR = re.compile(r"(?:师傅|先生|女士|老师|博士|总)$")
# any labelled line of a transcript ("DB：…", "记者：…")
QA_ANY_LINE = re.compile(r"^[ \u3000]*([A-Za-z\u4e00-\u9fff]{1,8})[ \u3000]*[：:].*$", re.M)
# "小米科技（以下简称小米）", "Unity中国区总裁张俊波（以下简称张）": the short name the article then uses
# (for an interview, the label its answers stand under)
SHORT_NAME = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{2,20})[（(](?:以下简称|下称|简称)[“\"「]?([^）)”\"」，。]{1,12})[”\"」]?[）)]"
)
# a chat log reproduced in an article: "王 洪森 – 6:52 PM" or "张三 2024-05-01 18:48" on a line of its own,
# the author's messages on the lines after it
CHAT_HEAD = re.compile(
    r"^[ \u3000]*(?P<name>[^\n：:，。！？“”]{1,40}?)[ \u3000]*(?:[–—\-－][ \u3000]*)?"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ \u3000]+)?"
    r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:[ \u3000]*[AaPp]\.?[Mm]\.?)?[ \u3000]*$",
    re.M,
)
# a heading inside a chat log ("Part 2: 风格问题"), which ends the message before it
CHAT_SECTION = re.compile(r"^[ \u3000]*(?:Part|PART|第[一二三四五六七八九十\d]{1,3}部分)\b")
# a message that says nothing: laughter, "+1", "嗯", a vote for someone ("洪森大哥 +13")
CHAT_FILLER = re.compile(r"^(?:[哈呵嘿嗯啊哦噢额呃呀\+\d~～!！?？。，,…\.\s]*|.{0,8}[+＋]\d+\s*)$")
CHAT_MIN = 6  # a message line shorter than this opens no statement ("同意", "是的", "精辟的总结")
# who asks in a transcript ("网友：…？¶马斯克：…"): their turns neither count as answers nor against them
QA_ASKERS = frozenset("记者 主持人 嘉宾 网友 观众 读者 听众 提问 提问者 问".split())
# Labels that open a line with a colon and are no speaker
QA_LABELS = frozenset(
    "时间 地点 来源 原文 作者 编辑 记者 主持人 嘉宾 电话 邮箱 价格 售价 尺寸 重量 地址 日期 备注 说明 提示 图片 "
    "视频 链接 左图 右图 上图 下图 原标题 标题 方法 方案 问题 答案 结论 总结 要点 特点 优点 缺点 步骤 关键词 简介 官网 主题".split()
)
# "正如X所言，…", "正如X所描述的那样，…"
FRAME_ZHENGRU = re.compile(
    r"正如([^，。！？\n]{2,40}?)(?:所言|所说|所指出|所描述的那样|所说的那样|说的那样|所言那样|(?:所)?调侃的那样)[，,：:]"
)


@dataclass
class Candidate:
    start: int  # content span in the text
    end: int
    kind: str  # direct | indirect
    cue: str | None
    speaker: Speaker
    source: str = "speech"  # which finder produced it
    extra: dict[str, object] = field(default_factory=dict)


_OPEN_RE = re.compile("[" + "".join(OPEN_CLOSE) + "]")
# per opening mark: what ends the scan inside the quote (its close, a paragraph break, and for the
# paired marks a second opening mark, which means the quote is unbalanced)
_STOP_RE = {
    o: re.compile("[" + re.escape(c) + "\n" + ("" if o == c else re.escape(o)) + "]")
    for o, c in OPEN_CLOSE.items()
}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of quotation marks; a quote left open at a paragraph end continues when the
    next paragraph opens a quote again (the Chinese convention for multi-paragraph quotes)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while True:
        om = _OPEN_RE.search(text, i)
        if om is None:
            return spans
        i = om.start()
        c = om.group()
        close, stop = OPEN_CLOSE[c], _STOP_RE[c]
        j = i + 1
        while True:
            sm = stop.search(text, j)
            if sm is None:
                j = -1  # never closed
                break
            j = sm.start()
            ch = sm.group()
            if ch == close:
                break
            if ch == "\n":
                # paragraph break: continue only if the next paragraph opens the same mark
                k = j
                while k < n and text[k] in "\n \u3000":
                    k += 1
                if k < n and text[k] == c and c != '"':
                    j = k + 1
                    continue
            j = -1  # a paragraph break, or a nested/unbalanced open: give up on this one
            break
        if j != -1:
            spans.append((i, j))
            i = j + 1
        else:
            i += 1


# "X的观点是", "X的回应是：": the nouns of a view or an answer that frame what someone said
VIEW_NOUNS = "观点|看法|判断|态度|论点|建议|结论|立场|主张"
ANSWER_NOUNS = "解释|回答|说法|理由|回应|答复|回复|解法"
# "OpenAI今年服务器…支出预计达…": a figure as the subject of 预计 (what is expected, not who expects it)
EXPECTED_FIGURE = re.compile(r"(?:支出|持股|收入|营收|销量|成本|规模|价格|出货量)$")


def _words_before(text: str, p: int) -> int:
    """Where the clause holding the words before `p` starts (at the last clause mark; quotes not minded)."""
    a = p
    while a > 0 and text[a - 1] not in CLAUSE_BOUND:
        a -= 1
    return a


def _clause_end(text: str, q: int) -> int:
    """Where the clause running from `q` ends (at the next clause mark; quotes not minded)."""
    e = q
    while e < len(text) and text[e] not in CLAUSE_BOUND:
        e += 1
    return e


def _sentence_before(text: str, k: int) -> tuple[int, int]:
    """(start, end) of the sentence that ends right before offset `k` (its end mark and blanks left out)."""
    e = k
    while e > 0 and text[e - 1] in "。！？!?\n \u3000":
        e -= 1
    a = e
    while a > 0 and text[a - 1] not in SENT_END:
        a -= 1
    return a, e


def _pronoun_head(text: str, a: int, end: int) -> Speaker | None:
    """A 他/她 (not 他们) that opens the clause text[a:end], as a reference to resolve."""
    head = text[a:end].lstrip(" \u3000\t\n”」』")  # (a clause may open after the close of a quote)
    if head[:1] in ("他", "她") and not head.startswith(PLURAL_PRONOUNS):
        h0 = end - len(head)
        return Speaker(h0, h0 + 1, head[0], "ref_person")
    return None


class Finder:
    def __init__(self, lex: Lexicon, parser: SpeakerParser):
        self.lex = lex
        self.parser = parser
        self.subjects = SubjectTagger(parser)

    def _subject(self, text: str, a: int, b: int, cue_end: int) -> Speaker | None:
        """The rules' parse of text[a:b] (vetted by the CRF), else the CRF's subject (None without a model),
        else a bare name the article keeps coming back to."""
        sp = self.parser.parse_region(text, a, b)
        if sp is None:
            return self.subjects.subject(text, a, b, cue_end) or self._bare_name(text, a, b)
        if sp.type in ("person", "organization", "unnamed") and not sp.entity_id and not sp.title:
            # the head nearest to the cue wins: "内容创作者、X基金会在线趋势研究员NAME表示" is NAME's, not
            # the organisation's the rules stopped at; "资深观察者NAME认为" is NAME's, not an unnamed source
            crf = self.subjects.subject(text, a, b, cue_end)
            if (
                crf is not None
                and crf.type == "person"
                and (
                    crf.end > sp.end
                    or sp.type == "unnamed"
                    and crf.end >= sp.end
                    # ("国际能源署署长法提赫·比罗尔": the same name, with the role the rules did not read)
                    or sp.type == "person"
                    and crf.name == sp.name
                    and (crf.title or crf.org)
                )
            ):
                return crf
        return self.subjects.vet(text, sp, cue_end)

    def _official_source(self, text: str, m: re.Match[str], quotes: list[tuple[int, int]]) -> Speaker | None:
        """The organisation of an official-words frame: the one it names ("根据谷歌官方博客"), or, with
        none named ("按照官方说法"), the one the article named last (resolved later as a reference)."""
        g = 1 if m.group(1) is not None else 2
        a, b = m.start(g), m.end(g)
        if g == 2:
            a = max(a, self._clause_start(text, b, quotes))
        while a < b and text[a] in " \u3000":
            a += 1
        if b - a < 1:
            return Speaker(m.start(), m.end(), "官方", "ref_org")
        sp = self.parser.parse_region(text, a, b)
        if sp is None:
            sp = self._bare_name(text, a, b)
        if sp is None or sp.type not in ("organization", "ref_org"):
            return None
        return sp

    def _named_team_before(self, text: str, cs: int) -> bool:
        """The last "…团队" before `cs` (within a few sentences) belongs to a named company ("微软 AI 团队")."""
        k = text.rfind("团队", max(0, cs - 400), cs)
        if k < 0:
            return False
        a = k
        while a > 0 and k - a < 16 and text[a - 1] not in CLAUSE_BOUND and text[a - 1] not in "的、":
            a -= 1
        owner = text[a:k].strip()
        return bool(owner) and (
            self.parser.known_org_prefix(owner) is not None or bool(re.match(r"[A-Za-z]", owner))
        )

    def _group_before(self, text: str, p: int) -> bool:
        """The clause's words before `p` name an unnamed group ("科学界", "业内人士")."""
        a = _words_before(text, p)
        sp = self.parser.parse_region(text, a, p) if p - a >= 2 else None
        return sp is not None and sp.type == "unnamed"

    def _bare_name(self, text: str, a: int, b: int) -> Speaker | None:
        """ "美光表示，…", "Bureau 1440还表示，…": a clause whose subject is one short name (maybe with
        adverbials after it) that neither the word lists nor the CRF know. It is taken as the speaker only
        when the article names it again elsewhere (a company or body the story is about), and never when
        it is a common noun ("报告", "数据") or holds a pronoun or demonstrative."""
        region = text[a:b]
        m = BARE_LEAD.match(region)
        s0 = a + (m.end() if m else 0)
        nm = BARE_NAME.match(text, s0, b)
        if nm is None:
            return None
        name = ""
        # the longest name whose remaining words are adverbials only ("鲸芯还表示": 鲸芯, not 鲸芯还)
        for e in range(nm.end(), s0 + 1, -1):
            cand = text[s0:e].strip()
            if (
                len(cand) >= 2
                and TAIL_OK.fullmatch(text, e, b)
                and text.count(cand) >= 2
                and not BARE_BAD.search(cand)
                and not self.parser._has_unnamed(cand)
                and (_proper_shape(cand) or _coined_name(cand))
            ):
                name = cand
                break
        if not name:
            return None
        full = self.parser.local_full(name)
        kind = self.parser.kind_of(name)
        if full or kind == "person":
            return Speaker(s0, s0 + len(name), name, "person", name=full or name)
        typ = "media" if kind == "media" else "organization"
        return Speaker(s0, s0 + len(name), name, typ, name=name)

    # -- helpers ------------------------------------------------------------------------------------

    @staticmethod
    def _inside(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
        for a, b in spans:
            if a < pos < b:
                return (a, b)
        return None

    def _clause_start(self, text: str, pos: int, quotes: list[tuple[int, int]]) -> int:
        """Offset where the clause that ends at `pos` begins (skipping over quoted material)."""
        by_close = {b: (a, b) for a, b in quotes}
        i = pos - 1
        while i >= 0:
            c = text[i]
            q = by_close.get(i)
            if q is not None:
                inner = text[q[0] + 1 : q[1]]
                # a spoken quote ends the clause; a short name in quotes (署名“云盘服务端”的用户) does not
                if len(inner) > 12 or inner[-1:] in "。！？!?，,…":
                    return i + 1
                i = q[0] - 1
                continue
            if c in "）)":
                # "蔡佩莹(Pei Ying Chua，音译)指出": a comma inside a parenthesis ends no clause
                o = max(text.rfind("（", 0, i), text.rfind("(", 0, i))
                if o >= 0 and i - o <= 40 and "\n" not in text[o:i]:
                    i = o - 1
                    continue
            if c in CLAUSE_BOUND:
                return i + 1
            i -= 1
        return 0

    def _sentence_end(self, text: str, pos: int, quotes: list[tuple[int, int]]) -> int:
        by_open = {a: (a, b) for a, b in quotes}
        i, n = pos, len(text)
        while i < n:
            q = by_open.get(i)
            if q is not None:
                i = q[1] + 1
                continue
            if text[i] in SENT_END:
                return i
            i += 1
        return n

    @staticmethod
    def _trim(text: str, a: int, b: int) -> tuple[int, int]:
        while a < b and text[a] in " \u3000\t，,：:":
            a += 1
        while b > a and text[b - 1] in " \u3000\t。，,；;！!？?…":
            b -= 1
        return a, b

    def _cue_ok(self, text: str, p: int, cue: str, pause: bool = True, own_subject: bool = True) -> bool:
        """Whether the cue word at `p` introduces speech here; `pause=False` skips the pause a weak cue needs
        (its subject is checked instead), `own_subject=False` the subject a wish or a belief needs (it goes on
        from a statement before)."""
        if cue in RESEARCH_CUES and own_subject:
            # "研究团队发现，…", "他们提出，…": a finding or a proposal of researchers, with a pause after;
            # "纳德拉提出，…", "他提出，…": a proposal of a named person or body, or of a 他/她
            a = _words_before(text, p)
            if text[p + len(cue) : p + len(cue) + 1] not in ("，", ",", "：", ":"):
                return False
            if not RESEARCHERS.search(text[a:p]) and not (cue == "提出" and self._proposer(text, a, p)):
                return False
        if cue == "分析":
            # "MacLean分析，…": a named analyst's reading; not an analysis someone did ("研究团队对…进行基因
            # 分析，", "利用…软件进一步分析，") nor a compound noun ("荟萃分析", "检测分析")
            a = _words_before(text, p)
            region = text[a:p].strip()
            if not region or len(region) > 12 or ANALYSIS_BAD.search(region):
                return False
        if cue in SUBJECT_CUES and own_subject:
            # "X希望，…", "X周五确认，…": only with a subject of their own in the clause (a bare "，希望…" is
            # part of what was said before)
            a = _words_before(text, p)
            region = text[a:p].strip()
            # ("她相信，…", "他希望…": a pronoun is subject enough for a belief, an estimate or a wish)
            believer = region in ("他", "她") and cue in ("相信", "估计", "希望", "觉得")
            if not believer and (
                len(region) < 2 or CONTINUE_CUE.fullmatch(region) or region.endswith(("们", "我"))
            ):
                return False
        if cue == "觉得" and own_subject:
            # "尤什凯维奇还是觉得…", "他觉得，…": a named person's (or a 他/她's) view; not a feeling caused or
            # explained ("让用户觉得", "因为小羊觉得", "他只觉得冷汗涔涔") nor a group's ("员工觉得")
            a = _words_before(text, p)
            region = text[
                max(0, a - 5) : p
            ]  # (with the clause before: "意思是，他觉得…" explains someone else)
            if re.search(r"让|使|令|因为|由于|意思是|只$|仍$|而$|都$|至多$", region):
                return False
            sp = _pronoun_head(text, a, p) or self._subject(text, a, p, p + len(cue))
            if sp is None or not (
                sp.type == "person" or (sp.type == "ref_person" and sp.mention.strip() in ("他", "她"))
            ):
                return False
        if len(cue) >= 2 and text[p - 1 : p] == "的":
            return False  # a noun here ("专业医生的回答", "他的介绍"), not a verb of saying
        if len(cue) >= 2 and NOUN_CUES.search(text, max(0, p - 10), p):
            return False  # "他的最新表态", "查看详细说明": the cue word is a noun here
        if cue == "表态" and text[p + 2 : p + 3] not in ("，", ",", "：", ":", "“", "「", "称"):
            return False  # "大佬表态支持…": taking a side, not a statement
        if cue == "表示" and ATTITUDE_SHOWN.match(text, p + 2):
            return False  # "对欧盟的干预表示强烈反对。": an attitude shown, not words reported
        if text[max(0, p - 2) : p] in ("即将", "将要", "准备", "打算"):
            return False  # "斯塔默即将宣布，…": what someone is going to say, not yet said
        if text[max(0, p - 2) : p] == "进行" or (
            text[max(0, p - 2) : p] in ("作出", "做出") and cue in ("推断", "判断", "预测", "预言", "分析")
        ):
            return False  # "针对特定条件进行推断，": the cue word is a noun, the object of a verb
        if CONTROL_BEFORE.search(text, max(0, p - 14), p):
            return False  # "官员要求企业高管指出…": what someone was asked to say, not a statement
        if cue in NOMINAL_CUES and MEANS_BEFORE.search(text, max(0, p - 24), p):
            return False  # "微软试图通过更透明的节奏说明，帮助…": the object of 通过, a noun
        if cue == "说明" and DOC_CUE.search(text, max(0, p - 10), p):
            return False  # "他的最新表态", "查看详细说明", "根据项目说明": the cue word is a noun here
        if len(cue) >= 2 and text[p + len(cue) : p + len(cue) + 1] == "的":
            # "…透露的细节显示": a relative clause on a noun, not speech; "根据X披露的信息，" frames one
            # source's statement, but not a list of sources and documents ("根据内部文件及知情人士透露的信息")
            a = _words_before(text, p)
            region = text[a:p]
            if not FRAME_OPEN.match(region) or re.search(r"及|以及|和|、|文件", region):
                return False
        if cue == "称" and REN_NOUN.search(text, max(0, p - 3), p):
            return True
        for bad in BAD_BEFORE.get(cue, ()):
            if text[max(0, p - len(bad)) : p] == bad:
                if bad == "此前" and text[p + len(cue) : p + len(cue) + 1] in ("，", ",", "：", ":"):
                    continue  # "路透社此前报道，…": an earlier report, not "此前报道的…"
                if bad in ("普遍", "一般") and self._group_before(text, p - len(bad)):
                    continue  # "科学界普遍认为": a group's shared view is an unnamed statement
                if bad == "所" and INSTITUTE.search(text, max(0, p - 4), p):
                    continue  # "英国AI安全研究所表示，": an institute's name, not the particle 所 ("所表示的")
                if (
                    bad == "并"
                    and cue == "称"
                    and (
                        text[max(0, p - 2) : p - 1] in ("，", ",")
                        or text[p + 1 : p + 2] in ("这", "该", "其", "自")
                    )
                ):
                    continue  # "…，并称…", "…并称这是…": the same subject goes on speaking, not "A与B并称"
                return False
        q = p + len(cue)
        for bad in BAD_AFTER.get(cue, ()):
            if text[q : q + len(bad)] == bad:
                if (
                    bad == "了"
                    and cue in CLAIM_NP_CUES
                    and CLAIM_NP.match(text, q)
                    and not re.search(r"[这此][也更再还进一步同样]{0,3}$", text[max(0, p - 6) : p])
                ):
                    continue  # "强调了芯片在…的基础性作用": a claim; not "这强调了…的重要性" (a fact, no one's words)
                return False
        if pause and cue in self.lex.weak and cue not in self.lex.short:
            # "宣布将收购…", "否认了传闻": a weak cue introduces speech only after a pause or a quote
            nxt = text[q : q + 1]
            if nxt not in PAUSE_MARKS and not WEAK_CLAUSE.match(text, q):
                # "呼吁所有企业应当…", "承诺证件仅用于…": an appeal or a promise with its own modal clause
                if cue not in MODAL_CUES or not MODAL_CLAUSE.match(text, q):
                    return False
        if cue == "介绍" and text[q : q + 1] not in PAUSE_MARKS:
            if INTRODUCED_NOUN.search(text, q, _clause_end(text, q)):
                return False  # "召开新闻发布会，介绍…有关情况": 介绍 of a topic named by a noun, not speech
        if cue in self.lex.short:
            nxt = text[q : q + 1]
            # one-character cues need a punctuation mark or an opening quote after them; not 称, nor 说 checked
            # with pause=False (_named_weak admits a bare 说 only after a person's own name)
            bare_shuo = cue == "说" and not pause
            if nxt not in (*PAUSE_MARKS, " ") and cue != "称" and not bare_shuo:
                return False
        return True

    def _proposer(self, text: str, a: int, p: int) -> bool:
        """The subject of "…提出，" is a named person or organisation, or a 他/她 standing for one; not a
        request made to someone ("他向三星方面提出，"), a passive ("由彼得·肖尔于1994年提出，") or two people
        at once ("A与B在论文中提出")."""
        if re.search(r"[向由与和及、]", text[a:p]):
            return False
        if _pronoun_head(text, a, p) is not None:
            return True
        sp = self.parser.parse_region(text, a, p) or self.parser.subject_head(text, a, p)
        return sp is not None and sp.type in ("person", "organization") and bool(sp.name)

    def _continues(
        self, text: str, p: int, cue: str, out: list[Candidate], quotes: list[tuple[int, int]]
    ) -> bool:
        """A cue that goes on with the statement just before it: straight after its comma ("…不容小觑，呼吁…"),
        or a weak one after 并/还 ("…，并多次呼吁撤销…")."""
        if not out or out[-1].kind != "indirect":
            return False
        cs = self._clause_start(text, p, quotes)
        if not cs - 2 <= out[-1].end < cs:
            return False
        if self._chained(text, p, cue) or self._goes_on_cue(text, p, cue, cs):
            return True
        return cue in NAMED_WEAK and bool(CONTINUE_CUE.fullmatch(text, cs, p))

    def _goes_on_cue(self, text: str, p: int, cue: str, cs: int) -> bool:
        """The clause at `cs`, after a comma, is the same speaker going on: a connective, then a cue of
        GOES_ON_CUES with words of its own after it ("…，并希望博主删除该笔记", not "…，并确认了…")."""
        q = p + len(cue)
        return (
            cue in GOES_ON_CUES
            and cs > 0
            and text[cs - 1] in "，,；;"
            and GOES_ON_LEAD.fullmatch(text, cs, p) is not None
            and text[q : q + 1] not in "了的过着得"
            and _clause_end(text, q) - q >= 4
            and self._cue_ok(text, p, cue, pause=False, own_subject=False)
        )

    @staticmethod
    def _expectation_only(text: str, p: int, mend: int, speaker: Speaker, region: str) -> bool:
        """ "三星预计将推出…", "亚马逊预计投资…", "OpenAI今年…支出预计达…": 预计 of a plan of the speaker's own
        (what follows the cue is its action) or of a figure (the subject is what is expected), no statement."""
        if speaker.type not in ("organization", "ref_org", "person"):
            return False
        if EXPECTED_FIGURE.search(text, max(0, p - 3), p):
            return True
        if speaker.type == "person":
            return text[mend : mend + 2] in ("可以", "将于", "将在")
        return (
            text[mend : mend + 1] in ("将", "可", "会", "能", "于", "到", "达", "在")
            or text[mend : mend + 2] in ("实现", "投资", "导入", "不会")
            or not region.strip()
        )

    def _named_weak(
        self, text: str, p: int, cue: str, quotes: list[tuple[int, int]], out: list[Candidate]
    ) -> bool:
        """A weak cue with no pause after it ("Meta承诺支持一项公约", "微软此前曾承诺改进…") is speech when a
        named organisation, outlet or person is its subject, right before it, and a clause of its own follows; not
        inside what another source is already saying. A bare 说 counts so only after a person's own name
        ("特朗普去年10月说西班牙…", not "房东说…")."""
        nxt = text[p + len(cue) : p + len(cue) + 1]
        if (cue not in NAMED_WEAK and cue != "说") or nxt in "了的过着，,：:“":
            return False
        if cue == "威胁" and nxt not in "将要会称说":
            return False  # a threat stated ("特朗普威胁将…"), not the noun ("构成威胁")
        if any(c.start <= p < c.end for c in out[-3:]):
            return False
        q = p + len(cue)
        if _clause_end(text, q) - q < 6 or not self._cue_ok(text, p, cue, pause=False):
            return False
        cs = self._clause_start(text, p, quotes)
        if cs >= p or "被" in text[cs:p]:
            return False  # ("被无数用户吐槽": the one complained about is the subject)
        sp = self.parser.parse_region(text, cs, p)
        if sp is None:
            return False
        # "他呼吁为每个人提供…": a pronoun that stands for a person who spoke, resolved later
        pron = sp.type == "ref_person" and sp.mention in ("他", "她")
        # "民主党人批评共和党人…", "安全专家提醒相关用户…": an unnamed group, with a cue that is an act of speech
        # (not a state like 担心, nor a word that is a noun as often)
        group = (
            sp.type == "unnamed"
            and len(sp.mention) <= 8
            and cue in GROUP_WEAK
            and not sp.mention.endswith(("界", "外界"))
        )
        # "该机构指控…", "这家公司承诺…": a reference to a body named before, resolved later like 他
        ref = sp.type == "ref_org" and sp.mention.startswith(("该", "这家"))
        if not (pron or group or ref) and (sp.type not in ("person", "organization", "media") or not sp.name):
            return False
        if cue == "说" and (sp.type != "person" or not sp.name or not _proper_shape(sp.name)):
            return False  # "特朗普去年10月说西班牙…": bare 说 only after a person's own name
        # "苹果还被指正在测试与高血压提醒相关的…", "Claude在用户分享链接时会提醒…": between the subject and the
        # cue, words that make the cue word part of something else
        middle = text[sp.end : p]
        if cue == "希望" and INFERRED.search(text, max(0, cs - 8), p):
            return False  # "苹果显然希望…", "或许预示着Google更希望…": the author's reading of an aim
        return len(middle) <= 10 and not WEAK_MIDDLE_BAD.search(middle)

    def _then_said(
        self, text: str, p: int, cue: str, quotes: list[tuple[int, int]], out: list[Candidate]
    ) -> Speaker | None:
        """A bare 说 that opens a clause after a short one whose subject is a named person or a 他/她
        ("特朗普也亲自下场，说Anthropic是…", "雷军谈到设计的时候极度哽咽，说这是…", "…，并说她一直…"): that
        person said it. Not inside a statement already found, nor an idiom ("说白了", "说到底")."""
        if cue != "说" or any(c.start <= p < c.end for c in out[-3:]):
            return None
        k = p - 1 if text[p - 1 : p] == "并" else p
        if k == 0 or text[k - 1] not in "，,":
            return None
        if SAY_IDIOM.match(text, p + 1) or _clause_end(text, p + 1) - (p + 1) < 6:
            return None
        a = self._clause_start(text, k - 1, quotes)
        clause = text[a : k - 1]
        if len(clause) > 30 or (a > 0 and text[a - 1] not in CLAUSE_BOUND) or self.lex.cue_re.search(clause):
            return None  # (a clause with a cue of its own has its own statement, which this one is part of)
        sp = self._clause_opener(text, a, k - 1)
        if sp is None or sp.type == "ref_person":
            return sp
        return sp if sp.type == "person" and sp.name and _proper_shape(sp.name) else None

    def _topic_then_cue(
        self, text: str, p: int, cue: str, quotes: list[tuple[int, int]], out: list[Candidate]
    ) -> Speaker | None:
        """A cue with no pause that opens a clause after a comma (after 并/还/同时 … at most) in a sentence
        whose subject is named before it ("微软近日扩展其模型阵容，正式推出…，宣称…", "英伟达已将该漏洞通报给
        客户，并建议…", "TDF近日把矛头指向了欧盟委员会，指责…"): the subject said it. Chinese keeps one
        subject over a chain of clauses; only a named person or body counts, with no second subject in a later
        clause, and not after a passive, a causative or a frame ("X被Y批评，…", "让用户觉得，…", "据…")."""
        if cue not in TOPIC_CUES or any(c.start <= p < c.end for c in out[-3:]):
            return None
        cs = self._clause_start(text, p, quotes)
        if cs == 0 or text[cs - 1] not in "，," or not (cs == p or GOES_ON_LEAD.fullmatch(text, cs, p)):
            return None
        q = p + len(cue)
        if text[q : q + 1] in "了的过着得" or _clause_end(text, q) - q < 6:
            return None
        s0 = self._sentence_start(text, cs)
        if (
            cs - s0 > 150
            or PASSIVE_OR_CAUSE.search(text, s0, cs)
            or any(a < cs and b > s0 for a, b in quotes)
        ):
            return None
        sp = None
        a = s0
        while a < cs - 1:
            b = min((i for i in (text.find(ch, a, cs) for ch in "，,；;") if i >= 0), default=cs - 1)
            head = text[a:b].lstrip()
            opener = None
            if head[:1] not in PREPOSITIONS:  # ("对马斯克的计划作出评价": an object, no subject)
                opener = self._clause_opener(text, a, b)
                crf = self.subjects.opener(text, a, b)
                if crf is not None and (opener is None or crf.start <= opener.start < opener.end < crf.end):
                    opener = crf  # ("OpenAI 首席执行官山姆·奥特曼…": the officer, not the company before the title)
            if opener is not None:
                if sp is not None and not same_alias(opener.name or opener.mention, sp.name or sp.mention):
                    return None  # a second subject: whose the cue is, is not known here
                sp = sp or opener
            a = b + 1
        if sp is not None and sp.type == "ref_person":
            return sp  # "这位退休工程师…，认为…", "他…，强调…": a reference the coreference stage resolves
        if sp is None or sp.type not in ("person", "organization") or not sp.name:
            return None
        if GROUP_AFTER.match(text, sp.end) or self.lex.title_re.match(text, sp.end):
            return None  # ("捷克外交部长…": a title or a group of the body's is the subject, and unnamed)
        return sp

    def _act_then_cue(self, text: str, p: int, cue: str, quotes: list[tuple[int, int]]) -> Speaker | None:
        """A weak cue with no pause that opens a clause after one where a named speaker published or sent
        something ("Anthropic发布长篇博客，呼吁…", "他在Truth Social上发文，指责…", "英伟达签署了一封公开信，
        呼吁…"): what that piece says."""
        if cue not in NAMED_WEAK or p == 0 or text[p - 1] not in "，,":
            return None
        if text[p + len(cue) : p + len(cue) + 1] in "了的过着":
            return None
        a = self._clause_start(text, p - 1, quotes)
        clause = text[a : p - 1]
        if not COMM_ACT.search(clause) or len(clause) > 40 or (a > 0 and text[a - 1] not in CLAUSE_BOUND):
            return None  # (a clause that starts after a closing quote mark has its subject before it)
        sp = self._clause_opener(text, a, p - 1)
        if sp is None or sp.type == "ref_person":
            return sp
        return sp if sp.type in ("person", "organization") and sp.name else None

    def _clause_opener(self, text: str, a: int, end: int) -> Speaker | None:
        """The 他/她 or the subject that opens the clause text[a:end]; not a name inside its object ("X致信…
        主席Y，呼吁…")."""
        pron = _pronoun_head(text, a, end)
        if pron is not None:
            return pron
        h0 = end - len(text[a:end].lstrip())
        sp = self.parser.subject_head(text, a, end)
        return sp if sp is not None and sp.start <= h0 + 4 else None

    @staticmethod
    def _chained(text: str, p: int, cue: str) -> bool:
        """A cue that opens a clause straight after a comma inside someone's statement ("X认为…，呼吁…"):
        the same speaker's next statement, whatever follows the cue."""
        return cue in CHAIN_CUES and p > 0 and text[p - 1] in "，,；;"

    # -- reported speech and quotes introduced by a cue -------------------------------------------

    def speech(self, text: str, quotes: list[tuple[int, int]]) -> list[Candidate]:
        out: list[Candidate] = []
        for m in self.lex.cue_re.finditer(text):
            p, cue = m.start(), m.group()
            mend = m.end()
            rm = RECIPIENT.match(text, mend) if cue in ("告诉", "告知") else None
            act_sp = None
            if rm is not None and not self._inside(p, quotes):
                mend = rm.end()  # "X告诉雷锋网，…": what follows the one told is what was said
            elif self._inside(p, quotes) or not (
                self._cue_ok(text, p, cue)
                or self._continues(text, p, cue, out, quotes)
                or self._named_weak(text, p, cue, quotes, out)
                or (act_sp := self._act_then_cue(text, p, cue, quotes)) is not None
                or (act_sp := self._then_said(text, p, cue, quotes, out)) is not None
                or (act_sp := self._topic_then_cue(text, p, cue, quotes, out)) is not None
            ):
                continue
            pm = CUE_PAREN.match(text, mend)
            if pm is not None and not self._inside(p, quotes):
                mend = pm.end()
            om = ONE_SAYING.match(text, mend)
            if om is not None:
                mend = om.end()  # "X说过一句话，…": what follows the phrase is what was said
            if cue in CLAIM_NP_CUES and text[mend : mend + 1] == "了":
                mend += 1  # (the 了 of "强调了…的作用" is not what was said)
            if cue[-1] not in "说称道" and (sm := SAY_AGAIN.match(text, mend)) is not None:
                mend = sm.end()
            cs = self._clause_start(text, p, quotes)
            if self._headline(text, p):
                continue
            region_start = cs
            speaker = None
            region = text[cs:p]
            frame = FRAME_OPEN.match(region)
            if HYPOTHETICAL.match(region) or NEGATED.search(region):
                continue
            if REL_OBJECT.search(region) and REL_TAIL.match(text, mend):
                continue  # "列举了三起他声称…的案例": the cue is inside a relative clause on an object
            if cue.startswith("消息") and not frame and SOME_REPORT.fullmatch(region):
                speaker = Speaker(cs, p, region.strip() + "消息", "unnamed")
                frame = None
                region = ""
            elif cue in FRAME_ONLY and not frame:
                # "路透社此前报道，…": a known outlet as the subject, with a pause after the cue
                om = OUTLET_ADV.fullmatch(region) or OUTLET.fullmatch(region)
                if (
                    om is None
                    or text[mend : mend + 1] not in ("，", ",", "：", ":")
                    or self.parser.kind_of(om.group(1).strip("《》 ")) != "media"
                ):
                    continue
                name = om.group(1).strip()
                speaker = Speaker(cs + om.start(1), cs + om.end(1), name, "media", name=name.strip("《》"))
                region = ""
            if frame:
                region_start = cs + frame.end()
                speaker = self.parser.parse_region(text, region_start, p)
                if (
                    speaker is not None
                    and speaker.type == "organization"
                    and speaker.entity_id is None
                    and cue in FRAME_ONLY
                    and speaker.name not in self.lex.known_orgs
                ):
                    # "据wavespeed.ai报道": a report by a name the registry does not know is an outlet's
                    speaker = speaker.copy(type="media")
                if speaker is None and (
                    cue in FRAME_ONLY or cue in self.lex.media_cues or "《" in text[region_start:p]
                ):
                    # "据印度经济时报报道": in a report frame, a short name is the outlet
                    om = OUTLET_ADV.fullmatch(text, region_start, p) or OUTLET.fullmatch(
                        text, region_start, p
                    )
                    if (
                        om
                        and not self.parser._has_unnamed(om.group(1))
                        and not NOT_OUTLET.search(om.group(1))
                    ):
                        name = om.group(1).strip("《》")
                        speaker = Speaker(om.start(1), om.end(1), om.group(1), "media", name=name)
            elif (
                speaker is None
                and region.strip()
                and not re.fullmatch(
                    r"\s*(?:并|并且|同时|还|也|随后|此外|另外|则|而|而且|甚至|仅|只|但|但也|也仅|仅仅)?\s*",
                    region,
                )
                and not SCENE_ONLY.fullmatch(region)
                and not CONTINUE_CUE.fullmatch(region)
                and not GOES_ON_LEAD.fullmatch(region)
            ):
                speaker = self._subject(text, cs, p, m.end())
                if speaker is None and cue not in ("认为", "觉得") and _adverbs_only(region):
                    # "…，不断强调…", "…，只是提到…": adverbs, no subject: the sentence's subject goes on
                    speaker = self._inherit_subject(text, cs, quotes)
                if speaker is None:
                    continue
            if speaker is None and frame and region[frame.end() :].strip():
                continue  # a report frame whose source is no name ("按照惯例以及各种曝光消息")
            if (
                speaker is None
                and cue.startswith(("报道", "报导"))
                and cue not in FRAME_ONLY
                and (cs == 0 or text[cs - 1] in "。！？!?\n")
                and re.fullmatch(r"\s*(?:该|这篇|此外|另外|同时)?\s*", region)
            ):
                # "据The Verge报道，…。报道称，…": the report named before goes on (the coreference stage
                # finds its outlet, or drops the statement)
                speaker = Speaker(p, p + 2, "报道", "ref_media")
            if speaker is None:
                # no subject in this clause ("…，并表示…", "…，称…"): the sentence's subject speaks.
                # "X承认，…，并表示…": X goes on with a statement of its own (the clause before is what
                # X said, and its subject is not the speaker)
                if (
                    out
                    and (
                        out[-1].kind == "indirect"
                        # "X表示：“…。”并补充道，“…”": the quote just closed, its speaker goes on
                        or (region.strip() and re.fullmatch(r"[。！？!?…]*[”」』]", text[out[-1].end : cs]))
                    )
                    and cs - 2 <= out[-1].end < cs
                    and (
                        CONTINUE_CUE.fullmatch(region)
                        or GOES_ON_LEAD.fullmatch(region)
                        or SCENE_ONLY.fullmatch(region)
                        or (not region and cue in CHAIN_CUES)
                    )
                ):
                    speaker = out[-1].speaker
                else:
                    speaker = (
                        act_sp
                        or self._inherit_subject(text, cs, quotes)
                        or self._topic_then_cue(text, p, cue, quotes, out)
                    )
                if speaker is None:
                    continue
            if (
                speaker.type == "unnamed"
                and speaker.mention.strip() == "团队"
                and self._named_team_before(text, cs)
            ):
                # "微软 AI 团队在介绍时表示…。团队称，…": the team named just before, not a generic group
                speaker = speaker.copy(type="ref_org")
            if speaker.type == "ref_person" and speaker.mention in PLURAL_PRONOUNS:
                # "《福布斯》最先爆出这一消息，他们声称…": the group is the subject of the clause before
                ante = self._inherit_subject(text, cs, quotes)
                if ante is None and (cs == 0 or text[cs - 1] in SENT_END + " \u3000"):
                    # "部分技术博主对这一解释并不买账。他们指出，…": the group the sentence before is about
                    ante = self._group_before_sentence(text, cs, quotes)
                if ante is not None and ante.type in ("organization", "media", "unnamed"):
                    speaker = ante.copy(start=speaker.start, end=speaker.end, mention=speaker.mention)
            if speaker.type == "ref_person" and speaker.mention.endswith("发言人"):
                # "该发言人还表示": the spokesperson named before speaks for the organisation
                prev = next(
                    (
                        c.speaker
                        for c in reversed(out)
                        if c.speaker.type == "organization" and c.speaker.mention.endswith("发言人")
                    ),
                    None,
                )
                if prev is not None:
                    speaker = prev.copy(start=speaker.start, end=speaker.end, mention=speaker.mention)
            if speaker.type == "ref_report":
                ante = self._report_source(text, cs, quotes)
                if ante is not None:
                    speaker = ante.copy(start=speaker.start, end=speaker.end, mention=speaker.mention)
            if speaker.type == "person" and speaker.org == "@ref":
                # "戴尔已宣布…，该公司高级副总裁X…强调": the company that opens the sentence
                ante = self._sentence_subject(text, cs, quotes)
                if ante is not None:
                    speaker = speaker.copy(org=ante.name)
            if speaker.type == "ref_org":
                ante = (
                    _school_before(text, cs) if SCHOOL_REF.fullmatch(speaker.mention.strip()) else None
                ) or self._sentence_subject(text, cs, quotes)
                hm = REF_HEAD.match(speaker.mention)
                if ante is None and hm:
                    ante = self._named_antecedent(text, cs, hm.group(1))
                if ante is not None:
                    speaker = ante.copy(start=speaker.start, end=speaker.end, mention=speaker.mention)
            if speaker.type == "title_only" and cs > 0 and text[cs - 1] in "，,":
                # "Adam Ludwin，Chain公司的创建人兼CEO表示": the name stands before the appositive
                a = self._clause_start(text, cs - 1, quotes)
                named = self.parser.classify(text[a : cs - 1], a)
                if named is not None and named.type == "person" and not named.title:
                    speaker = named.copy(end=speaker.end, title=speaker.title, org=speaker.org)
            if cue in ("预计", "预期") and self._expectation_only(text, p, mend, speaker, region):
                continue  # "三星预计将推出…": a company's plan for itself, not a statement
            q = mend
            while q < len(text) and text[q] in " \u3000：:，,":
                q += 1
            dash = re.match(r"[—－]{1,2}[ \u3000]*(?=\n)", text[q:])
            if dash is not None:
                q += dash.end()
            # block quote: "X表示：" (or "X表示——") closing a paragraph introduces the next paragraph
            if q < len(text) and text[q] == "\n" and text[mend:q].strip() in ("：", ":", "——", "—", "－－"):
                a = q
                while a < len(text) and text[a] in "\n \u3000":
                    a += 1
                b = text.find("\n", a)
                b = len(text) if b == -1 else b
                a, b = self._trim(text, a, b)
                if b - a >= MIN_CONTENT and not LINK_LINE.fullmatch(text, a, b):
                    out.append(Candidate(a, b, "direct", cue, speaker, "block"))
                continue
            end = self._sentence_end(text, q, quotes)
            qq = next(((a, b) for a, b in quotes if a == q), None)
            if qq is not None:
                after = text[qq[1] + 1 : end].strip(" 。，,！!？?…")
                # the quote closes the sentence when it ends with 。！？ inside the marks (checked before
                # the clause tests below, which must not look inside the quote)
                # (after "X说：“…，”" the quote is what was said, whatever the sentence goes on with)
                if (
                    not after
                    or text[qq[1] - 1] in "。！？!?…"
                    or text[mend:q].strip() in ("：", ":")
                    and text[qq[1] - 1] in "，,"
                ):
                    a, b = self._trim(text, qq[0] + 1, qq[1])
                    if b - a >= 2:
                        out.append(Candidate(a, b, "direct", cue, speaker, "quote_before"))
                    continue
            # the content must not itself be a subject clause of a later cue ("…时表示，")
            first_clause_end = q
            while first_clause_end < end and text[first_clause_end] not in "，,：:；;":
                first_clause_end += 1
            tail = text[q:first_clause_end]
            tm = self.lex.cue_re.search(tail)
            if (
                tm
                and tm.end() == len(tail)
                and first_clause_end < end
                and self._cue_ok(text, q + tm.start(), tm.group())
                # (not "还有市民表示，丰巢…都没短信提醒，…": a clause before the later cue that names no one
                # is part of what was said)
                and (
                    self.parser.parse_region(text, q, q + tm.start()) is not None
                    or self._subject(text, q, q + tm.start(), q + tm.end()) is not None
                )
            ):
                continue
            # after "X强调：" what follows is what was said, whatever clause it opens with
            colon = text[mend : mend + 1] in ("：", ":")
            if TIME_CLAUSE.search(tail.rstrip()) and first_clause_end < end and not colon:
                # "…宣布关停的当晚，X表示…": the time clause belongs to a later statement or is the cue's
                # object; a statement that opens with a time clause ("微软表示，该模型…使用时，…") stays, and so
                # does one after a weak cue with a pause ("一些议员一直呼吁，对…进行搜索时，必须…")
                later = text[first_clause_end:end]
                if (
                    (cue in self.lex.weak and text[mend : mend + 1] not in "，,")
                    # "在保持…的同时，…" opens what was said ("…的当晚，" alone is the next cue's time)
                    or NOUN_TIME.search(tail.rstrip())
                    and not TIME_LEAD.match(tail)
                    or any(
                        self._cue_ok(text, first_clause_end + mm.start(), mm.group())
                        for mm in self.lex.cue_re.finditer(later)
                    )
                ):
                    continue
            if frame and cue in FRAME_ONLY:
                # "据X报道，Y表示，…": the outlet only relays Y's statement, which the cue of Y yields
                # statement; a later cue with no subject of its own ("…，预计明年发布") is part of the
                # report, and the report's words before a clause with its own subject ("尽管…，但其CFO表示")
                # are the outlet's
                relay = None
                for mm in self.lex.cue_re.finditer(text, q, end):
                    if not self._cue_ok(text, mm.start(), mm.group()):
                        continue
                    cs2 = self._clause_start(text, mm.start(), quotes)
                    reg2 = text[max(cs2, q) : mm.start()]
                    if not reg2.strip() or CONTINUE_CUE.fullmatch(reg2) or SCENE_ONLY.fullmatch(reg2):
                        continue
                    if mm.group() in ("预计", "预期"):
                        # "据X报道，OpenAI今年支出预计达…": a figure or a plan the report gives, not a
                        # speaker it relays (the cue yields no statement of its own)
                        sp2 = self.parser.parse_region(text, max(cs2, q), mm.start())
                        if sp2 is None or self._expectation_only(text, mm.start(), mm.end(), sp2, reg2):
                            continue
                    relay = max(cs2, q)
                    break
                if relay is not None:
                    a, b = self._trim(text, q, relay)
                    head = text[a:b]
                    if (
                        b - a >= 12
                        and (RELAY_HEAD.search(head) or not SCENE_HEAD.match(head))
                        and not TIME_CLAUSE.search(head)
                    ):
                        # "据X报道，这一系统已完成测试，Y表示，…": what the outlet itself reports before Y speaks
                        out.append(Candidate(a, b, "indirect", cue, speaker, "speech"))
                    continue
            end = self._cut_at_next_speaker(text, q, end, quotes)
            # "X表示，A，“B”。": a quote that ends the sentence after a comma is X's direct speech
            # (not when the clause before restates the speaker, "X表示，他反对…，“…”": it leads into the quote)
            tq = self._tail_quote(text, q, end, quotes)
            if tq is not None and text[q] not in "他她其":
                a, b = self._trim(text, q, tq[0] - 1)
                out.append(Candidate(a, b, "indirect", cue, speaker, "speech"))
                a, b = self._trim(text, tq[0] + 1, tq[1])
                out.append(Candidate(a, b, "direct", cue, speaker, "quote_tail"))
                continue
            a, b = self._trim(text, q, end)
            if b - a >= MIN_CONTENT:
                out.append(Candidate(a, b, "indirect", cue, speaker, "speech"))
        return out

    @staticmethod
    def _tail_quote(text: str, q: int, end: int, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The quote that ends the sentence q..end after a comma ("A，“B”。"), with words of its own before
        it; a semicolon after the quote ends what was said ("…，“…”；衍生品方面，…")."""
        tq = next(
            (
                (qa, qb)
                for qa, qb in quotes
                if q < qa < end
                and text[qa - 1] in "，,"
                and qb - qa > 6
                and (not text[qb + 1 : end].strip(" 。！？!?…") or text[qb + 1 : qb + 2] in "；;")
            ),
            None,
        )
        return tq if tq is not None and tq[0] - 1 - q >= MIN_CONTENT else None

    def object_quotes(self, text: str, quotes: list[tuple[int, int]]) -> list[Candidate]:
        """A weak cue with a short object before the quote ("指责段永平：“…”", "调侃其存在双标：“…”"):
        the quote is what was said when it ends the sentence."""
        out: list[Candidate] = []
        if not quotes:
            return out
        by_open = {a: (a, b) for a, b in quotes}
        for m in self.lex.cue_re.finditer(text):
            p, cue = m.start(), m.group()
            if cue not in self.lex.weak or self._inside(p, quotes):
                continue
            if any(text.startswith(bad, m.end()) for bad in BAD_AFTER.get(cue, ())):
                continue  # ("回忆起…“…”": the cue word is part of another verb)
            om = OBJECT_QUOTE.match(text, m.end())
            if om is None:
                continue
            q = by_open.get(om.end())
            if q is None or self.lex.cue_re.search(om.group()):
                continue
            end = self._sentence_end(text, q[1] + 1, quotes)
            after = text[q[1] + 1 : end].strip(" 。，,！!？?…")
            if after and text[q[1] - 1] not in "。！？!?…":
                continue
            cs = self._clause_start(text, p, quotes)
            region = text[cs:p]
            speaker = None
            if re.fullmatch(r"\s*(?:并|并且|同时|还|也|随后|随即|此外|另外|则|而|但)?\s*", region):
                speaker = self._inherit_subject(text, cs, quotes)
            else:
                speaker = self.parser.parse_region(text, cs, p)
            if speaker is None or speaker.type == "title_only":
                continue
            a, b = self._trim(text, q[0] + 1, q[1])
            if b - a >= 2:
                out.append(Candidate(a, b, "direct", cue, speaker, "object_quote"))
        return out

    def _inherit_subject(self, text: str, cs: int, quotes: list[tuple[int, int]]) -> Speaker | None:
        """Subject of a subject-less clause ("…，并表示…", "…，称…"): the nearest clause before it in the
        same sentence, walking back over continuation clauses (并/还/同时 …) only."""
        end = cs - 1
        depth = 0
        while end > 0 and text[end] in "，,":
            a = self._clause_start(text, end, quotes)
            if a >= end:
                return None
            clause = text[a:end]
            head = clause.lstrip()
            if head.startswith(PLURAL_PRONOUNS):
                # "《福布斯》…，他们声称…，并透露…": the group named in the clause before
                ante = self._inherit_subject(text, a, quotes) if a > 0 else None
                if ante is not None and ante.type in ("organization", "media", "unnamed"):
                    return ante
                return None
            pron = _pronoun_head(text, a, end)
            if pron is not None:
                return pron
            if PREP_LEAD.match(clause) and depth < 3:
                # a clause that opens with a preposition has its subject before it; the name after the
                # preposition is its object ("奥特曼…时，对埃隆·马斯克的计划作出评价，称…")
                depth += 1
                end = a - 1
                continue
            sp = (
                self.parser.parse_region(text, a, end)
                or self.parser.subject_head(text, a, end)
                # (a name no list knows, that opens the clause: the CRF's)
                or self.subjects.opener(text, a, end)
            )
            if sp is not None and sp.type in (
                "person",
                "organization",
                "ref_person",
                "ref_org",
                "media",
                "unnamed",
            ):
                return sp
            # an indirect question ("…未解释，为什么…，") is the object of the clause before it; a clause that
            # opens with its verb ("特朗普签署行政命令，要求…，称…") has the subject of the one before it
            if not re.match(
                r"\s*(?:并|且|同时|还|也|而|但|便|就|又|再|于是|然后|随后|此后|之后|接着|为什么|为何|是否|如何)",
                clause,
            ) and not (VERB_LEAD.match(clause) and depth < 3):
                return None
            depth += 1
            end = a - 1
        return None

    def _group_before_sentence(self, text: str, cs: int, quotes: list[tuple[int, int]]) -> Speaker | None:
        """The unnamed group that is the subject of the sentence before the one opening at `cs` (in the same
        paragraph): what a sentence-opening 他们 stands for when no one has spoken yet."""
        e = cs
        while e > 0 and text[e - 1] in " \u3000":
            e -= 1
        if e == 0 or text[e - 1] not in "。！？!?":
            return None
        a = self._sentence_start(text, e)
        for _ in range(2):  # "然而，部分技术博主…": past a lead clause
            b = a
            while b < e and text[b] not in CLAUSE_BOUND:
                b += 1
            sp = self.parser.subject_head(text, a, b)
            if sp is not None:
                return sp if sp.type == "unnamed" and "的" not in sp.mention else None
            a = b + 1
            if a >= e:
                break
        return None

    @staticmethod
    def _sentence_start(text: str, pos: int) -> int:
        """Where the sentence holding the character before `pos` starts."""
        a = pos - 1
        while a > 0 and text[a - 1] not in SENT_END:
            a -= 1
        return a

    def _sentence_subject(self, text: str, cs: int, quotes: list[tuple[int, int]]) -> Speaker | None:
        """The named organisation that opens the sentence holding the clause at `cs` ("Hugging Face是一家
        AI初创公司，该公司表示…"): the antecedent of "该公司" before any organisation named earlier."""
        a = self._sentence_start(text, cs)
        if a >= cs - 1:
            return None
        e = a
        while e < cs - 1 and text[e] not in CLAUSE_BOUND:
            e += 1
        if TIME_CLAUSE.search(text[a:e]) and TIME_LEAD.match(text, a, e) and e < cs - 1:
            # "在Spotify告诉投资者…之后，Airbnb则提供了…": the subject follows the time clause
            a = e = e + 1
            while e < cs - 1 and text[e] not in CLAUSE_BOUND:
                e += 1
        if e <= a:
            return None
        sp = self.parser.subject_head(text, a, e)
        return sp if sp is not None and sp.type == "organization" and sp.name else None

    def _report_source(self, text: str, cs: int, quotes: list[tuple[int, int]]) -> Speaker | None:
        """ "调研公司X发布了一份报告。该报告称…": the organisation or outlet that published the report."""
        found = None
        for m in REPORT_SRC.finditer(text, max(0, cs - 300), cs):
            found = m
        if found is None:
            return None
        a = self._clause_start(text, found.start(), quotes)
        sp = self.parser.parse_region(text, a, found.start()) or self.parser.subject_head(
            text, a, found.start()
        )
        return sp if sp is not None and sp.type in ("organization", "media") else None

    def _doc_issuer(self, text: str, sp: Speaker, quotes: list[tuple[int, int]]) -> Speaker | None:
        """Who issued the document a "声明称", "信中写道" quotes: the subject of the latest clause before it
        that issued a document of that kind, else (for a company's own papers) the organisation that
        opens one of the three sentences before."""
        kind, issued = next(((k, rx) for k, named, rx in DOC_KINDS if named.search(sp.mention)), (None, None))
        if kind is None or issued is None:
            return None
        found = None
        for m in issued.finditer(text, max(0, sp.start - 800), sp.start):
            found = m
        if found is not None:
            a = self._clause_start(text, found.start(), quotes)
            ante = self.parser.parse_region(text, a, found.start()) or self.parser.subject_head(
                text, a, found.start()
            )
            if ante is None or ante.type == "unnamed":
                # "豆包在周五晚间向用户发布通知": the name that opens the clause, not the users it was sent to
                crf = self.subjects.subject(text, a, found.start(), found.end())
                lead = a
                while lead < len(text) and text[lead] in " \u3000\n":
                    lead += 1
                if crf is not None and crf.type in ("person", "organization") and crf.start <= lead:
                    ante = crf
            if ante is not None and ante.type in ("person", "organization", "media", "unnamed", "ref_person"):
                return ante
        if kind not in ORG_DOCS:
            return None
        e = sp.start
        for _ in range(3):
            ante = self._sentence_subject(text, e, quotes)
            if ante is not None:
                return ante
            a = self._sentence_start(text, e)
            if a >= e - 1:
                break
            e = a
        # a company's own paper in an article about that company ("新闻稿称", "公告还强调", "招聘信息写道")
        return self._main_org(text, sp.start) if kind in OWN_DOCS else None

    def _main_org(self, text: str, end: int) -> Speaker | None:
        """The organisation the article is about up to `end`: named at least three times, and at least
        twice as often as any other."""
        counts = {
            n: text.count(n, 0, end)
            for n, kind in (LOCAL_NAMES.get() or {}).items()
            if kind == "organization" and len(n) >= 2
        }
        # (not a common word the tagger took for a body, "地图"; a known one, "百度", is a body whatever jieba says)
        counts = {
            n: c
            for n, c in counts.items()
            if c and (not common_word(n) or n in self.lex.known_orgs or self.parser.entity(n) is not None)
        }
        ranked = sorted(counts, key=lambda n: -counts[n])
        if not ranked:
            return None
        top = ranked[0]
        # one organisation under several names ("宇树"/"宇树科技", "Google"/"Google地图") counts once
        family = [n for n in ranked if top in n or n in top]
        others = [counts[n] for n in ranked if n not in family]
        if counts[top] < 3 or (others and counts[top] < 2 * max(others)):
            return None

        def alone(n: str) -> int:  # written as itself, not inside a longer name of the family
            return counts[n] - sum(counts[m] for m in family if m != n and n in m)

        name = max(family, key=lambda n: (alone(n), len(n)))
        at = text.rfind(name, 0, end)
        return Speaker(at, at + len(name), name, "organization", name=name)

    def _named_antecedent(self, text: str, cs: int, head: str) -> Speaker | None:
        """ "该局" -> the organisation named earlier as a clause's subject whose name ends in 局."""
        ends = [i for i in range(cs - 2, max(-1, cs - 3000), -1) if text[i] in CLAUSE_BOUND][:80]
        if cs <= 3000 and len(ends) < 80:
            ends.append(-1)  # the text's start opens a clause too
        for i in ends:
            e = i + 1
            while e < cs and e - i < 40 and text[e] not in CLAUSE_BOUND:
                e += 1
            if head not in text[i + 1 : e]:
                continue
            sp = self.parser.subject_head(text, i + 1, e)
            if (
                sp is not None
                and sp.type == "organization"
                and (sp.name or "").endswith(head)
                and len(sp.name or "") > len(head)
            ):
                return sp
        return None

    def _cut_at_next_speaker(self, text: str, q: int, end: int, quotes: list[tuple[int, int]]) -> int:
        """An indirect content stops where a later clause of the sentence starts its own statement
        ("…失败了，不过纳德拉称，微软正进军…")."""
        for m in self.lex.cue_re.finditer(text, q, end):
            p = m.start()
            if self._inside(p, quotes):
                continue
            cs = self._clause_start(text, p, quotes)
            if cs > q and self._goes_on_cue(text, p, m.group(), cs):
                return cs - 1  # "…，并希望…": the same speaker goes on
            if p > q and self._chained(text, p, m.group()) and not re.search(r"[，,；;]", text[q : p - 1]):
                # "X认为…不容小觑，呼吁暂停…"; not "X称，当…时，布林…讲话，敦促…" (the clause before has
                # its own subject)
                return p - 1
            if (
                m.group() in NAMED_WEAK
                and cs > q
                and text[cs - 1] in "，,；;"
                and CONTINUE_CUE.fullmatch(text, cs, p)
                and self._cue_ok(text, p, m.group(), pause=False)
            ):
                return cs - 1  # "…，并多次呼吁撤销…": a weak cue after 并 goes on with the same speaker
            if not self._cue_ok(text, p, m.group()):
                continue
            if cs <= q or text[cs - 1] not in "，,；;":
                continue
            if self.parser.parse_region(text, cs, p) is not None:
                return cs - 1
            if CONTINUE_CUE.fullmatch(text, cs, p) and (
                m.group() not in self.lex.short or text[p + 1 : p + 2] in "，,：:“"
            ):
                return cs - 1  # "…，并透露…": the same speaker's next statement
        return end

    @staticmethod
    def _headline(text: str, pos: int) -> bool:
        """A short paragraph without sentence punctuation is a heading or a caption: skip it."""
        a = text.rfind("\n", 0, pos) + 1
        b = text.find("\n", pos)
        b = len(text) if b == -1 else b
        para = text[a:b].strip()
        return len(para) <= 30 and not any(c in para for c in "。！？!?，,：:“”")

    # -- quotes with the speaker after them ---------------------------------------------------------

    @staticmethod
    def _surname_only(text: str, a: int, b: int, before: int) -> Speaker | None:
        """ "“…。”曹说，": a surname alone after a quote stands for the one person of that surname the
        article named before (a person the entity stage found), never when two share it."""
        head = text[a:b].strip()
        if len(head) != 1 or head not in SURNAMES:
            return None
        names = LOCAL_NAMES.get() or {}
        fulls = {
            n
            for n, t in names.items()
            if t == "person" and n[0] == head and 2 <= len(n) <= 4 and 0 <= text.find(n) < before
        }
        if len(fulls) != 1:
            return None
        s0 = a + text[a:b].index(head)
        return Speaker(s0, s0 + 1, head, "person", name=fulls.pop())

    def quotes_after(self, text: str, quotes: list[tuple[int, int]], taken: set[int]) -> list[Candidate]:
        out = []
        for a, b in quotes:
            if a in taken or text[b + 1 : b + 2] == "的":
                continue  # 'ID为“X”的用户表示': a name in quotes, not what was said
            inner = text[a + 1 : b]
            if (
                len(inner) <= 12
                and not any(ch in "，。！？,.!?…；" for ch in inner)
                and text[b + 1 : b + 2] not in " ，,"
            ):
                # '“中国美容激光之父”、皮肤专家X认为', '“211”高校副教授X告诉…': a short term glued to the
                # words after it names or describes someone; it is not what they said
                continue
            k = b + 1
            while k < len(text) and text[k] in " ，,":
                k += 1
            e = k
            while e < len(text) and text[e] not in CLAUSE_BOUND and text[e] not in '“「『"':
                e += 1
            clause = text[k:e]
            m = self.lex.after_re.search(clause) or TOLD_AFTER.search(clause)
            resume = SPLIT_RESUME.match(text, e) if clause and text[b - 1 : b] in "，,。！？" else None
            if m is None and resume is not None:
                # "“A，”李永舫描述了一幅…图景，“B”": a quote split by a clause whose subject is a named person
                # with no cue word; both parts are that person's
                split = self.parser.subject_head(text, k, e) or self.subjects.antecedent(text, e, floor=k)
                if split is None or split.type != "person" or not split.name or split.start > k + 1:
                    continue
                parts = [(a, b)]
                parts += [(x, y) for x, y in quotes if x == resume.end() - 1 and x not in taken]
                for qa, qb in parts:
                    t0, t1 = self._trim(text, qa + 1, qb)
                    if t1 - t0 >= 2:
                        out.append(Candidate(t0, t1, "direct", None, split, "quote_split"))
                        taken.add(qa)
                continue
            if m is None or not clause:
                continue
            sp = self._subject(text, k, k + m.start(), k + m.end())
            if sp is None:
                sp = self._surname_only(text, k, k + m.start(), a)
            if sp is None:
                continue
            s0, s1 = self._trim(text, a + 1, b)
            ls = a
            while ls > 0 and text[ls - 1] not in SENT_END:
                ls -= 1
            lead = text[ls:a]
            if (
                2 <= len(lead.strip()) <= 15
                and text[b - 1 : b] in ("，", ",", "。", "！", "？", "…")
                and not any(ch in CLAUSE_BOUND or ch in '“”「」『』"' for ch in lead)
                and not self.lex.cue_re.search(lead)
            ):
                # "这些技术“应着力…，”他表示": the words before the quote open what was said
                s0 = self._trim(text, ls, a)[0]
            if s1 - s0 >= 2:
                out.append(Candidate(s0, s1, "direct", m.group(), sp, "quote_after"))
            # "“…，”他周三发帖说。“…”": a quote split by its cue (the first part ends with a comma) goes on
            # in the quote right after the cue's sentence
            if text[b - 1 : b] in "，," and e < len(text) and text[e] in "。.":
                n = e + 1
                while n < len(text) and text[n] in " \u3000":
                    n += 1
                nq = next(((x, y) for x, y in quotes if x == n), None)
                if nq is not None and nq[0] not in taken:
                    t0, t1 = self._trim(text, nq[0] + 1, nq[1])
                    if t1 - t0 >= 2:
                        out.append(Candidate(t0, t1, "direct", m.group(), sp, "quote_after"))
                        taken.add(nq[0])
            # "“…”，“…”，他称": quotes joined only by a comma before it have the same speaker
            prev_end = a
            for pa, pb in reversed([q for q in quotes if q[1] < a]):
                if pa in taken or text[pb + 1 : prev_end].strip(" ，,、") or pb + 1 == prev_end:
                    break
                s0, s1 = self._trim(text, pa + 1, pb)
                if s1 - s0 >= 2:
                    out.append(Candidate(s0, s1, "direct", m.group(), sp, "quote_after"))
                prev_end = pa
        return out

    def _continued_quotes(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """A quote that is a sentence of its own, right after a statement of a person, continues it."""
        out = []
        covered = [(c.start, c.end) for c in cands]
        for a, b in quotes:
            if any(s0 - 1 <= a and b <= e0 + 1 for s0, e0 in covered):
                continue
            before = text[max(0, a - 1) : a]
            after = text[b + 1 : b + 2]
            if before not in ("。", "！", "？", "") or after not in ("", "\n") and after not in "。！？":
                continue
            # (a sentence inside the marks, or closed by the 。 after them: "“创新也需要深度”。")
            if text[b - 1] not in "。！？!?…" and after not in "。！？":
                continue
            prev = [
                c
                for c in cands
                if c.end <= a
                and self._goes_on(text, c, a)
                and (
                    c.speaker.type in ("person", "ref_person")
                    # ("X的一位发言人表示，…。“…”": the spokesperson goes on)
                    or c.speaker.type in ("unnamed", "title_only")
                    and REPRESENTATIVE_TAIL.search(c.speaker.mention)
                    # ("一位接近该公司的人士称，…。“…”": any source goes on straight after its own words)
                    or c.speaker.type in ("unnamed", "organization", "ref_org")
                    and len(text[c.end : a]) <= 3
                )
            ]
            if not prev or any(prev[-1].end <= c.start < a for c in cands):
                continue
            s0, s1 = self._trim(text, a + 1, b)
            if s1 - s0 >= 4:
                out.append(Candidate(s0, s1, "direct", prev[-1].cue, prev[-1].speaker, "continued"))
        return out

    @staticmethod
    def _goes_on(text: str, c: Candidate, a: int) -> bool:
        """Whether a quote opening at `a` can go on with statement `c`: right after it, after its own
        attribution ("…。”小舒说。“…”"), or later in the same paragraph, with no other quote in between
        ("…。”刘嘉解释。AI生成的内容…。“而且，…”")."""
        gap = text[c.end : a]
        if len(gap) <= 3:
            return True
        return len(gap) <= 80 and "\n" not in gap and not any(ch in gap[1:] for ch in "“「『")

    def _quote_paragraphs(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """A paragraph that is one quote and nothing else, with no cue of its own, goes on with the
        person who spoke last, when that was at most one paragraph before (news writes a run of a
        source's quotes that way: "…”，X说。¶¶“…。”¶¶“…。”")."""
        out: list[Candidate] = []
        spoken = sorted((c for c in cands if c.speaker.type in ("person", "ref_person")), key=lambda c: c.end)
        covered = [(c.start, c.end) for c in cands]
        for a, b in quotes:
            if any(s0 - 1 <= a < e0 + 1 for s0, e0 in covered):
                continue
            ps = text.rfind("\n", 0, a) + 1
            pe = text.find("\n", b)
            pe = len(text) if pe < 0 else pe
            if text[ps:a].strip(" \u3000") or text[b + 1 : pe].strip(" \u3000。") or ps < 1:
                continue  # not a paragraph of its own
            if text[b - 1] not in "。！？!?…" or b - a < 10:
                continue
            prev = [c for c in spoken if c.end <= ps]
            if not prev:
                continue
            last = prev[-1]
            between = [line for line in text[last.end : ps].split("\n") if line.strip(" \u3000。”")]
            if len(between) > 1:
                continue  # more than one paragraph since the person spoke
            s0, s1 = self._trim(text, a + 1, b)
            out.append(Candidate(s0, s1, "direct", last.cue, last.speaker, "quote_paragraph"))
            spoken.append(out[-1])
            spoken.sort(key=lambda c: c.end)
        return out

    # -- frames -----------------------------------------------------------------------------------

    FRAME_KANLAI = re.compile(r"在([^，。！？\n]{1,30}?)看来[，,]")
    FRAME_SHUOFA = re.compile(
        # ("据刘世军的介绍，": 据 with someone's own account; 据…的消息 is a report, read below)
        r"(?:根据|按照|依照|照|按|据(?=[^，。！？\n“”]{1,45}?的(?:说法|介绍|解释|描述|表述)[，,]))"
        r"([^，。！？\n]{1,45}?)的(?:说法|介绍|解释|描述|观点|表述|消息)[，,]"
        # "据路透社今年早些时候的报道，", "据斯塔默办公室周日发布的声明，": a report or a statement as the frame
        r"|(?:据|根据)([^，。！？\n“”]{1,30}?)(?:发布|发出|发表|公布)?的(?:报道|报导|声明|公告)[，,]"
    )
    # "用奥特曼自己的话说，", "在他的描述中，", "从微软自己的解释来看，", "据余洋观察，": the words that
    # follow are that person's
    FRAME_WORDS = re.compile(
        r"(?:用|套用)([^，。！？\n“”]{1,30}?)(?:自己)?的(?:一句)?话(?:来)?(?:说|讲)[，,：:]"
        r"|(?:在|从|据)([^，。！？\n“”]{1,20}?)(?:自己)?(?:的(?:描述|预判|判断|设想|构想|理解|蓝图|愿景|解释|说法)"
        r"(?:中|里|来看|看来)|的?观察)[，,]"
    )
    FRAME_GUANDIAN = re.compile(
        rf"([^，。！？\n]{{1,30}}?)(?:的(?:{VIEW_NOUNS})(?:是|则是|为|认为)|"
        rf"(?:给出|此前|当时|之前)?的(?:{ANSWER_NOUNS})(?:是|为))"
        r"[，,：:]?"
    )

    # "根据谷歌官方博客，", "按照官方公告，", "X官方说法是：": the organisation's own published words
    FRAME_OFFICIAL = re.compile(
        r"(?:(?:据|根据|按照|依照)([^，。！？\n“”「」]{0,16}?)(?:的)?|([^，。！？\n“”「」]{0,16}?)的?)"
        r"(?:官方(?:博客|博文|公告|声明|说法|介绍|新闻稿|文档)|博客文章|官方网站|官网|新闻稿)"
        r"(?(1)[，,：:]|(?:是|称|显示)?[：:])"
    )

    # the literal core of each frame: the frame regexes (slow, with a lazy group at every position)
    # only run on a text that has it
    FRAME_KEYS = (
        re.compile(r"看来[，,]"),
        re.compile(r"的(?:说法|介绍|解释|描述|观点|表述|消息|报道|报导|声明|公告)[，,]"),
        re.compile(rf"的(?:{VIEW_NOUNS})(?:是|则是|为|认为)|的(?:{ANSWER_NOUNS})(?:是|为)"),
        re.compile(r"正如"),
        re.compile(r"官方|博客文章|官网|新闻稿"),
        re.compile(
            r"的(?:一句)?话(?:来)?(?:说|讲)|的(?:描述|预判|判断|设想|构想|理解|蓝图|愿景|解释|说法)(?:中|里|来看|看来)"
            r"|观察[，,]"
        ),
    )

    def frames(self, text: str, quotes: list[tuple[int, int]]) -> list[Candidate]:
        out = []
        for rx, cue, key in (
            (self.FRAME_KANLAI, "看来", self.FRAME_KEYS[0]),
            (self.FRAME_SHUOFA, "说法", self.FRAME_KEYS[1]),
            (self.FRAME_GUANDIAN, "观点", self.FRAME_KEYS[2]),
            (FRAME_ZHENGRU, "所言", self.FRAME_KEYS[3]),
            (self.FRAME_OFFICIAL, "官方", self.FRAME_KEYS[4]),
            (self.FRAME_WORDS, "说", self.FRAME_KEYS[5]),
        ):
            if key.search(text) is None:
                continue
            for m in rx.finditer(text):
                if self._inside(m.start(), quotes):
                    continue
                gi = 2 if rx in (self.FRAME_SHUOFA, self.FRAME_WORDS) and m.group(1) is None else 1
                # the frame's own word is the cue of a report or a statement ("据X的报道")
                word = text[m.end(gi) + 1 : m.end() - 1][-2:] if gi == 2 and rx is self.FRAME_SHUOFA else cue
                g0 = m.start(gi)
                if rx is self.FRAME_GUANDIAN:
                    cs = self._clause_start(text, m.start(gi), quotes)
                    g0 = cs
                if rx is self.FRAME_KANLAI and CROWD.match(m.group(gi).strip()):
                    continue
                if rx is self.FRAME_OFFICIAL:
                    sp = self._official_source(text, m, quotes)
                else:
                    sp = self._subject(text, g0, m.end(gi), m.end())
                if sp is None and rx is self.FRAME_SHUOFA and text[m.end(gi) + 1 : m.end(gi) + 3] == "消息":
                    # "根据辛饭堂的消息": a short name in a news frame is the outlet
                    om = OUTLET.fullmatch(text, m.start(gi), m.end(gi))
                    if (
                        om
                        and len(om.group(1).strip()) <= 5
                        and not self.parser._has_unnamed(om.group(1))
                        and not NOT_OUTLET.search(om.group(1))
                    ):
                        nm = om.group(1).strip("《》")
                        sp = Speaker(om.start(1), om.end(1), om.group(1), "media", name=nm)
                if sp is None:
                    continue
                qa = m.end()
                while qa < len(text) and text[qa] in " \u3000":
                    qa += 1
                q = next(((x, y) for x, y in quotes if x == qa), None)
                if q is not None and (text[m.end() - 1] in "：:" or rx is self.FRAME_GUANDIAN):
                    # "正如X所说的那样：“…”": the quote is X's own words
                    a, b = self._trim(text, q[0] + 1, q[1])
                    if b - a >= 2:
                        out.append(Candidate(a, b, "direct", word, sp, "frame", {"frame_start": m.start()}))
                    continue
                end = self._sentence_end(text, m.end(), quotes)
                # "在X看来，A，“B”。": the closing quote is X's own words, a statement of its own
                tq = self._tail_quote(text, m.end(), end, quotes)
                a, b = self._trim(text, m.end(), end if tq is None else tq[0] - 1)
                if b - a >= MIN_CONTENT:
                    out.append(Candidate(a, b, "indirect", word, sp, "frame", {"frame_start": m.start()}))
                if tq is not None:
                    a, b = self._trim(text, tq[0] + 1, tq[1])
                    out.append(Candidate(a, b, "direct", word, sp, "frame", {"frame_start": m.start()}))
        return out

    # -- interviews and feature writing -------------------------------------------------------------

    def qa_lines(self, text: str) -> list[Candidate]:
        """ "张师傅：…" paragraphs of a Q&A or transcript: each is a direct statement by its label's person.
        Only in a text with at least two such paragraphs (the format, not a one-off "X：" heading)."""
        if text.count("：") + text.count(":") < 2:
            return []
        hits = []
        labels = 0
        for m in QA_LINE.finditer(text):
            label = m.group(1)
            cm = next(
                (c for c in self.lex.cue_re.finditer(label) if c.end() == len(label) and c.start() > 0), None
            )
            if cm is not None:
                label = label[: cm.start()]  # "克洛奇说：": the label's person is the one before the cue
            if label not in QA_ASKERS:  # the interview's own turns do not count
                labels += 1
            if label in QA_LABELS or self.lex.title_re.fullmatch(label):
                continue
            title = None
            lm = QA_LATIN.fullmatch(label)
            if lm:
                # "Bernhard Jung 教授：" in a translated interview: a Latin name, maybe an honorific
                label, title = lm.group(1), lm.group(2) or None
                ok = looks_like_person(label, self.lex)
            elif hm := QA_HONOR.search(label):
                stem = label[: hm.start()]
                # "边师傅": one character before 师傅/先生/女士/老师 is a surname, listed or not
                ok = bool(stem) and (
                    stem[0] in SURNAMES
                    or looks_like_person(stem, self.lex)
                    or (len(stem) == 1 and hm.group() != "总" and "\u4e00" <= stem <= "\u9fff")
                )
            else:
                ok = self.parser.kind_of(label) == "person"
            if not ok:
                continue
            b = text.find("\n", m.end())
            b = len(text) if b == -1 else b
            a, b = self._trim(text, m.end(), b)
            if b - a >= 6:
                sp = Speaker(m.start(1), m.start(1) + len(label), label, "person", name=label, title=title)
                hits.append(Candidate(a, b, "direct", "：", sp, "qa"))
        hits += self._alias_lines(text)
        # a list of fields ("定位：…¶目标：…¶成本：…") is no transcript: most of its labels name no one
        return hits if len(hits) >= 2 and 2 * len(hits) > labels else []

    def chat_turns(self, text: str) -> list[Candidate]:
        """Messages of a chat log: each turn under a "NAME – 6:48 PM" line is one direct statement by NAME,
        from its first line that says something to its end. Only in a log of at least three turns by at
        least two people (the format, not one timestamped line or an agenda)."""
        if text.count(":") < 3:
            return []
        heads = []
        for m in CHAT_HEAD.finditer(text):
            name = PARENS.sub("", m.group("name")).strip(" \u3000-–—")
            # "王 洪森": a space a chat client put between two Han characters is no part of the name
            name = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])", "", name)
            if name and re.search(r"[A-Za-z\u4e00-\u9fff]", name) and len(name) <= 30:
                heads.append((m, name))
        # people talk in a chat; an agenda ("开幕式 9:00", "圆桌论坛 14:00") has the same shape
        people = {n for _, n in heads if re.search(r"[A-Z]", n) or looks_like_person(n, self.lex)}
        if len(heads) < 3 or len(people) < 2:
            return []
        out = []
        for i, (m, name) in enumerate(heads):
            if name not in people:
                continue  # a head still ends the turn before it
            last = i + 1 == len(heads)
            stop = len(text) if last else heads[i + 1][0].start()
            lines = []  # (start, end) of the turn's non-empty lines
            k = m.end()
            while k < stop:
                e = text.find("\n", k, stop)
                e = stop if e == -1 else e
                if CHAT_SECTION.match(text[k:e]):
                    break
                if text[k:e].strip():
                    lines.append((k, e))
                k = e + 1
            if last:
                lines = lines[:3]  # the log may end in the article's own words
            while lines and (
                len(text[lines[0][0] : lines[0][1]].strip()) < CHAT_MIN
                or CHAT_FILLER.match(text[lines[0][0] : lines[0][1]])
            ):
                lines.pop(0)
            if not lines:
                continue
            a, b = self._trim(text, lines[0][0], lines[-1][1])
            if b - a >= MIN_CONTENT:
                start = m.start("name")
                sp = Speaker(start, start + len(m.group("name")), name, "person", name=name)
                out.append(Candidate(a, b, "direct", None, sp, "chat", {"last_turn": last}))
        return out

    @staticmethod
    def _question_lines(text: str, answerers: set[str]) -> list[tuple[int, int]]:
        """Lines of a transcript under a label that gives no answers and that end in a question mark."""
        out = []
        for m in QA_ANY_LINE.finditer(text):
            label = m.group(1)
            line = m.group(0).rstrip()
            if label not in answerers and line.endswith(("？", "?")):
                out.append((m.start(), m.end()))
        return out

    def interview_answers(self, text: str, cands: list[Candidate]) -> list[Candidate]:
        """An interview written as questions to "您" and answers with no labels ("…对于您来说, GDE 的角色和职责
        是怎样的呢?¶这和我一直以来在做的事情没什么区别…"): the paragraph after each question is what the person
        the article is about answered. Only in an article with three such questions or more, and only when one
        person is named far more often than any other."""
        paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
        asked = {
            i
            for i, (a, b) in enumerate(paras)
            if "您" in text[a:b] and text[a:b].rstrip(" \u3000~～)）")[-1:] in "？?"
        }
        if len(asked) < 3:
            return []
        sp = self._interviewee(text)
        if sp is None:
            return []
        out: list[Candidate] = []
        for i in sorted(asked):
            if i + 1 >= len(paras) or i + 1 in asked:
                continue
            a, b = self._trim(text, *paras[i + 1])
            if LABELLED_LINE.match(text, a):
                continue  # "张：…": an answer under its label (qa_lines, _alias_lines)
            if b - a >= 4 and not any(c.start <= a < c.end or a <= c.start < b for c in cands):
                out.append(Candidate(a, b, "direct", None, sp, "interview"))
        return out

    def _interviewee(self, text: str) -> Speaker | None:
        """The person an interview is with: the one the article names most often, at least three times and
        twice as often as anyone else (a name's parts count for it: "Taylor" for "Taylor Ling")."""
        names = [
            n
            for n, kind in (LOCAL_NAMES.get() or {}).items()
            if kind == "person" and len(n) >= 2 and not common_word(n)
        ]
        # "Taylor Ling 是一位…设计师": a Latin name the article introduces with a copula
        names += [m.group(1) for m in LATIN_INTRO.finditer(text)]
        if not names:
            return None

        def times(n: str) -> int:
            parts = [p for p in re.split(r"[ ·•]", n) if len(p) >= 2] or [n]
            return max(text.count(p) for p in parts)

        ranked = sorted(names, key=lambda n: (times(n), len(n)), reverse=True)
        top = ranked[0]
        others = [
            times(n) for n in ranked[1:] if not (set(re.split(r"[ ·•]", n)) & set(re.split(r"[ ·•]", top)))
        ]
        if times(top) < 3 or (others and times(top) < 2 * max(others)):
            return None
        at = text.find(top)
        if at < 0:
            return None
        title = None
        im = next((m for m in LATIN_INTRO.finditer(text) if m.group(1) == top), None)
        if im is not None:
            # "…是一位不懈倡导优质 UI 与 UX 设计的设计师.": the title that ends the introducing clause
            e = im.end()
            while e < len(text) and text[e] not in "，。,.；;\n":
                e += 1
            tm = [m for m in self.lex.title_re.finditer(text, im.end(), e) if m.end() == e]
            # (a title the lists do not know: the noun after the clause's last 的, "…设计的设计师")
            noun = re.search(r"的([\u4e00-\u9fff]{2,6})$", text[im.end() : e])
            title = tm[-1].group() if tm else noun.group(1) if noun else None
        return Speaker(at, at + len(top), top, "person", name=top, title=title)

    def _alias_lines(self, text: str) -> list[Candidate]:
        """Answers under the short label an interview declared ("张俊波（以下简称张）…¶张：我觉得…"): each
        is a direct statement of the person the label stands for."""
        out: list[Candidate] = []
        if "简称" not in text and "下称" not in text:
            return out
        for am in SHORT_NAME.finditer(text):
            head, label = am.group(1), am.group(2)
            at = head.rfind(label)
            full = head[at:] if at >= 0 else ""
            if not full or len(full) > len(label) + 3 or self.parser.kind_of(full) != "person":
                continue
            fs = am.start(1) + at
            # the role the declaration gives ("Unity 中国区总裁张俊波"): the words before the name in its clause
            cs = fs
            while (
                cs > 0
                and fs - cs < 24
                and text[cs - 1] not in CLAUSE_BOUND
                and text[cs - 1] not in "了是对与和"
            ):
                cs -= 1
            role = self.parser.classify(text[cs : fs + len(full)], cs)
            sp = Speaker(fs, fs + len(full), full, "person", name=full)
            if role is not None and role.type == "person" and role.name == full:
                sp = sp.copy(title=role.title, org=role.org)
            for m in re.finditer(
                r"^[ \u3000]*(" + re.escape(label) + r")[ \u3000]*[：:][ \u3000]*(?=\S)", text, re.M
            ):
                b = text.find("\n", m.end())
                b = len(text) if b == -1 else b
                a, b = self._trim(text, m.end(), b)
                if b - a >= 4:
                    out.append(Candidate(a, b, "direct", "：", sp, "qa"))
        return out

    def colon_quotes(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """A quoted paragraph after a paragraph that ends with a colon ("…他毫不掩饰自己的震惊：¶“…”"):
        the person who is the subject of that sentence said it."""
        out: list[Candidate] = []
        covered = [(c.start, c.end) for c in cands]
        for a, b in quotes:
            if any(s0 - 1 <= a < e0 + 1 for s0, e0 in covered):
                continue
            inner = text[a + 1 : b]
            if len(inner) < 8 or not any(ch in inner for ch in "，。！？,!?"):
                continue  # a title or a term in quotes, not speech
            if a > 0 and text[a - 1] in "：:":
                # "Hypponen对推文言简意赅：“…”": a colon right before the quote in the same sentence
                sp = self._colon_subject(text, a - 1, quotes) or self._announcer(text, a - 1, quotes)
                if sp is not None and sp.type in ("person", "organization"):
                    s0, s1 = self._trim(text, a + 1, b)
                    out.append(Candidate(s0, s1, "direct", "：", sp, "colon_quote"))
                continue
            ps = text.rfind("\n", 0, a) + 1
            if text[ps:a].strip(" \u3000") or ps < 2:
                continue
            pe = ps - 1
            while pe > 0 and text[pe - 1] in "\n \u3000":
                pe -= 1
            if pe < 1 or text[pe - 1] not in "：:":
                continue
            sp = self._colon_subject(text, pe - 1, quotes)
            if sp is None:
                continue
            s0, s1 = self._trim(text, a + 1, b)
            out.append(Candidate(s0, s1, "direct", "：", sp, "colon_quote"))
        return out

    def colon_views(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """ "马斯克抛出颠覆性结论：2036年金钱将…", "黄仁勋此前的担忧：英伟达正面临…": a view, a conclusion or a
        warning announced by a colon (or a dash) is the words of the named person or organisation it belongs
        to: the one whose view it is ("X的担忧"), else the subject of the clause."""
        out: list[Candidate] = []
        covered = [(c.start, c.end) for c in cands]
        for m in VIEW_COLON.finditer(text):
            q = m.end()
            if self._inside(m.start(), quotes) or any(s0 - 1 <= q < e0 + 1 for s0, e0 in covered):
                continue
            if q >= len(text) or text[q] in "\n“「":
                continue  # a list or a quote after it: other rules read those
            cs = self._clause_start(text, m.start(), quotes)
            sp = None
            om = VIEW_OWNER.search(text[cs : m.start()])
            if om is not None:
                owner, o0 = om.group(1), cs + om.start(1)
                if "了" in owner:  # "也印证了…黄仁勋此前的担忧": the owner follows the verb
                    o0 += owner.rindex("了") + 1
                    owner = owner[owner.rindex("了") + 1 :]
                sp = self.parser.classify(owner, o0)
            if sp is None or sp.type not in ("person", "organization"):
                sp = (
                    self.parser.parse_region(text, cs, m.start())
                    or self.parser.subject_head(text, cs, m.start())
                    or self.subjects.antecedent(text, m.start(), floor=cs)
                    or _pronoun_head(text, cs, m.start())
                )
            if sp is None or not (
                (sp.type in ("person", "organization") and sp.name)
                # "研究团队给出了…的愿景：", "他用一句比喻说明这一点：": an unnamed source, or a 他/她 that
                # coreference resolves
                or (
                    m.group(1) not in ("目标", "方向", "通知")  # ("为工程师设定的目标是：" is no one's view)
                    and (
                        sp.type == "unnamed"
                        or (sp.type == "ref_person" and sp.mention.strip() in ("他", "她"))
                    )
                )
            ):
                continue
            end = self._sentence_end(text, q, quotes)
            if end >= len(text) or text[end] not in "。！？!?":
                continue  # a headline ("AT&T首度回应：…" on a line of its own), not a sentence
            a, b = self._trim(text, q, end)
            if b - a >= 6:
                out.append(Candidate(a, b, "indirect", m.group(1) or m.group(2), sp, "colon_view"))
        return out

    def colon_inline(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """A colon inside a paragraph after a statement's announcement that no cue word ends ("Sora团队发布声明：
        …", "奥斯汀结合…经验总结：…", "有网友评价：…"): the rest of the sentence is what the clause's subject
        said."""
        out: list[Candidate] = []
        covered = [(c.start, c.end) for c in cands]
        for m in re.finditer(r"[：:]", text):
            colon, q = m.start(), m.end()
            if q >= len(text) or text[q] in '\n“「『"' or self._inside(colon, quotes):
                continue  # a paragraph or a quote after it: colon_blocks and colon_quotes read those
            if any(s0 - 1 <= colon < e0 + 1 or colon <= s0 <= colon + 2 for s0, e0 in covered):
                continue
            cs = self._clause_start(text, colon, quotes)
            line = text.rfind("\n", 0, colon) + 1
            if colon - max(cs, line) <= 2 or FIRST_PERSON.search(text, cs, colon):
                continue  # "点评：…": a label; "我们建议：": the writer's own (a longer label has no subject)
            tail = re.sub(r"《[^》]*》", "", text[cs:colon])
            if not INLINE_COLON_TAIL.search(tail):
                continue
            if any(mm.end() == colon for mm in self.lex.cue_re.finditer(text, cs, colon)):
                continue  # "X表示：…": the cue's own reading (Finder.speech)
            sp = self.parser.parse_region(text, cs, colon) or self.parser.subject_head(text, cs, colon)
            if sp is None and INLINE_COLON_TAIL.fullmatch(tail.strip()) and cs > line:
                # "用户X转发了…的采访片段，配文：": the subject of the clause before
                sp = self._inherit_subject(text, cs, quotes)
            if (
                sp is None
                or sp.type not in ("person", "organization", "unnamed")
                or (sp.type != "unnamed" and not sp.name)
            ):
                continue
            end = self._sentence_end(text, q, quotes)
            if end >= len(text) or text[end] not in "。！？!?":
                continue  # a headline, not a sentence
            a, b = self._trim(text, q, end)
            if b - a >= MIN_CONTENT:
                out.append(Candidate(a, b, "indirect", "：", sp, "colon_inline"))
        return out

    def colon_blocks(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """A paragraph that ends with a colon after someone's words or answer ("Hassabis的回答是：",
        "迪士尼一发言人告诉《Variety》：", "网友一整个大无语：") introduces the next paragraph, written
        without quotation marks, as what that one said."""
        out: list[Candidate] = []
        covered = [(c.start, c.end) for c in cands]
        for m in PARA_COLON.finditer(text):
            colon = m.start(1)
            a = m.end()
            b = text.find("\n", a)
            b = len(text) if b < 0 else b
            if text[a] in '“「『"' or any(s0 - 1 <= a < e0 + 1 or a <= s0 < b for s0, e0 in covered):
                continue  # a quote (colon_quotes reads it) or words another rule attributes
            if LABEL_LINE.match(text, a):
                continue  # "点评：…": a labelled line of its own
            if b - a < 12 or not any(ch in text[a:b] for ch in "，。！？,!?；"):
                continue  # a heading or a name line, not a statement
            cs = self._clause_start(text, colon, quotes)
            tail = re.sub(r"《[^》]*》", "", text[cs:colon])[-8:]  # ("告诉《Variety》：")
            if self._inside(colon, quotes) or not COLON_COMM.search(tail):
                continue
            if FIRST_PERSON.search(text, cs, colon):
                continue  # "我们建议遵循以下步骤：": the writer's own advice
            sp = self._colon_subject(text, colon, quotes) or self._announcer(text, colon, quotes)
            if sp is None and (om := ANSWER_OF.fullmatch(text, cs, colon)) is not None:
                sp = self.parser.classify(om.group(1), om.start(1))  # "哈萨比斯的回答是："
            if sp is None:
                # the words before a cue in the clause ("迪士尼一发言人告诉《Variety》："), else the clause
                cm = next((mm for mm in self.lex.cue_re.finditer(text, cs, colon) if mm.start() > cs), None)
                sp = self.parser.parse_region(text, cs, cm.start() if cm else colon)
                sp = sp or self.parser.subject_head(text, cs, colon)
            if sp is None or sp.type not in ("person", "organization", "unnamed", "title_only"):
                continue
            s0, s1 = self._trim(text, a, b)
            if s1 - s0 >= MIN_CONTENT:
                out.append(Candidate(s0, s1, "direct", "：", sp, "colon_block"))
        return out

    def uncued_quotes(
        self, text: str, quotes: list[tuple[int, int]], cands: list[Candidate]
    ) -> list[Candidate]:
        """A quoted sentence with no cue at all is the person the text around it is about: the one named
        as the subject right after it ("“…”周海峰指着…"), else the named subject of its own sentence or the
        one before ("张嘉佳对这些倒显得没什么所谓。“有什么太大的所谓呢？…”"), else the person a 他/她
        opening the sentence before stands for. Only a quote that reads as speech (its own punctuation,
        ending its sentence) counts, and only when one person, not two, could be meant."""
        out: list[Candidate] = []
        covered = [(c.start, c.end) for c in cands]
        for a, b in quotes:
            if any(s0 - 1 <= a < e0 + 1 for s0, e0 in covered):
                continue
            inner = text[a + 1 : b].strip()
            if len(inner) < 8 or not any(ch in inner for ch in "，。！？,!?…"):
                continue  # a term or a title in quotes
            k = a
            while k > 0 and text[k - 1] in " \u3000":
                k -= 1
            if k > 0 and text[k - 1] not in "。！？!?\n，,":
                continue  # inside a sentence: what its own words make of the quote is not known here
            nxt = text[b + 1 : b + 2]
            if (
                nxt
                and nxt not in "。！？!?\n"
                and text[b - 1] not in "。！？!?…"
                and not FIRST_PERSON.search(inner)
            ):
                continue  # the sentence goes on after the quote (unless the quote speaks as "我")
            sp = (
                self._named_after(text, b)
                or self.subjects.antecedent(text, a)
                or self._pronoun_before(text, k, text[a + 1 : b])
                or self._only_person_in_sentence_before(text, k, text[a + 1 : b])
            )
            if sp is None or self._joint_subject(text, sp.start, quotes):
                continue
            s0, s1 = self._trim(text, a + 1, b)
            if s1 - s0 >= 4:
                out.append(Candidate(s0, s1, "direct", None, sp, "uncued_quote"))
        return out

    def _only_person_in_sentence_before(self, text: str, k: int, quote: str) -> Speaker | None:
        """The one person the article names in the sentence right before a quote that opens a paragraph
        or a sentence ("对 James 来说，这些“不同”是一个商机。¶“美国是…”"), when that sentence names no
        other and the quote does not speak of that person."""
        s0, e = _sentence_before(text, k)
        sentence = text[s0:e]
        if "“" in sentence or "我" in sentence:
            return None  # another quote, or a narrator of its own, stands between
        found = {
            n
            for n, kind in (LOCAL_NAMES.get() or {}).items()
            if kind == "person"
            and len(n) >= 2
            and n in sentence
            and n not in quote
            and looks_like_person(n, self.lex)
            and not common_word(n)  # ("文件" is no name, though 文 is a surname)
        }
        found = {n for n in found if not any(m != n and n in m for m in found)}  # "吉布森" in "乔恩·吉布森"
        if len(found) != 1:
            return None
        name = found.pop()
        at = s0 + sentence.index(name)
        return Speaker(at, at + len(name), name, "person", name=name)

    def _joint_subject(self, text: str, pos: int, quotes: list[tuple[int, int]]) -> bool:
        """The name at `pos` is the second of a joint subject ("导演A和制片人B…"): either could be speaking."""
        return any(ch in text[self._clause_start(text, pos, quotes) : pos] for ch in "和与及、")

    def _named_after(self, text: str, b: int) -> Speaker | None:
        """The person named as the subject of the clause right after a quote ("“…”，谢佩甫指着一辆车说")."""
        k = b + 1
        while k < len(text) and text[k] in " \u3000，,":
            k += 1
        e = k
        while e < len(text) and text[e] not in CLAUSE_BOUND and text[e] not in '“「『"' and e - k < 40:
            e += 1
        if e - k < 3:
            return None
        sp = self.subjects.antecedent(text, e, floor=k)
        return sp if sp is not None and sp.start - k <= 12 else None

    def _pronoun_before(self, text: str, k: int, quote: str = "") -> Speaker | None:
        """The person a 他/她 opening the sentence before stands for ("…他觉得…。¶¶“说白了，…”"); not when
        the quote speaks of that 他/她 itself ("“每次见到他，我都劝他…”") or the sentence is a narrator's
        "我" (an essay's "他问我…，我回答说…")."""
        a, e = _sentence_before(text, k)
        head = text[a:e]
        m = re.match(r"[^，,。他她]{0,6}[，,]?(他|她)(?!们)", head)
        if m is None or re.search(m.group(1) + "(?!们)", quote) or "我" in re.sub(r"“[^”]*”", "", head):
            return None
        p = a + m.start(1)
        sp = self.subjects.antecedent(text, p)
        # a feature story names its person once and goes on with 他/她 for paragraphs: the named subject
        # of the nearest sentence before that has one, over at most two paragraph breaks
        e, breaks = a, 0
        while sp is None and e > 0 and breaks <= 2:
            while e > 0 and text[e - 1] in "。！？!?\n \u3000":
                breaks += text[e - 1] == "\n" and text[e - 2 : e - 1] != "\n"
                e -= 1
            s0 = e
            while s0 > 0 and text[s0 - 1] not in SENT_END:
                s0 -= 1
            if e - s0 >= 4 and not re.match(r"[^，,。他她]{0,6}[，,]?(他|她)(?!们)", text[s0:e]):
                sp = self.subjects.antecedent(text, e, floor=s0)
            e = s0
        return sp

    def _announcer(self, text: str, colon: int, quotes: list[tuple[int, int]]) -> Speaker | None:
        """The organisation whose clause before the colon issues a notice ("DeepSeek发布公告：“…”")."""
        a = self._clause_start(text, colon, quotes)
        m = ANNOUNCE.search(text, a, colon)
        if m is None or m.end() != colon:
            return None
        sp = self.parser.parse_region(text, a, m.start())
        return sp if sp is not None and sp.type == "organization" else None

    def _colon_subject(self, text: str, colon: int, quotes: list[tuple[int, int]]) -> Speaker | None:
        """The person the sentence ending at `colon` is about: its last clause with a subject."""
        ss = colon
        while ss > 0 and text[ss - 1] not in SENT_END:
            ss -= 1
        end = colon
        pron: Speaker | None = None
        for _ in range(4):
            if end <= ss:
                break
            a = self._clause_start(text, end, quotes)
            a = max(a, ss)
            if (ph := _pronoun_head(text, a, end)) is not None:
                # "李明收到红包时，他毫不掩饰…：": the name the pronoun stands for, when the sentence has it
                pron = pron or ph
            else:
                # "克洛奇说：": the subject ends before the cue
                sub_end = end
                for mm in self.lex.cue_re.finditer(text, a, end):
                    if mm.end() == end and mm.start() > a:
                        sub_end = mm.start()
                sp = self.parser.subject_head(text, a, sub_end) or self.subjects.opener(text, a, sub_end)
                if sp is not None:
                    return sp if sp.type == "person" else pron
            end = a - 1
        return pron

    def run(self, text: str, quotes: list[tuple[int, int]] | None = None) -> list[Candidate]:
        quotes = quote_spans(text) if quotes is None else quotes
        cands = self.speech(text, quotes) + self.frames(text, quotes)
        cands += [c for c in self.object_quotes(text, quotes) if not any(c.start == d.start for d in cands)]
        taken = {c.start - 1 for c in cands if c.kind == "direct"}
        # quotes that a reported-speech candidate already covers as a whole are not repeated
        for c in cands:
            for a, b in quotes:
                if c.start <= a and b < c.end:
                    taken.add(a)
        cands += self.quotes_after(text, quotes, taken)
        cands += self._continued_quotes(text, quotes, cands)
        cands += self._quote_paragraphs(text, quotes, cands)
        cands += self.colon_quotes(text, quotes, cands)
        cands += self.colon_views(text, quotes, cands)
        cands += self.colon_blocks(text, quotes, cands)
        cands += self.colon_inline(text, quotes, cands)
        cands += self.uncued_quotes(text, quotes, cands)
        cands += self._continued_quotes(text, quotes, cands)  # (quotes that go on with an uncued one)
        cands += self.interview_answers(text, cands)
        chat = self.chat_turns(text)
        if chat:
            tail = chat[-1]
            inside = [c.start for c in cands if tail.start <= c.start < tail.end]
            if tail.extra.get("last_turn") and inside:
                # the log may end in the article's own words: a statement other rules find in the last
                # message ends the message before its line (none is left when that is the first line)
                cut = text.rfind("\n", tail.start, min(inside))
                while cut > tail.start and text[cut - 1] in "\n \u3000":
                    cut -= 1  # the blank lines between the message and the article's words
                if cut <= tail.start:
                    chat.pop()
                else:
                    tail.start, tail.end = self._trim(text, tail.start, cut)
            # a chat message is its author's words; what other rules read into it is not kept
            cands = [c for c in cands if not any(d.start <= c.start < d.end for d in chat)] + chat
        qa = self.qa_lines(text)
        if qa:
            # "DB：有人说，…？" in a transcript: the interviewer's question, nobody's statement
            labels = {text[text.rfind("\n", 0, c.start) + 1 : c.start].strip(" \u3000：:") for c in qa}
            asked = self._question_lines(text, labels)
            cands = [c for c in cands if not any(a <= c.start < b for a, b in asked)]
        cands += [c for c in qa if not any(d.start <= c.start < d.end for d in cands)]
        # "网友指出，…，在他看来，…": a frame inside an indirect span starts a statement of its own
        for f in cands:
            fs = f.extra.get("frame_start")
            if not isinstance(fs, int):
                continue
            for c in cands:
                if c.kind == "indirect" and c is not f and c.start < fs < c.end and f.end <= c.end:
                    a, b = self._trim(text, c.start, fs)
                    if b - a >= MIN_CONTENT:
                        c.end = b
        # "声明提到，…", "信中写道：…": the document's issuer speaks
        # (an issuer not found leaves the document's words to nobody: they are not given to another speaker)
        for c in cands:
            if c.speaker.type == "ref_doc":
                ante = self._doc_issuer(text, c.speaker, quotes)
                if ante is not None:
                    c.speaker = ante.copy(start=c.speaker.start, end=c.speaker.end, mention=c.speaker.mention)
        # "X…发布了新版本，他表示…": the named subject the CRF finds before a 他/她, for coreference to use when
        # the entity mentions give no antecedent
        for c in cands:
            if c.speaker.type == "ref_person" and c.speaker.mention in ("他", "她"):
                ante = self.subjects.antecedent(text, c.speaker.start)
                if ante is not None and (ante.name or "") in self.lex.known_orgs | self.lex.known_media:
                    ante = None  # ("…在社交平台LinkedIn上发表…。他写道": a platform the lists know is nobody's 他)
                if ante is not None:
                    c.extra["antecedent"] = ante
                    # sure enough to win over the person who spoke last: reads as a person's name,
                    # the registry knows no company by it ("月之暗面", "Automate" are tagged names too),
                    # and it is more than a bare transliterated surname ("齐默" for John Zimmer)
                    name = ante.name or ""
                    c.extra["antecedent_sure"] = (
                        len(name) >= 3
                        and looks_like_person(name, self.lex)
                        and self.parser.kind_of(name) not in ("organization", "media")
                    )
        # "“…”曹嘉泰对36氪记者说，这位哈佛…毕业的美籍华人个子不高": after a quote and its attribution, the
        # writer goes on describing the speaker; that is no statement
        cands = [
            c
            for c in cands
            if not (
                c.kind == "indirect"
                and NARRATION_LEAD.match(text, c.start)
                and AFTER_QUOTE_CUE.search(text, max(0, c.start - 40), c.start)
            )
        ]
        # whichever stage found the speaker, its name is tidied here once; None means no one spoke
        tidied = []
        for c in cands:
            sp = self.parser.tidy(c.speaker) if c.speaker.type != "ref_doc" else None
            if sp is None:
                continue
            if sp.type == "unnamed":
                sp = self.subjects.represented(text, sp) or sp
            tidied.append(c)
            c.speaker = sp
            # "学家约瑟夫·布里格斯", "官员肯尼思·普罗普": whichever stage found the name, it ends no title
            if sp.type == "person" and sp.name and DOT_MARK.search(sp.name):
                name = self.parser._trim_dotted(sp.name)
                if name != sp.name:
                    c.speaker = sp.copy(name=name)
            prior = c.extra.get("antecedent")
            if (
                isinstance(prior, Speaker)
                and prior.type == "person"
                and prior.name
                and DOT_MARK.search(prior.name)
            ):
                c.extra["antecedent"] = prior.copy(name=self.parser._trim_dotted(prior.name))
        cands = tidied
        cands.sort(key=lambda c: (c.start, -c.end))
        # one statement per span: overlapping candidates keep the first (the longer) one
        kept: list[Candidate] = []
        for c in cands:
            if kept and c.start < kept[-1].end and c.start >= kept[-1].start:
                prev = kept[-1]
                # a direct quote found after the fact beats an indirect span that starts at the same place
                if c.kind == "direct" and prev.kind == "indirect" and c.start == prev.start + 1:
                    kept[-1] = c
                continue
            kept.append(c)
        return kept
