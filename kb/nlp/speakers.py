"""Who is speaking: parse the phrase before a cue ("小米集团董事长雷军", "一位知情人士", "他", "英伟达方面")
into a small record, and resolve references to an antecedent.

Everything works on the simplified text; offsets are character offsets into it (and so into the
original, since t2s keeps lengths).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb.nlp.lexicon import (
    SURNAMES,
    TRANSLIT,
    Lexicon,
    common_word,
    looks_like_org,
    looks_like_person,
    opening_name,
)

if TYPE_CHECKING:
    from kb.registry import Registry

PARENS = re.compile(r"[（(][^（）()]{0,60}[）)]")
# Leading words that are not part of a subject: connectives, time expressions, frames.
LEAD = re.compile(
    r"^(?:\s|而且|而|且|但是|但|不过|此外|同时|另外|对此|然而|随后|随即|其中|并且|并|因此|所以|与此同时|另一方面|当然|事实上|其实|"
    r"据悉|目前|最近|近期|日前|近日|此前|今天|昨天|今日|昨日|当天|当晚|本周|上周|上月|本月|今年|去年|早些时候|"
    r"北京时间|美国时间|当地时间|\d{1,4}\s?年|\d{1,2}\s?月|\d{1,2}\s?日|\d{1,2}\s?号|[上下]午|早间|晚间|凌晨|周[一二三四五六日末]|"
    r"星期[一二三四五六日天]|在此之前|与此相对|相比之下|对于此事|就此|针对此事|针对这一问题|毕竟|尽管|虽然|只是|现在|"
    r"因为|由于|甚至|尤其|特别是|例如|比如|包括|以及|就连|次日|翌日|"
    # "周一发布财报时他表示": an occasion ending in 时 before a 他/她
    r"[^，。！？；“”]{2,16}?时(?=[他她](?!们)))+"
)
# Someone posting online, described by the name they go by ("一个叫Joel Handwell的网友")
CALLED = re.compile(
    r"\s*(?:[^，。：:\n“”]{0,12}?上)?(?:一个|一位|一名)?(?:叫做?|名叫|名为|网名为?|昵称为?)\s*“?"
    r"([A-Za-z0-9_@][A-Za-z0-9_@.\- ]{1,29}?|[\u4e00-\u9fff]{2,4})”?\s*的(?:网友|用户|博主|开发者|推主|UP主|up主|读者)"
)
# The description of someone posting online, that a handle may follow ("网友iruletheworldmo")
USER_HEAD = re.compile(r"(?:网友|用户|博主|推主|UP主|up主)\s*$")
# A Han name with a Latin one after it, space apart ("欧洲刑警组织 Europol")
HAN_THEN_ALIAS = re.compile(r"\s*([\u4e00-\u9fff]{2,20})\s+[A-Z][A-Za-z\-]{1,20}\s*")
# How something was said, as an adverb with 地 between the speaker and the cue
SAYING_MANNER = (
    "直言不讳 一针见血 毫不夸张 开玩笑 话里有话 轻描淡写 理所当然 一本正经 毫不留情 毫不客气 毫不掩饰 毫不讳言 "
    "毫不避讳 言之凿凿 不约而同 义正言辞 意味深长 开门见山 语重心长 斩钉截铁 直截了当 信心满满 忧心忡忡 不无担忧 "
    "不无遗憾 坦率 坦诚 坦然 诚实 乐观 悲观 谨慎 自信 自豪 骄傲 愤怒 气愤 无奈 兴奋 激动 亲切 风趣 幽默 形象 生动 "
    "通俗 明确 公开 直白 委婉 含蓄 笼统 简单 准确 确切 具体 严肃 严厉 冷静 平静 淡定 坚定 遗憾 感慨 动情 认真 郑重 "
    "谦虚 低调 高调 隐晦 巧妙 得意 尖锐 犀利 苦笑 微笑"
).split()
# Where a subject ends: an adverbial or preposition starts the middle part before the cue.
MIDDLE = re.compile(
    r"在|于|对|向|也|还|则|曾|并|又|就|已|都|(?<![上中少准大])将|亦|再|更|当时|彼时|当年|受访时|很快|迅速|立刻|马上|主动|长期|一向|向来|历来|近日|日前|此前|一直|早前|随后|同时|今天|昨天|周[一二三四五六日]|"
    r"当天|当日|接受|通过|明确|公开|首次|高调|重新|不断|进一步|特别|直接|坦率|私下|同样|随即|立即|最近|近期|本周|上周|"
    r"上月|\d{1,2}月|\d{1,2}日|昨日|今日|早在|早已|早就|今年|去年|明年|昨晚|今晚|今早|昨夜|现在|周末|早些时候|当地时间|北京时间|日内|近期|先前|之前|稍后|后来|随之|仍|依然|"
    r"一再|多次|反复|强烈|正式|据|只|仅|却|便|竟|确实|也曾|始终|坦然|罕见|少见|甚至|率先|再次|专门|紧急|连续|连夜|"
    r"特意|特地|刻意|专程|一度|早先|稍早|事后|当面|当众|屡次|第一次|难得|依旧|照例|尤其|一方面|另一方面|最终|最后|"
    r"紧接着|继而|进而|因此|为此|年初|年底|显然|"
    r"发文|发帖|撰文|留言|写信|致信|回应|答复|回复|出席|参加|做客|现身|登台|作为|以|从|就此|最新|此前|日前|"
    r"接着|继续|后续|作证|评价|担忧|上季度|上个季度|本季度|"
    r"此次|这次|试图|暗示|尚未|正在|也在|还在|已经|曾经|仍然|正(?=在|式|面临|计划|考虑|准备|寻求)|"
    r"发言(?!人)|分析$|普遍|一致|纷纷|最先|最早|首先|公告|发布公告|发表声明|声明|发微博|不仅|不但|发布报告|在报告中|发表文章|"
    # "库克自己也表示", "他直言指出": a reflexive or a second cue word before the cue
    r"自己|本人|亲自|直言|坦言|笑着|牵头|忍不住|不禁|\d{1,2}\s+月|"
    # "DeepSeek发布V4 Preview时就表示": the occasion, a launch or a talk, ends in 时
    r"(?:发布|推出|谈到|谈及|提到|回应|宣布)[^，。！？；：:“”]{1,30}?时|"
    # "他警告说", "他总结道", "X澄清说": a verb of saying before 说/道/称
    r"(?:警告|总结|形容|澄清|感叹|不禁感叹|报告|回忆|解释|补充|透露|强调)$|"
    # "他直言不讳地指出", "魏哲家开玩笑地表示": the manner of speaking, an adverb ending in 地
    r"(?:很|非常|十分|颇为|更加|更|较为|相当|有些|略带|略显|半)?(?:" + "|".join(SAYING_MANNER) + ")地"
)
MIDDLE_MAX = 60
# a report owned by a named outlet or body ("彭博社的最新报道", "CBC的一份报告", "404 Media一则报道")
OWNED_REPORT = re.compile(
    r"(.{2,30}?)\s*(?:的|发布的)?\s*(?:最新|一份|一篇|一则|最新一期|新)?(?:报道|报告|调查报告|研究报告)"
)
# a name in Han characters (with a dot for a transliteration), as the registry's people are looked up
_HAN_RUN = re.compile(r"[\u4e00-\u9fff·]{2,12}")
# a surname and 某: a person named so as to stay anonymous ("犯罪嫌疑人江某", "王某某")
SURNAME_MOU = re.compile(r"([\u4e00-\u9fff])某某?$")
# the place a company's registered name opens with, before the name it goes by ("北京星河动力…")
PLACE_PREFIXES = frozenset(
    "北京 上海 深圳 广州 杭州 南京 苏州 成都 武汉 西安 天津 重庆 合肥 香港 台湾 中国 美国 日本 韩国 英国 德国 法国".split()
)
# A Latin name (one or more capitalised words) with Han text straight after it ("Charles Curran花费")
LATIN_NAME_BEFORE_HAN = re.compile(
    r"(?<![A-Za-z])[A-Z][a-z]+(?:[A-Z][a-z]+)?(?: [A-Z][a-z]+(?:[A-Z][a-z]+)?)*(?=[\u4e00-\u9fff])"
)
# Middles that may hold a 的 (a place or an occasion): "在接受媒体的采访时", "在今天的发布会上"
RELATIVE_OK = re.compile(
    r"(?:(?:周[一二三四五六日]|\d{1,2}月\d{1,2}日|\d{1,2}日|今天|昨天|今日|昨日|近日|日前|当地时间|本周[一二三四五六日]?|"
    r"近期|最近|此前|早前|上周|上月|本月|今年|去年)\s*(?:还|也|曾)?)?"
    r"(?:在|于|对|向|接受|通过|就|据|出席|参加|做客|从|以)"
)
# "曾任职于X的员工", "一支由X领衔的研究团队": a description ending in a generic head is an unnamed source
DESCRIBED_UNNAMED = re.compile(r"的(?:[\u4e00-\u9fffA-Za-z]{0,6})?$")
# A group described without a name ("研究团队", "一支国际天文学团队"): unnamed, not an organisation
GENERIC_TEAM = re.compile(r"^(?:一支|一个|一组|这支|这个|该)?[^，。]{0,30}?(?:团队|小组|课题组|研究组)$")
# An online handle in quotes standing for a person
HANDLE = re.compile(
    r"(?:(?:ID|id|网名|昵称|账号|用户名)(?:为|是|叫)?|[\u4e00-\u9fffA-Za-z]{0,6}?(?:博主|网友|用户|UP主|up主|爆料人))?\s*“([^“”，。！？\s]{2,12})”"
    r"(?:的[\u4e00-\u9fffA-Za-z]{0,16})?"
)
# A generic word for the company (“公司方面表示”): a reference to the company the article is about
BARE_ORG_WORDS = frozenset(
    # (a bare "团队" is a generic group, unnamed: GENERIC_TEAM; "该团队" refers to a team named before)
    "公司 该公司 这家公司 本公司 集团 该集团 监管机构 该监管机构 监管部门 该团队 厂商 该厂商 这家厂商 "
    "该平台 平台 主办方 项目方 平台方 开发方 运营方 厂方 院方 校方 监管层 基金会 机构 委员会 工作室 该工作室".split()
)
# A scene before the subject ("在演讲中孙正义还说", "在发布会上，…"): tried only when the plain parse fails.
SCENE = re.compile(r"\s*在[^，。；：:\s“”]{1,14}?(?:中|上|时|期间|之际|现场)")
# An organisation name ended by a strong suffix, then a short qualifier of the title that follows
# ("阿里云智能集团|资深", "蚂蚁集团|首席").
ORG_THEN_QUAL = re.compile(
    r"^(.{2,20}?(?:集团|公司|科技|银行|基金会|委员会|研究院|实验室|大学|学院|工作室|事业群|事业部))"
    r"([\u4e00-\u9fff]{1,4})$"
)
# A qualifier of a title after a known organisation's name ("微软|安全负责人", "谷歌|中国区总裁").
QUAL = re.compile(r"[\u4e00-\u9fff]{1,6}")
# What may follow a known organisation's name inside one (product or unit) name: "华为网盘", "腾讯微云".
ORG_UNIT = re.compile(
    r"^(?!发布|发表|发出|宣布|公布|回应|表示)[\u4e00-\u9fffA-Za-z]{1,4}$"
)  # (not "微软发布声明")

MEDIA_TAIL = re.compile(r"^(.+?)\s*(?:的?报道|的?报告|的?文章|杂志|日报|周刊|网站|电视台|通讯社|报)$")
# "外媒The Information", "美媒彭博社": a generic word for the press before the outlet's name
MEDIA_PREFIX = re.compile(
    r"^(?:外媒|外电|美媒|英媒|日媒|韩媒|港媒|台媒|(?:美国|英国|日本|韩国|海外|国外|外国|国际|科技|财经)?(?:科技)?(?<!流)媒体)\s*"
)
# "有研究机构", "一家咨询公司", "某券商": an organisation that is not named is an unnamed source
UNNAMED_ORG = re.compile(
    r"^(?:有|有些|一些|一家|多家|几家|某家?|部分|不少|另有|也有|还有|有一家)[\u4e00-\u9fffA-Za-z]{0,10}"
    r"(?:机构|公司|企业|媒体|银行|券商|基金|团队|平台|厂商|组织|网站|报告|研究|调查|消息)$"
)
# Titles that follow a name in Chinese ("汉克教授", "奥巴马总统"): with a person-like name before them
# and nothing after, the name is the person, not an organisation
NAME_FIRST_TITLES = frozenset(
    "教授 副教授 博士 院士 总统 副总统 总理 首相 议员 参议员 众议员 州长 市长 大使 国务卿 先生 女士 主席 部长 法官 律师 "
    "上将 中将 少将 将军 海军上将 陆军上将 空军上将 上校".split()
)
MEDIA_WRAP = re.compile(r"^《([^》]{1,20})》$")
ORG_TAIL = re.compile(
    r"(?:方面|官方|官方人士|发言人|官网|官方微博|官微|官方账号|官方公众号|官方博客|官方客服|客服人员|客服)$"
)
ORG_HEAD_STRIP = re.compile(
    r"^(?:由于|因为|而且|而|但|据|让|被|与|和|对|向|在|从|其中|包括|以及|作为|随着|是|即|曾任|担任|出任|前任|"
    r"知名|著名|前|原|现任|时任|任职于|就职于|供职于|效力于)*"
)
DOT_NAME_TAIL = re.compile(
    r"([\u4e00-\u9fffA-Za-z]+)([·•‧・][\u4e00-\u9fffA-Za-z]+(?:[·•‧・][\u4e00-\u9fffA-Za-z]+)?)$"
)


# The head after a possessive 的 that names a thing, not a person ("用户的文字", "用户的设备"): a Han noun
# that ends in no person's suffix
THING_HEAD = re.compile(r"[\u4e00-\u9fff]{1,6}(?<![人者员师家们众方])")
# ...unless it names what they said ("消息人士的说法", "网友的评论")
WORDS_NOUN = re.compile(
    r"说法|观点|看法|消息|话|声明|表态|分析|报告|爆料|证词|评论|回应|意见|判断|预测|估计|解释|介绍"
)
# "MacLean点名批评了部分大型企业的做法": a group inside the object of a verb with 了 is nobody's subject
OBJECT_OF_VERB = re.compile(r"[\u4e00-\u9fff]了[^的，。]{1,12}的[\u4e00-\u9fff]{1,4}$")
# Names the article itself establishes ("慧科集团" earlier makes "慧科" an organisation): set by the speech
# stage for the Doc at hand (a ContextVar, so that threads sharing the parser don't mix articles).
LOCAL_NAMES: ContextVar[dict[str, str] | None] = ContextVar("kb_local_names", default=None)
HONORIFIC = re.compile(r"^(.{2,4}?)(?:博士|先生|女士|教授|老师)$")
# "调研公司Counterpoint Research", "国外科技媒体 Edsurge": a description, then the Latin name
DESCRIBED_LATIN = re.compile(
    # ("负责制定PCIe标准的行业组织PCI-SIG": a relative clause ending in 的 may stand before the describer)
    # (a short word before 组织/联盟/协会 makes it a describer, "行业组织"; a longer one a name with its gloss,
    # "欧洲刑警组织 Europol")
    r"^(?:[^，,。；;]{0,40}的)?([\u4e00-\u9fffA-Za-z0-9]{0,10}(?:公司|机构|媒体|网站|杂志|平台|基金|资本|服务|品牌|厂商|企业|"
    r"软件|应用|工作室|开发商|发行商|运营商|制造商|供应商|交易所|实验室|测评方|评测方|主办方|研究方|投资方|组织方)|"
    r"[\u4e00-\u9fff]{0,2}(?:组织|联盟|协会))\s*([A-Z][A-Za-z0-9&.\-]*(?: [A-Z][A-Za-z0-9&.\-]*){0,3})$"
)
# "科技媒体testingcatalog": an outlet after its describer may be written in lower case (a site's own spelling)
DESCRIBED_SITE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}(?:媒体|网站|博客|外媒)\s*([a-z0-9][A-Za-z0-9.\-_]{2,30})$"
)
_TR = "".join(sorted(TRANSLIT))
_DOT = re.compile(r"[·•‧・]")
REF_DEMONSTRATIVE = re.compile(
    r"(?:该|这位|这名)(?:博主|网友|用户|UP主|高管|官员|律师|研究人员|分析师|专家|学者)"
)
# ...and any trade with a person's suffix ("这位经纪人", "这名工程师")
# (not "该机器人", "该国家", "该厂家": a machine, a country, a firm)
REF_ANY_TRADE = re.compile(
    r"(?:该|这位|这名|那位)[\u4e00-\u9fff]{1,4}[人者员师家](?<!机器人)(?<!国家)(?<!厂家)(?<!商家)"
)
DEMONSTRATIVE_ORG = frozenset(("该", "这位", "这名", "此", "此位", "上述", "前述", "那位"))
WITH_TEAM = re.compile(r"(?:及其|和他的|和她的|与其|和其)(?:研究)?(?:团队|同事|合作者|同僚)\s*$")
# Suffixes that make a name a body ("美国移民律师协会") even with a generic word inside it
STRONG_ORG_SUFFIX = (
    "协会", "委员会", "基金会", "联盟", "学会", "商会", "工会", "联合会", "理事会", "大使馆", "领事馆",
    "事务所", "研究所", "研究院", "大学", "法院", "监管局", "办公室", "组织",
)  # fmt: skip
# A quantified or referring head ("一家律师事务所", "该协会"): unnamed or a reference, not a name
UNNAMED_LEAD = re.compile(r"(?:一|某|多|几|部分|有些?|不少|许多|很多|两|三|四|五|该|这|那|其|各)")
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,8}[·•‧・][\u4e00-\u9fff]{1,10}(?:[·•‧・][\u4e00-\u9fff]{1,10})?")
TAIL_NAME = re.compile(
    rf"(?:[{_TR}]{{1,6}}[·•‧・][\u4e00-\u9fff]{{1,8}}|[A-Z][a-z'\-]+(?: [A-Z][a-zA-Z'\-]+){{1,2}})$"
)
HONOR_TAIL = re.compile(
    r"(?:博士|先生|女士|教授|老师|上尉|中尉|少校|中校|上校|准将|少将|中将|上将|将军|中士|上士)$"
)
# The report itself as a subject ("报道中称", "该媒体还指出"): a reference to the outlet named before.
REF_MEDIA = frozenset(
    "报道 报道中 该报道 这篇报道 报道还 报道中还 文章 文章中 该文 文中 该媒体 这家媒体 该报 该网站 该杂志 该刊".split()
)
# A report as a subject ("该报告称", "这份报告指出"): whoever published it, an organisation or an outlet
REF_REPORT = frozenset(
    "该报告 这份报告 报告中 该报告还 报告还 该研究报告 该调查 这项调查 该研究 这项研究".split()
)
# A document standing as the subject ("声明提到", "新闻稿写道", "信中写道", "这封信特别呼吁"): its issuer
# speaks, found by the finder from the sentence that issued it.
REF_DOC = re.compile(
    r"(?:该|这份|这封|此份|这篇|该篇|其)?(?:官方)?(?:公开信|联名信|信件|信函|信|声明|公告|新闻稿|电子邮件|邮件|通知|通告|备忘录|文档"
    r"|招聘信息|招聘启事|岗位描述|职位描述|博文|博客|帖子|推文)(?:内容|全文|原文)?(?:中|里)?"
    r"(?:还|也|进一步|特别|同时|则|更|明确|最后)*"
)
# One country's side in talks or a dispute ("俄方", "美方"): its government speaking
COUNTRY_SIDE = re.compile(r"[中美俄日韩英法德欧印伊以朝乌]方")
ORG_OF_NAME = re.compile(
    r"([^\s的，、]{2,20}?)\s*的\s*([A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-\.]+){1,2}|[^\s的]{2,8}·[^\s的]{2,10})"
)
DESCRIBED_NAME = re.compile(r"(.{2,30}?)的([\u4e00-\u9fff·]{2,8})")
SINGLE_LATIN_NAME = re.compile(r"[A-Z][a-z]{2,}")
RANK_TAIL = re.compile(r"(?:海军|陆军|空军)?(?:上将|中将|少将|准将|上校|中校|少校)$")
# Countries and blocs that speak as governments (LABELLING.md: a country speaking is an organisation)
COUNTRIES = frozenset(
    "中国 美国 日本 韩国 朝鲜 英国 法国 德国 意大利 西班牙 荷兰 比利时 瑞士 瑞典 挪威 丹麦 芬兰 波兰 希腊 "
    "俄罗斯 乌克兰 土耳其 伊朗 以色列 沙特 阿联酋 卡塔尔 埃及 印度 巴基斯坦 印度尼西亚 越南 泰国 新加坡 "
    "马来西亚 菲律宾 澳大利亚 新西兰 加拿大 墨西哥 巴西 阿根廷 南非 欧盟 北约 联合国".split()
)


def outlet_after_country(name: str, lex: Lexicon) -> str | None:
    """The outlet the lists know in "美国彭博社", "香港南华早报" (its name without the country), or None."""
    for n in range(2, min(len(name) - 1, 6)):
        if (name[:n] in COUNTRIES or name[:n] in ("香港", "台湾")) and name[n:] in lex.known_media:
            return name[n:]
    return None


NOT_A_GROUP = re.compile(
    r"(?:开发者|用户|员工|消费者|投资者)(?:大会|平台|社区|协议|体验|数量|规模|群体规模|数据|计划|账号|文档)"
)
# A group that is told something, at the end of a subject region ("…向用户", "…对员工")
TOLD_GROUP = re.compile(
    r"(?:向|对|给|跟)(?:全体|广大|部分|所有|其)?(?:用户|员工|网友|投资者|消费者|股东|客户|记者|媒体|开发者)"
    r"(?:(?:发布|发出|发送|推送)(?:了)?(?:一份|一则|一封)?(?:通知|公告|声明|邮件|消息|公开信))?$"
)
# Plural pronouns: a group, an organisation or an outlet, never one named person.
PLURAL_PRONOUNS = ("他们", "她们")

# Surname-only mentions of people the article names in full ("沙利文" after "南希·沙利文", "Kizovski"
# after "Tanya Kizovski"): short form -> full name, set per Doc by the speech stage.
LOCAL_FULL: ContextVar[dict[str, str] | None] = ContextVar("kb_local_full", default=None)
_DOT_FULL = re.compile(r"(?=([\u4e00-\u9fff]{1,8})[·•‧・]([\u4e00-\u9fff]{2,8}))")
_LATIN_FULL = re.compile(r"(?<![A-Za-z])([A-Z][a-z'\-]+(?: [A-Z][a-z']+(?:-[A-Z][a-z']+)?){1,2})(?![A-Za-z])")
# A paper role before the appositive that names the speaker's post ("论文合著者、X大学教授Y",
# "研究第一作者、来自X的Y博士"): the post after the comma is the one to keep
PAPER_ROLE = re.compile(r"^[^、，,]{0,10}?(?:作者|合作者|合著者|著者)(?:之一)?[、，,]\s*")
# A name written right before a name-first title at the end of a chain ("所长Christian Kurts教授")
NAME_BEFORE_HONOR = re.compile(
    rf"(?:[A-Z][a-z'\-]+(?: [A-Z][a-zA-Z'\-]+){{0,2}}|[{''.join(sorted(TRANSLIT))}]{{1,6}}[·•‧・][\u4e00-\u9fff]{{1,8}})\s*$"
)


# Words a loose parse glues to the end of a name ("布林则表示", "伯里写道，并补充说", "微软此前表示",
# "旺迪耶对彭博社表示"): adverbs, time words, cue words and an addressee, never part of a name
NAME_TAIL_JUNK = re.compile(
    r"(?:则|不|当|曾|也|还|又|就|都|亦|仍|便|却|即|牵|均|均会|长期|重新|当时|此前|目前|本月|近日|同步|一边|那边|内部|"
    r"自己|宣布自己|写道|表示|批评称?|威胁称?|对[^，。、]{1,8}|向[^，。、]{1,8})$"
)
# ... and to its start ("包括乔纳森·沃尔夫", "根据美国联邦通信委员会", "不过公司")
NAME_HEAD_JUNK = re.compile(r"^(?:当|根据|不过|但是|但|而|包括|之一|听|折射出)")
# What an appositive parse may leave before a title that is part of the title, not an organisation
TITLE_FRAGMENT_ORG = re.compile(
    r"(?:^|[^公])(?:前|资深|执行|高级|首席|级|天体|级设计|网站|裔)$|^(?:资深|执行|高级|首席|前)$"
)
# "…、来自X的NAME": the organisation a second appositive gives
FROM_ORG = re.compile(r"来自([^、，,的\s]{2,20}?)的([^、，,的]{2,16})$")
# No one's name: a conditional, a pronoun for a thing, an adverb with a verb ("如果公司", "它也在", "仍仅以",
# "曾指出", "曾公开")
# a reference to a body named before, opening a clause ("该公司恢复了该模型服务，并说明：…")
REF_ORG_HEAD = re.compile(r"(?:该|这家)(?:公司|机构|企业|平台|团队|组织|厂商|开发商|集团)")
JUNK_NAME = re.compile(r"如果|假如|它|仍|(?:曾|也|还)(?:指出|公开|表示|经|多次|一度)")
# a person's generic head that a loose parse left as the name ("这位被称为“副部长”的高官")
GENERIC_PEOPLE = frozenset("高官 官员 人士 专家 学者 高管 议员 律师 分析师 研究员 工程师 员工".split())
# a list or a clause read as one name ("前程无忧、搜房网、易车网", "OpenAI 近一周来陆续向美国联邦机构")
CLAUSE_IN_NAME = re.compile(r"[、，,；]|陆续|近一周|你|我")
# Someone speaking for a named organisation without a name of their own ("美团骑手保障相关负责人",
# "百度贴吧客服"): the organisation speaks (data/gold/LABELLING.md)
SPOKESPERSON = r"(?:相关)?(?:负责人|发言人|客服人员|客服|工作人员|官方人士|代理律师)"
# "亚利桑那大学的一位发言人", "迪士尼一发言人": one of the body's people
ONE_OF = r"的?(?:一位|一名|一)"
REPRESENTATIVE = re.compile(
    r"\s*(?:" + ONE_OF + r")?(?:[^\W\d_的]{0,6}?)(?:" + SPOKESPERSON + r"|(?:相关)?团队)"
)

# a company named by its suffix, then someone who speaks for it; a company only (a government body's
# officials stay unnamed)
COMPANY_BEFORE_REP = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{2,12}(?:公司|集团|食品|电器|电子|汽车|科技|股份|控股|大学))(?:"
    + ONE_OF
    + ")?"
    + SPOKESPERSON
)

# A surname with a form of address ("詹院士", "君塚教授", "Miller-Jones教授"): the person the article named
SURNAME_ADDRESS = re.compile(
    r"([\u4e00-\u9fff]{1,2}|[A-Z][A-Za-z'\-]+)\s*(?:教授|院士|博士|先生|女士|老师|主任|医生|律师|总|董)"
)

# The people a survey asked, counted ("51%的受访者", "多数受访者")
SURVEYED = re.compile(r"受访者|被调查者|调查对象|受访用户|受访企业")
# An "unnamed source" that is a clause around a generic word, not a source: a prepositional or
# adverbial opening ("对多数用户来说", "随着部分…", "某种程度上", "令公司内部及周边业界人士开始") or a modal
# after the word ("用户可", "司机们无需为此", "政策制定者和科学界需要")
NOT_A_SOURCE = re.compile(
    r"^(?:对|随着|除了|令|面向|运用|从而|也没|和|某种程度|很大程度|在\S*的时候)|(?:可|无需|需要)(?:为此)?$|可帮助|会提示"
    # the generic word is the object of a verb ("这一情况引发微软高层", "帮助商家和个人开发者") or sits in a
    # concessive clause ("该剧虽然…受到一些")
    r"|引发|帮助|征求|可以认为|虽然"
)

# Characters that end a title or a phrase and never start a transliterated name ("首席增长官|洛根·琼斯",
# "作者之一|丹尼尔·王", "的|尼基塔·比尔")
NOT_TRANSLIT_START = re.compile(r"^.*[官员长师家者人物士的之一括前医书记]")

# Characters that start the words after a name ("沙利文在…", "沙利文表示"), not part of it
_AFTER_NAME = frozenset("在表说称指认也还则的是和与等对向强呼解回透坦直介提此曾将已又就都所")


def article_people(text: str, lex: Lexicon) -> dict[str, str]:
    """Short forms (the last part) of the full foreign names an article writes: "沙利文" -> "南希·沙利文".
    A short form two different full names share is left out (ambiguous)."""
    seen: dict[str, set[str]] = {}
    dots: set[int] = set()
    for m in _DOT_FULL.finditer(text):
        if m.end(1) in dots:
            continue  # the lookahead matches at each start before the same dot: the first is longest
        dots.add(m.end(1))
        given = m.group(1).rsplit("和", 1)[-1].rsplit("与", 1)[-1]
        i = len(given)
        while i > 0 and given[i - 1] in TRANSLIT and len(given) - i < 4:
            i -= 1
        if i == len(given):
            continue
        dot, rest = text[m.end(1) : m.start(2)], m.group(2)
        rest = re.split(r"[和与及]", rest, maxsplit=1)[0] if len(rest) > 3 else rest

        # the surname's end is unknown ("沙利文参与了研究"): the longest start of what follows the dot
        # that the article also writes on its own
        def alone(n: int, rest: str = rest, dot: str = dot) -> int:
            return text.count(rest[:n]) - text.count(dot + rest[:n])

        short = None
        if len(rest) >= 2 and alone(2) > 0:
            n = 2
            while n < min(len(rest), 5) and rest[n] not in _AFTER_NAME and alone(n + 1) == alone(2):
                n += 1
            short = rest[:n]
        if short is not None:
            seen.setdefault(short, set()).add(given[i:] + dot + short)
    for m in _LATIN_FULL.finditer(text):
        full = m.group(1)
        if not looks_like_person(full, lex) or full.split()[0] in lex.known_orgs:
            continue
        seen.setdefault(full.split()[-1], set()).add(full)
    return {
        short: next(iter(fulls))
        for short, fulls in seen.items()
        if len(fulls) == 1 and short not in lex.known_orgs and short not in lex.known_media
    }


def local_names(mentions: list[Any], suffixes: tuple[str, ...]) -> dict[str, str]:
    """Article-local names from the entity mentions: organisations, and their stems without a suffix
    ("慧科集团" -> "慧科"); people named with a title."""
    out: dict[str, str] = {}
    long_sufs = tuple(x for x in suffixes if len(x) >= 2)
    for m in mentions:
        if m.label == "ORG" and len(m.text) >= 2:
            out.setdefault(m.text, "organization")
            if m.text.endswith(long_sufs):
                for suf in long_sufs:
                    if m.text.endswith(suf) and len(m.text) - len(suf) >= 2:
                        out.setdefault(m.text[: -len(suf)], "organization")
                        break
        elif m.label == "PERSON" and (m.title or m.sure) and len(m.text) >= 2:
            out[m.text] = "person"  # a title says person even where the tagger also said ORG
    return out


@dataclass
class Speaker:
    """A parsed speaker phrase."""

    start: int
    end: int
    mention: str  # as written (simplified), parentheticals removed
    type: str  # person | organization | media | unnamed | ref_person | ref_org | title_only
    name: str | None = None  # the name part for people and organisations
    title: str | None = None
    org: str | None = None
    entity_id: str | None = None
    canonical: str | None = None

    def copy(self, **kw: Any) -> Speaker:
        d = dict(self.__dict__)
        d.update(kw)
        return Speaker(**d)


def _registry_ids(e: Any) -> dict[str, str | None]:
    """entity_id and canonical of a Speaker, from a registry entity (or None)."""
    return {"entity_id": e.id if e else None, "canonical": e.name if e else None}


# a dotted transliterated name ending a subject, and the words that show the text before it is no mere
# description (a verb or a preposition: "采访了迈克尔·派恩", "对迈克尔·派恩")
DESCRIBED_DOTTED = re.compile(rf"[{_TR}]{{1,5}}(?:·[\u4e00-\u9fff]{{1,8}})+$")
DESCRIBED_BAD = re.compile(r"[了过对向与和及被让给据把将，,、：:“”]|采访|告诉|表示|认为|称")
# a body inside a known organisation, written right after its name ("美国商务部工业与安全局")
SUB_BODY = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:(?<![布格结开出大当])局|办公室|委员会|研究院|研究所)")


class SpeakerParser:
    def __init__(self, lex: Lexicon, registry: Registry | None = None):
        self.lex = lex
        self.registry = registry
        self._orgs: frozenset[str] | None = None
        self._people: frozenset[str] | None = None
        self._title_tails: frozenset[str] | None = None

    # -- lookup helpers ---------------------------------------------------------------------------

    def entity(self, name: str) -> Any:
        if not self.registry or not name:
            return None
        try:
            return self.registry.find(name)
        except Exception:  # a half-built registry must not break extraction
            return None

    def kind_of(self, name: str) -> str | None:
        """person | organization | media, from the registry first, then the lists and heuristics."""
        e = self.entity(name)
        if e is not None:
            k = getattr(e, "kind", "")
            return "person" if k == "person" else ("media" if k == "media" else "organization")
        if name in self.lex.known_media or MEDIA_WRAP.match(name):
            return "media"
        if outlet_after_country(name, self.lex):
            return "media"  # "美国彭博社报道称": an outlet the lists know, with its country before it
        if name in self.lex.known_orgs:
            return "organization"
        local = LOCAL_NAMES.get()
        if local and name in local:
            return local[name]
        if looks_like_person(name, self.lex):
            # "任职于…的数学家X": a common word that opens with a surname is no name
            return None if len(name) <= 3 and common_word(name) else "person"
        if looks_like_org(name, self.lex):
            return "organization"
        return None

    # -- the parser -------------------------------------------------------------------------------

    def parse_region(self, text: str, start: int, end: int, require_middle_ok: bool = True) -> Speaker | None:
        """Parse text[start:end] (the words before a cue) as SUBJECT + adverbial middle."""
        sp = self._parse_region(text, start, end)
        if sp is None:
            sc = SCENE.match(text, start, end)
            if sc is not None and sc.end() < end:
                sp = self._parse_region(text, sc.end(), end)
        return sp

    def _parse_region(self, text: str, start: int, end: int) -> Speaker | None:
        region = text[start:end]
        m = LEAD.match(region)
        off = m.end() if m else 0
        region = region[off:]
        base = start + off
        if not region.strip() or region.startswith(("自己", "自身")):
            return None  # ("他表示，自己对…": a reflexive stands for the speaker before, it is none itself)
        # "曾任职于X的员工": a relative clause before a generic head describes an unnamed source (the
        # splits below would take "曾任职" for a name)
        whole = PARENS.sub("", region).strip()
        if "的" in whole:
            # "在重庆经营着一家民宿的小羊（化名）": a relative clause before a name the article knows as a person's
            owner, named = (x.strip() for x in whole.rsplit("的", 1))
            # (not "OpenAI的奥特曼": an organisation before 的 is the person's, read below with it)
            if (LOCAL_NAMES.get() or {}).get(named) == "person" and not (
                self.kind_of(owner) in ("organization", "media")
                or self.known_org_prefix(owner)
                or self._local_org_in(owner)
            ):
                at = start + text[start:end].rfind(named)
                return Speaker(at, at + len(named), named, "person", name=named)
        if (
            "的" in whole
            and "“" not in whole
            and self._has_unnamed(whole.rsplit("的", 1)[1])
            and len(whole) <= 40
            # ("Motherboard的记者Joseph Cox在Twitter上": a full name after the head is who speaks)
            and not re.search(
                r"[A-Z][a-z]+ [A-Z][a-z]+|[\u4e00-\u9fff]·[\u4e00-\u9fff]", whole.rsplit("的", 1)[1]
            )
        ):
            tail = whole.rsplit("的", 1)[1]
            poster = self._poster(region, base, whole_only=False)
            if poster is not None:
                return poster  # "一个叫Joel Handwell的网友在评论区": the name they go by
            if not any(t in tail for t in ("人士看来",)) and not self.lex.title_re.search(tail):
                return Speaker(base, base + len(region.rstrip()), whole, "unnamed")
        # try the shortest subject first: split at each place where an adverbial could begin
        # (not inside a quoted handle: "博主“保罗在美国”" is one name, whatever 在 it holds)
        quoted = [(qm.start(), qm.end()) for qm in re.finditer(r"“[^“”]{1,20}”", region)]
        splits = sorted(
            {len(region)}
            | {
                mm.start()
                for mm in MIDDLE.finditer(region)
                if mm.start() > 0 and not any(a < mm.start() < b for a, b in quoted)
            }
        )
        for cut in splits:
            middle = region[cut:]
            if len(middle) > MIDDLE_MAX or "。" in middle:
                continue
            if middle and not MIDDLE.match(middle):
                continue
            if middle.endswith("的") or "，" in middle or "、" in middle:
                continue
            if "的" in middle and not RELATIVE_OK.match(middle):
                # "36氪曾经介绍过的在线辅导平台三好网今天宣布": the part before is a modifier of the
                # real subject, not the subject
                continue
            sp = self.classify(region[:cut], base)
            if sp is not None:
                return sp
        return None

    def subject_head(self, text: str, start: int, end: int) -> Speaker | None:
        """The subject that opens a clause with any predicate after it ("巴瑞特同样在博客文章中表达了…的意愿",
        "微软发布了一款安全产品"): the speaker of a later subject-less "，称…" in the same sentence. Only a
        name the article or the lists know (or that reads as a person's name) counts."""
        region = text[start:end]
        m = LEAD.match(region)
        off = m.end() if m else 0
        region, base = region[off:], start + off
        if not region.strip() or region.startswith(("自己", "自身")):
            return None
        cuts = {mm.start() for mm in MIDDLE.finditer(region) if mm.start() > 0}
        cuts |= {
            i
            for i, ch in enumerate(region)
            if i > 0
            and (
                ch in "（(是"
                or ch == " "
                and not (region[i - 1 : i].isascii() and region[i + 1 : i + 2].isascii())
            )
        }
        rm = REF_ORG_HEAD.match(region)
        if rm is not None:
            cuts.add(rm.end())  # "该公司恢复了…": a reference to the body named before
        head = self.known_org_prefix(region)
        tm = self.lex.title_re.match(region, len(head)) if head else None
        if tm is not None:
            # "魅族总裁白永祥开始…": the officer's name after the title, not the company
            if n := opening_name(region[tm.end() :]):
                cuts.add(tm.end() + n)
        elif head and not SUB_BODY.match(region, len(head)):
            cuts.add(len(head))  # (not "美国商务部|工业与安全局": a body of the known one, named in full)
        # "黄珍萌发了…": a Chinese name of two or three characters opening the clause, as jieba reads it
        n = opening_name(region)
        if n and region[0] in SURNAMES and not common_word(region[:n]):
            cuts.add(n)
        # "RedGaming Tech提供了大量参数预测，称…": a known outlet straight before the predicate
        cuts |= {n for n in range(2, min(len(region), 17)) if region[:n] in self.lex.known_media}
        # "雷军宣布了新产品，并表示…": a person the registry knows, straight before the predicate
        people = self._person_names()
        cuts |= {n for n in range(2, min(len(region), 13)) if region[:n] in people}
        local = LOCAL_NAMES.get() or {}
        cuts |= {len(n) for n in local if region.startswith(n) and not SUB_BODY.match(region, len(n))}
        # "好莱坞导演Charles Curran花费…", "创始人Calvin非常兴奋": a Latin name running into the predicate (a
        # person only: "B站", "AI培训" are words)
        latin = {
            m.end()
            for m in LATIN_NAME_BEFORE_HAN.finditer(region)
            if not self.lex.title_re.match(region, m.end())  # "Pic Mix创始人…": a company before a title
        } - cuts
        for cut in sorted(set(sorted(cuts)[:8]) | latin):
            before, after = region[:cut].rstrip(), region[cut:].lstrip()
            if before[-1:] in "的和与及、" or after[:1] in "的和与及、·•‧・" or len(before) > 20:
                continue
            sp = self.classify(before, base)
            if sp is None or cut in latin and sp.type != "person":
                continue
            if sp.type == "unnamed" and len(before) <= 15:
                return sp
            if sp.type in ("person", "organization", "media"):
                return sp
            if sp.type == "ref_org" and before.startswith(("该", "这家")):
                return sp  # "该公司恢复了该模型服务，并说明：": the body named before, resolved later
            return None
        return None

    def classify(self, raw: str, base: int) -> Speaker | None:
        """Classify a candidate subject string that starts at offset `base`."""
        jm = WITH_TEAM.search(raw)
        if jm is not None and jm.start() > 0:
            # "分析师NAME及其团队": the named person speaks for the team
            head = self._classify(raw[: jm.start()], base)
            if head is not None and head.type == "person":
                return head.copy(end=base + len(raw.rstrip()))
        poster = self._poster(raw, base)
        if poster is not None:
            return poster
        sp = self._classify(raw, base)
        if sp is not None and sp.type == "title_only" and sp.org in DEMONSTRATIVE_ORG:
            # "该分析师表示": the analyst named before, whoever employs them ("该" is no organisation)
            sp = sp.copy(org=None)
        if (
            sp is not None
            and sp.type == "title_only"
            and sp.org in ("有", "也有", "还有", "另有", "相关", "有关")
        ):
            # "有工程师…表示", "相关负责人指出": someone of that trade, unnamed ("有", "相关" are no organisation)
            sp = Speaker(sp.start, sp.end, sp.mention, "unnamed")
        if sp is None or sp.type in ("unnamed", "title_only"):
            s = raw.strip()
            b = base + len(raw) - len(raw.lstrip())
            named = self._named_after_generic(s, b, b + len(s))
            if named is not None:
                return named
            if sp is not None and sp.type == "unnamed" and REF_DEMONSTRATIVE.fullmatch(s):
                return sp.copy(type="ref_person")  # "该博主": the one described before, named or not
            if sp is not None and sp.type == "unnamed":
                clean = PARENS.sub("", s).strip()
                # "美国移民律师协会": a body with an organisation's suffix is no unnamed source, whatever
                # generic word ("律师") its name holds
                if clean.endswith(STRONG_ORG_SUFFIX) and not UNNAMED_LEAD.match(clean) and len(clean) <= 20:
                    return Speaker(sp.start, sp.end, sp.mention, "organization", name=clean)
        if sp is None and REF_ANY_TRADE.fullmatch(raw.strip()):
            # "这位经纪人说": the one of that trade described before, whatever the word lists hold
            s = raw.strip()
            b = base + len(raw) - len(raw.lstrip())
            return Speaker(b, b + len(s), s, "ref_person")
        if sp is None:
            sp = self.described_dotted(raw, base)
        if sp is None and (am := HAN_THEN_ALIAS.fullmatch(raw)) is not None:
            # "欧洲刑警组织 Europol": a body's name with its own Latin name after it
            head = self._classify(am.group(1), base)
            if head is not None and head.type in ("organization", "media"):
                return head.copy(end=base + len(raw.rstrip()))
        if sp is not None and sp.type == "person" and sp.name and _DOT.search(sp.name):
            name = self._trim_dotted(sp.name)
            if name != sp.name:
                sp = sp.copy(name=name)
        return sp

    @staticmethod
    def _poster(raw: str, base: int, whole_only: bool = True) -> Speaker | None:
        """ "一个叫Joel Handwell的网友", "名为杨安永的开发者": the name a poster goes by; with `whole_only`, only
        when nothing follows the description."""
        cm = CALLED.match(raw)
        if cm is None or (whole_only and raw[cm.end() :].strip()):
            return None
        name = cm.group(1).strip()
        return Speaker(base + cm.start(1), base + cm.end(1), name, "person", name=name)

    def described_dotted(self, raw: str, base: int) -> Speaker | None:
        """A transliterated name ending the subject after a description the lists do not parse
        ("库伦宾野生动物医院高级兽医迈克尔·派恩（Michael Pyne）博士"): the name is who speaks (the CRF, when it
        reads the description as a role, is preferred: see `Finder._subject`)."""
        s = HONOR_TAIL.sub("", PARENS.sub("", raw).strip())
        m = DESCRIBED_DOTTED.search(s)
        if m is None or m.start() == 0 or DESCRIBED_BAD.search(s[: m.start()]):
            return None
        name = self._trim_dotted(m.group())
        if len(name) < 4:
            return None
        b = base + len(raw) - len(raw.lstrip())
        return Speaker(b, base + len(raw.rstrip()), raw.strip(), "person", name=name)

    def _trim_dotted(self, name: str) -> str:
        """ "学家约瑟夫·布里格斯": a transliterated name never starts with the tail of a title or of a generic
        head glued to it."""
        tails = self._tails()
        last = _DOT.split(name)[-1]
        mm = MIDDLE.search(last, 1)
        if mm is not None and not last.isascii():
            # "尤金·卡特曾在…任职": the name ends where an adverbial begins
            name = name[: len(name) - len(last) + mm.start()]
        head = _DOT.split(name, 1)[0]
        for i in range(min(len(head) - 2, 8), 1, -1):
            if any(head[:i].endswith(t) for t in tails if len(t) <= i):
                return name[i:]
        cut = NOT_TRANSLIT_START.match(head)
        if cut is not None and len(head) - cut.end() >= 2:
            return name[cut.end() :]
        return name

    def tidy(self, sp: Speaker) -> Speaker | None:
        """The speaker with the words a loose parse glued to its name taken off ("布林则" -> "布林",
        "英伟达当时" -> "英伟达", "包括乔纳森·沃尔夫" -> "乔纳森·沃尔夫"); a short form the article writes in
        full becomes the full name, and the type follows what the name turns out to be. An unnamed
        speaker may turn out to be a named person ("詹院士") or an organisation's representative. None
        when no one spoke: counted survey respondents, or an object clause left as the name."""
        if SURVEYED.search(sp.mention):
            return None  # "51%的受访者表示": a survey's finding, not anyone's statement
        if sp.type == "unnamed" and NOT_A_SOURCE.search(sp.mention.strip()):
            return None
        if sp.type in ("unnamed", "title_only"):
            return self._by_surname(sp) or self._representative(sp)
        name = sp.name
        if not name or sp.type not in ("person", "organization") or self._known(name):
            return sp
        while (m := NAME_TAIL_JUNK.search(name)) is not None and m.start() >= 2:
            name = name[: m.start()]
        if (m := NAME_HEAD_JUNK.match(name)) is not None and self._known(name[m.end() :]):
            name = name[m.end() :]
        if sp.type == "organization" and name.endswith("所") and self.kind_of(name[:-1]) == "person":
            name = name[:-1]  # "据万灯辉所在站点站长介绍": the person, not an institute
        if name.endswith("的") or name.startswith(("对", "向")) or "“" in name or JUNK_NAME.match(name):
            return None
        if sp.type == "organization" and CLAUSE_IN_NAME.search(name):
            return None
        if sp.type == "person" and (
            name in self.lex.unnamed_heads or name in GENERIC_PEOPLE or self.lex.title_re.fullmatch(name)
        ):
            # "这位被称为“副部长”的高官": a generic head is nobody's name
            return Speaker(sp.start, sp.end, sp.mention, "unnamed")
        if name == sp.name:
            return sp
        full = self.local_full(name)
        kind = "person" if full else self.kind_of(name)
        e = self.entity(full or name)
        return sp.copy(
            name=full or name,
            type=kind if kind in ("person", "organization") else sp.type,
            **_registry_ids(e),
        )

    def _by_surname(self, sp: Speaker) -> Speaker | None:
        m = SURNAME_ADDRESS.fullmatch(sp.mention.strip())
        if m is None:
            return None
        part = m.group(1)
        local = LOCAL_NAMES.get() or {}
        fulls = {n for n, k in local.items() if k == "person" and n.startswith(part) and len(n) > len(part)}
        if (full := self.local_full(part)) is not None:
            fulls.add(full)
        if len(fulls) != 1:
            return None  # no one, or two people the surname could mean
        name = fulls.pop()
        return sp.copy(type="person", name=name, title=None, org=None, **_registry_ids(self.entity(name)))

    def _representative(self, sp: Speaker) -> Speaker:
        mention = sp.mention.strip()
        org = sp.org if sp.type == "title_only" and sp.org and mention.startswith(sp.org) else None
        org = org or self.known_org_prefix(mention)
        if org is None and (cm := COMPANY_BEFORE_REP.fullmatch(mention)) is not None:
            org = cm.group(1)  # "麦禾坊食品工作人员": a company by its suffix, known or not
            return sp.copy(type="organization", name=org, **_registry_ids(self.entity(org)))
        if org is None or REPRESENTATIVE.fullmatch(mention, len(org)) is None:
            return sp
        if self.kind_of(org) != "organization" or not (self.entity(org) or org in self.lex.known_orgs):
            return sp  # only an organisation the registry or the lists know: not "项目", "上述"
        return sp.copy(type="organization", name=org, **_registry_ids(self.entity(org)))

    def _known(self, name: str) -> bool:
        """A name the registry, the lists or the article itself establishes (not a guess by its shape)."""
        local = LOCAL_NAMES.get()
        return (
            self.entity(name) is not None
            or name in self.lex.known_orgs
            or name in self.lex.known_media
            or bool(local and name in local)
            or self.local_full(name) is not None
        )

    def _tails(self) -> frozenset[str]:
        if self._title_tails is None:
            words = list(self.lex.titles) + list(self.lex.unnamed_heads) + ["学家", "科学家", "官员", "人员"]
            self._title_tails = frozenset(w[i:] for w in words for i in range(len(w)) if len(w) - i >= 2)
        return self._title_tails

    def _named_after_generic(self, s: str, base: int, end: int) -> Speaker | None:
        """ "论文共同资深作者NAME教授", "研究人员NAME（Latin）": a name between a generic head and the cue wins
        over the head (the head is the person's description, not an unnamed source)."""
        clean = HONOR_TAIL.sub("", PARENS.sub("", s).strip()).strip()
        ends = [clean.rfind(h) + len(h) for h in self.lex.unnamed_heads if h in clean]
        ends += [m.end() for m in self.lex.title_re.finditer(clean)]
        if not ends:
            return None
        cut = max(ends)
        rest = clean[cut:].strip(" 、，")
        rest = rest.removeprefix("之一").strip(" 、，")
        rest = HONOR_TAIL.sub("", rest).strip()
        # "分析师 ChrisGPT 对此": an adverbial between the name and the cue is no part of the name
        while (jm := NAME_TAIL_JUNK.search(rest)) is not None and jm.start() >= 2:
            rest = rest[: jm.start()].strip()
        if len(rest) < 2 or "的" in rest or self._has_unnamed(rest):
            return None
        e = self.entity(rest)
        # "分析师 ChrisGPT": one Latin word of mixed case after a person's description is a handle, though
        # a lone Latin word reads as a brand otherwise; only the registry or the lists can overrule it
        handle = re.fullmatch(r"[A-Z][a-z]+[A-Z][A-Za-z0-9]*", rest) is not None or (
            # "网友iruletheworldmo": any handle after a user's description
            USER_HEAD.search(clean, 0, cut) is not None
            and re.fullmatch(r"@?[A-Za-z0-9_][A-Za-z0-9_.\-]{2,30}", rest) is not None
        )
        ok = (
            _DOTTED.fullmatch(rest) is not None
            or re.fullmatch(r"[A-Z][a-z'\-]+(?: [A-Z][a-zA-Z'\-]+){1,2}", rest) is not None
            or handle
            or (e is not None and getattr(e, "kind", "") == "person")
            or (len(rest) <= 4 and not rest.isascii() and looks_like_person(rest, self.lex))
        )
        known = e is not None or rest in self.lex.known_orgs or rest in self.lex.known_media
        if not ok or ((known or not handle) and self.kind_of(rest) in ("organization", "media")):
            return None
        head = clean[:cut].strip()
        title = head if 2 <= len(head) <= 10 and not UNNAMED_LEAD.match(head) else None
        org = None
        tms = [m for m in self.lex.title_re.finditer(head) if m.end() == len(head)]
        if tms:
            # "VUB教授NAME": the listed title, and the organisation before it when it reads as one
            title = max(tms, key=lambda m: len(m.group())).group()
            front = head[: head.rfind(title)].strip(" 的")
            org = front if front and "的" not in front and looks_like_org(front, self.lex) else None
        return Speaker(
            base,
            end,
            s,
            "person",
            name=rest,
            title=title,
            org=org,
            **_registry_ids(e),
        )

    def _classify(self, raw: str, base: int) -> Speaker | None:
        lead_ws = len(raw) - len(raw.lstrip())
        s = raw.strip()
        base += lead_ws
        if not s or len(s) > 70:
            return None
        clean = PARENS.sub("", s).strip()
        hd = HANDLE.fullmatch(clean)
        if hd and not self._has_unnamed(hd.group(1)):
            # 'ID为“陈醒醒”的工作人员', '博主“小马甲不小”': an online handle is the person's name here
            return Speaker(base, base + len(s), clean, "person", name=hd.group(1))
        clean = clean.strip('“”"「」 ')
        if clean.endswith("本人") and len(clean) > 3:
            clean = clean[:-2]  # "马斯克本人"
        if not clean:
            return None
        end = base + len(s)
        lex = self.lex
        # references and pronouns
        if clean in REF_MEDIA:
            return Speaker(base, end, clean, "ref_media")
        if clean in REF_REPORT:
            return Speaker(base, end, clean, "ref_report")
        if REF_DOC.fullmatch(clean):
            return Speaker(base, end, clean, "ref_doc")
        om = OWNED_REPORT.fullmatch(clean)
        if om is not None:
            # "彭博社的最新报道称", "X的一份报告指出": the outlet or body whose report it is
            owner = self._classify(om.group(1), base)
            if owner is not None and owner.type in ("media", "organization"):
                return owner.copy(end=end, mention=clean)
        if COUNTRY_SIDE.fullmatch(clean) or clean in COUNTRIES or clean == "警方":
            # "俄方", "土耳其周五表示", "警方提示": a government or the police speaking
            return Speaker(base, end, clean, "organization", name=clean)
        if clean in lex.person_refs or clean in lex.person_pronouns:
            return Speaker(base, end, clean, "ref_person")
        if clean in lex.org_refs or re.fullmatch(
            r"(?:这家|该)[^，。]{0,24}(?:公司|开发商|制造商|供应商|运营商|服务商|企业|厂商|机构|平台|创业公司|银行|集团)|(?:该|这个|这家)(?:局|部|委|委员会|协会|组织|监管机构|法院|政府|办公室|部门|工会|联盟|联合会|基金会"
            r"|研究所|研究院|实验室|大学|学院|医院|交易所|商会|校|学校|工作室)",
            clean,
        ):
            return Speaker(base, end, clean, "ref_org")
        if clean in BARE_ORG_WORDS or (ORG_TAIL.search(clean) and ORG_TAIL.sub("", clean) in BARE_ORG_WORDS):
            return Speaker(base, end, clean, "ref_org")  # "公司方面", "监管机构": the company named before
        if GENERIC_TEAM.match(clean) and not self.known_org_prefix(clean) and not self._local_org_in(clean):
            if "的" in clean or not re.search(r"[A-Za-z]", clean):
                return Speaker(base, end, clean, "unnamed")
        # media
        mp = MEDIA_PREFIX.match(clean)
        if mp and mp.end() < len(clean):
            rest = self.classify(clean[mp.end() :], base + mp.end())
            if rest is not None and (
                rest.type == "media" or re.fullmatch(r"(?:The )?[A-Z][\w&.\- ]*", clean[mp.end() :])
            ):
                return Speaker(base, end, clean, "media", name=rest.name or rest.mention)
        if UNNAMED_ORG.match(clean) and not self.entity(clean):
            return Speaker(base, end, clean, "unnamed")
        mw = MEDIA_WRAP.match(clean)
        if mw:
            return Speaker(base, end, clean, "media", name=mw.group(1))
        if clean in lex.known_media:
            return Speaker(base, end, clean, "media", name=clean)
        mm = MEDIA_TAIL.match(clean)
        if mm and (
            mm.group(1) in lex.known_media
            or re.fullmatch(r"[A-Za-z][A-Za-z\s]*", mm.group(1))
            or MEDIA_WRAP.match(mm.group(1))
        ):
            name = MEDIA_WRAP.sub(r"\1", mm.group(1))
            return Speaker(base, end, clean, "media", name=name)
        # organisations speaking as such: "英伟达方面", "字节跳动官方"
        mt = ORG_TAIL.search(clean)
        if mt and mt.start() > 0:
            org = clean[: mt.start()]
            org = re.sub(ONE_OF + "$", "", org) or org  # "迪士尼一发言人"
            if mt.group() == "方面" and (full := self.local_full(org)) is not None:
                return Speaker(base, end, clean, "person", name=full)  # "特拉汉方面称": the person's side
            k = self.kind_of(org)
            if (
                k in ("organization", None)
                and len(org) <= 20
                and not self._has_unnamed(org)
                and not re.match(r"前述|上述|该|这家|这个|此|某|一家|一个", org)  # a description, no name
            ):
                if k == "organization" or looks_like_org(org, lex) or len(org) >= 2:
                    return Speaker(base, end, clean, "organization", name=org)
        if len(clean) > 40 and not lex.title_re.search(clean):
            return None
        # "沙利文", "Wikelski教授": the surname of a foreign name the article writes in full
        local_full = self.local_full(clean)
        # a bare Latin surname ("Goodfellow") is left to the attribution stage, which takes the role
        # written with the full name
        if local_full is not None and (not clean.isascii() or HONOR_TAIL.search(clean)):
            honor = HONOR_TAIL.search(clean)
            ht = honor.group() if honor and honor.group() in ("教授", "博士") else None
            e = self.entity(local_full)
            return Speaker(
                base,
                end,
                clean,
                "person",
                name=local_full,
                title=ht,
                **_registry_ids(e),
            )
        # "来自X大学的Clara Voss博士": the name before the honorific, the organisation before 的
        htm = HONOR_TAIL.search(clean)
        if htm and htm.start() > 0 and not self.lex.title_re.search(clean[: htm.start()]):
            named = self._name_before_honor(clean[: htm.start()], htm.group(), base, end, clean)
            if named is not None:
                return named
        # "陈滢博士": a name with an honorific
        hm = HONORIFIC.match(clean)
        if hm and self._person_name(hm.group(1)):
            e = self.entity(hm.group(1))
            return Speaker(
                base,
                end,
                clean,
                "person",
                name=hm.group(1),
                title="教授" if clean.endswith("教授") else None,
                **_registry_ids(e),
            )
        dl = DESCRIBED_LATIN.match(clean)
        if dl and dl.group(2).split()[-1] not in ("CEO", "CTO", "CFO", "COO", "VP"):
            media = any(w in dl.group(1).replace("流媒体", "") for w in ("媒体", "网站", "杂志"))
            return Speaker(base, end, clean, "media" if media else "organization", name=dl.group(2))
        ds = DESCRIBED_SITE.match(clean)
        if ds:
            return Speaker(base, end, clean, "media", name=ds.group(1))
        # known entity
        k = self.kind_of(clean)
        e = self.entity(clean)
        if e is not None:
            return Speaker(base, end, clean, k or "person", name=clean, entity_id=e.id, canonical=e.name)
        # "DCM 的 David Chao": an organisation, 的, and a name that reads as a person's
        om = ORG_OF_NAME.fullmatch(clean)
        if om and looks_like_person(om.group(2), lex) and self.kind_of(om.group(1)) == "organization":
            e = self.entity(om.group(2))
            return Speaker(base, end, clean, "person", name=om.group(2), org=om.group(1), **_registry_ids(e))
        # appositive: ORG? TITLE(兼TITLE)* NAME
        app = self._appositive(clean, base, end)
        # "穿着灰色T恤的扎克伯格", "纽约大学信息系统专业的德鲁夫": a description, 的, and a person the registry
        # knows or a transliterated name
        dm = DESCRIBED_NAME.fullmatch(clean)
        if app is None and dm and not self._has_unnamed(dm.group(2)):
            e = self.entity(dm.group(2))
            translit = len(dm.group(2)) >= 3 and all(c in TRANSLIT for c in dm.group(2))
            if e is not None and getattr(e, "kind", "") == "person" or translit:
                return Speaker(base, end, clean, "person", name=dm.group(2), **_registry_ids(e))
        role, sep, described = clean.partition("、")
        if app is None and sep and len(role) <= 12 and self.lex.title_re.search(role) and len(described) >= 2:
            # "论文第一作者、剑桥大学…的Emilie Bowman博士": a role, then the full description of the person
            who = self._classify(described, base + len(role) + 1)
            if who is not None and who.type == "person":
                tm = self.lex.title_re.search(role)
                title = who.title or (role[tm.start() :] if tm else None)
                return who.copy(start=base, end=end, mention=clean, title=title)
        if app is None and k == "person":
            dm = DOT_NAME_TAIL.search(clean)
            if dm and dm.start() == 0 and len(dm.group(1)) > 4:
                given = dm.group(1)
                i = len(given)
                while i > 0 and given[i - 1] in TRANSLIT and len(given) - i < 4:
                    i -= 1
                if i > 0:
                    return Speaker(base, end, clean, "person", name=given[i:] + dm.group(2))
        if app is not None:
            return app
        pm = SURNAME_MOU.search(clean)
        if (
            pm is not None
            and pm.group(1) in SURNAMES
            and (pm.start() == 0 or clean[pm.start() - 1] in "人者员子工友主生长师")
            and "某" not in clean[: pm.start()]
        ):
            # "犯罪嫌疑人江某": a person the article names by surname only, to keep them anonymous
            return Speaker(base, end, clean, "person", name=pm.group(), title=clean[: pm.start()] or None)
        # unnamed sources ("豆包在周五晚间向用户" is no source: the users are whom it was told to)
        told = TOLD_GROUP.search(clean)
        if (
            self._has_unnamed(clean)
            and not (told and not self._has_unnamed(clean[: told.start()]))
            and not (OBJECT_OF_VERB.search(clean) and not self._has_unnamed(clean.rsplit("的", 1)[1]))
            and not self._owned_thing(clean)
        ):
            return Speaker(base, end, clean, "unnamed")
        if k == "person":
            return Speaker(base, end, clean, "person", name=clean)
        if k == "media":
            return Speaker(base, end, clean, "media", name=clean)
        if k == "organization":
            # "36氪介绍过的在线辅导平台三好网": the name is what follows the modifier
            org_name = clean.rsplit("的", 1)[-1].strip() if "的" in clean else clean
            return Speaker(base, end, clean, "organization", name=org_name if len(org_name) >= 2 else clean)
        # a unit or product of a known organisation ("华为网盘公告称", "腾讯微云宣布")
        head = self.known_org_prefix(clean)
        if head and ORG_UNIT.match(clean[len(head) :]) and not looks_like_person(clean[len(head) :], lex):
            return Speaker(base, end, clean, "organization", name=clean)
        full = self._short_of_local_org(clean)
        if full is not None:
            return Speaker(base, end, clean, "organization", name=full)
        return None

    def _short_of_local_org(self, s: str) -> str | None:
        """The one organisation the article names in full whose short form `s` is: its head after a place
        ("北京星河动力航天科技股份有限公司" … "星河动力"), or the first character of two of its words ("日本
        航空公司" … "日航")."""
        if not 2 <= len(s) <= 6 or not _HAN_RUN.fullmatch(s) or s in BARE_ORG_WORDS or self._has_unnamed(s):
            return None
        if looks_like_person(s, self.lex) or common_word(s):
            return None
        local = LOCAL_NAMES.get() or {}
        found = set()
        for n, k in local.items():
            if k != "organization" or len(n) < len(s) + 2 or not _HAN_RUN.fullmatch(n):
                continue
            at = n.find(s)
            if at == 0 or (0 < at <= 3 and n[:at] in PLACE_PREFIXES):
                found.add(n)
            elif len(s) == 2 and n[0] == s[0] and s[1] in n[2:4]:
                found.add(n)
        if not found:
            return None
        full = max(found, key=len)  # ("日本航空" and "日本航空公司": one name, with its suffix and without)
        return full if all(n in full for n in found) else None

    @staticmethod
    def local_full(s: str) -> str | None:
        """The full name when `s` (maybe with an honorific) is the short form of one the article writes."""
        full = LOCAL_FULL.get()
        if not full:
            return None
        bare = HONOR_TAIL.sub("", s).strip()
        return full.get(bare)

    def _person_name(self, name: str) -> bool:
        """A person's name by the registry, or by its shape when nothing names it an organisation (an
        honorific or a name-first title says "person" more reliably than the article-local NER)."""
        k = self.kind_of(name)
        if k == "person":
            return True
        e = self.entity(name)
        return e is None and name not in self.lex.known_orgs and looks_like_person(name, self.lex)

    def split_org(self, org: str) -> tuple[str, str]:
        """ORG stretch before a title -> (organisation, qualifier of the title)."""
        m = ORG_THEN_QUAL.match(org)
        if m and not self._has_unnamed(m.group(2)):
            return m.group(1), m.group(2)
        if org.endswith(self.lex.org_suffixes):
            return org, ""  # "商汤科技": the suffix belongs to the name
        head = self.known_org_prefix(org)
        if head and head != org:
            rest = org[len(head) :]
            if QUAL.fullmatch(rest) and not SUB_BODY.fullmatch(rest):
                return head, rest
        return org, ""

    def known_org_prefix(self, s: str) -> str | None:
        """The longest known organisation (registry or list) that `s` starts with, if any."""
        orgs = self._org_names()
        for n in range(min(len(s), 16), 1, -1):
            head = s[:n]
            if head[-1] == " " or head not in orgs:
                continue
            if n < len(s) and head[-1].isascii() and head[-1].isalnum() and s[n].isascii() and s[n].isalnum():
                continue  # "Chain" must not split "Chains"
            return head
        return None

    def _registry_names(self, keep: Any) -> set[str]:
        """The registry's names and aliases whose kind `keep` accepts (none from a half-built registry)."""
        if self.registry is None:
            return set()
        try:
            return {n for n, k in self.registry.names() if keep(n, k)}
        except Exception:
            return set()

    def _org_names(self) -> frozenset[str]:
        """Known organisation names and aliases (the list and the registry), built once."""
        if self._orgs is None:
            self._orgs = frozenset(
                set(self.lex.known_orgs) | self._registry_names(lambda n, k: k not in ("person", "media"))
            )
        return self._orgs

    def _person_names(self) -> frozenset[str]:
        """The registry's people by their Han names (two characters or more), built once."""
        if self._people is None:
            self._people = frozenset(
                self._registry_names(lambda n, k: k == "person" and _HAN_RUN.fullmatch(n))
            )
        return self._people

    def _local_org_in(self, s: str) -> bool:
        """Whether an organisation the article names ("慧科集团") opens `s`."""
        local = LOCAL_NAMES.get() or {}
        return any(s.startswith(n) and k == "organization" and len(n) >= 2 for n, k in local.items())

    def _owned_thing(self, s: str) -> bool:
        """ "执行用户的文字": a thing a group owns, which is no one (not "消息人士的说法", whose words they are,
        nor "美国官员谴责欧盟的政策", where the group is the subject of a verb)."""
        owner, _, tail = s.rpartition("的")
        return (
            bool(owner)
            and any(owner.endswith(h) for h in self.lex.unnamed_heads)
            and THING_HEAD.fullmatch(tail) is not None
            and not WORDS_NOUN.search(tail)
            and not self._has_unnamed(tail)
        )

    def _has_unnamed(self, s: str) -> bool:
        # (the head of a compound names no one: "开发者大会", "用户协议")
        s = NOT_A_GROUP.sub("", s)
        return any(h in s for h in self.lex.unnamed_heads)

    def _appositive(self, s: str, base: int, end: int) -> Speaker | None:
        pr = PAPER_ROLE.match(s)
        if pr and pr.end() < len(s):
            if self.lex.title_re.search(s, pr.end()):
                s = s[pr.end() :]
            else:
                return self._paper_role_only(s, pr, base, end)
        titles = list(self.lex.title_re.finditer(s))
        if not titles:
            return None
        first, last = titles[0], titles[-1]
        name = s[last.end() :].strip(" 、，")
        if not name and last.group() in NAME_FIRST_TITLES:
            named = self._name_before_honor(s[: last.start()], last.group(), base, end, s)
            if named is not None:
                return named
        org_raw = (
            ORG_HEAD_STRIP.sub("", s[: first.start()].strip(" 、的")).removesuffix("旗下").strip(" 、的")
        )
        head, _, tail = org_raw.rpartition("、")
        if head and (re.search(r"[人者员]$|的", head) or self.lex.title_re.search(head)):
            # "规则委员会的首席民主党人、马萨诸塞州民主党众议员NAME": a role of its own, then the part joined
            # to the title (not "Google实验室、Gemini 和 AI Studio 副总裁": one role over several units)
            org_raw = tail.strip()
        org: str | None = org_raw or None
        title = s[first.start() : last.end()]
        # "微软AI CEO、DeepMind联合创始人苏莱曼": keep the first ORG+TITLE pair
        if "、" in title:
            title = title.split("、")[0].strip()
        # "阿里云智能集团资深副总裁", "微软安全负责人": the organisation ends at its suffix or known name;
        # what follows it qualifies the title
        if org:
            org, qual = self.split_org(org)
            title = qual + title
        if not name:
            # titles only ("微软AI负责人"): a reference to a person named elsewhere, or unnamed
            if self._has_unnamed(s) and re.search(r"一位|一名|某|多位|多名|有|部分|一些|不少|许多|很多", s):
                return Speaker(base, end, s, "unnamed")
            # "汉克教授", "奥巴马总统": the name before a name-first title
            if (
                org_raw
                and title in NAME_FIRST_TITLES
                and (self._person_name(org_raw) or _DOTTED.fullmatch(org_raw))
            ):
                e = self.entity(org_raw)
                return Speaker(
                    base,
                    end,
                    s,
                    "person",
                    name=org_raw,
                    title=title,
                    **_registry_ids(e),
                )
            return Speaker(base, end, s, "title_only", title=title, org=org)
        fm = FROM_ORG.match(name) if name else None
        if fm is not None:
            # "英裔美国天体物理学家、来自太空环境主义中心的NAME": where the person works
            org, name = fm.group(1), fm.group(2)
        elif org and org in ("其", "该公司", "公司"):
            org = "@ref"
        elif org and TITLE_FRAGMENT_ORG.search(org):
            org = None  # "英裔美国天体物理学家", "美国海军前高级官员": the front of a title, no organisation
        name = RANK_TAIL.sub("", name) or name  # "指挥官皮埃尔·旺迪耶海军上将": the rank follows the name
        name = self.local_full(name) or name  # "助理研究教授Starkenburg" after "Tjitske Starkenburg"
        bare = HONOR_TAIL.sub("", name)
        if (
            bare != name
            and len(bare) >= 2
            and (self.entity(bare) is not None or looks_like_person(bare, self.lex))
        ):
            name = bare  # "院长陈滢博士"
        if "的" in name:
            # "伦敦某中心的乔尔·鲍尔": the name is what follows the description
            tail = name.rsplit("的", 1)[1].strip()
            if looks_like_person(tail, self.lex) or self.entity(tail) is not None:
                name = tail
        e = self.entity(name)
        if e is not None and getattr(e, "kind", "") == "person":
            return Speaker(
                base, end, s, "person", name=name, title=title, org=org, entity_id=e.id, canonical=e.name
            )
        if looks_like_person(name, self.lex) or SINGLE_LATIN_NAME.fullmatch(name):
            # "创始人Calvin": after a title, one Latin given name is a person too
            return Speaker(base, end, s, "person", name=name, title=title, org=org)
        # a long chain ("Color Genomics创始人、Airbnb和Pinterest投资者埃拉德·吉尔"): the name that ends it
        tm = TAIL_NAME.search(name)
        if (
            tm
            and tm.start() > 0
            and (name[tm.start() - 1] not in "的和与及" or _DOTTED.fullmatch(tm.group()))
        ):
            return Speaker(base, end, s, "person", name=tm.group(), title=title, org=org)
        return None

    def _name_before_honor(self, pre: str, honor: str, base: int, end: int, s: str) -> Speaker | None:
        """ "所长Christian Kurts教授", "X大学的Otto Kramer教授": a chain whose name sits before a name-first
        title; the post in the chain (or the honorific) is the title, "X的" the organisation."""
        nm = NAME_BEFORE_HONOR.search(pre)
        if nm is None:
            return None
        name = nm.group().strip()
        name = self.local_full(name) or name
        if " " not in name and "·" not in name and not _DOTTED.fullmatch(name):
            if not re.fullmatch(r"[A-Z][a-z'\-]+", name):
                return None
        rest = ORG_HEAD_STRIP.sub("", pre[: nm.start()].strip(" 、，")).strip()
        rest = re.sub(r"^来自", "", rest)
        title: str | None = honor
        org: str | None = None
        inner = list(self.lex.title_re.finditer(rest)) if rest else []
        if rest and inner and inner[-1].end() == len(rest):
            org_raw = rest[: inner[0].start()].strip(" 、的")
            title = rest[inner[0].start() :]
            if org_raw:
                org, qual = self.split_org(org_raw)
                title = qual + title
        elif rest.endswith("的") and 2 <= len(rest) <= 30:
            org = rest[:-1].removeprefix("来自")
        elif rest:
            return None
        e = self.entity(name)
        return Speaker(
            base,
            end,
            s,
            "person",
            name=name,
            title=title,
            org=org or None,
            **_registry_ids(e),
        )

    def _paper_role_only(self, s: str, pr: re.Match[str], base: int, end: int) -> Speaker | None:
        """ "论文第一作者、X中心的乔尔·鲍尔": the paper role is the only title; "X的" is the organisation."""
        rest = s[pr.end() :].strip()
        if "的" in rest:
            head, name = rest.rsplit("的", 1)
            name = name.strip()
            if not (_DOTTED.fullmatch(name) or looks_like_person(name, self.lex)):
                return None
        else:
            tm = TAIL_NAME.search(rest)
            if tm is None or tm.end() != len(rest):
                return None
            head, name = rest[: tm.start()], tm.group()
        org = head.strip().removeprefix("来自").strip() or None
        if org is not None and (len(org) > 30 or self._has_unnamed(org)):
            org = None
        role = re.sub(r"^(?:论文|研究|该研究|该论文|本研究)", "", pr.group().strip(" 、，,"))
        e = self.entity(name)
        return Speaker(
            base,
            end,
            s,
            "person",
            name=name,
            title=role or None,
            org=org,
            **_registry_ids(e),
        )
