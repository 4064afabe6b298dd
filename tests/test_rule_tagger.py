"""The rule tagger on sentences written for the tests (not taken from the seeds)."""

from __future__ import annotations

import pytest

from ie.rule_tagger import RuleTagger

TAGGER = RuleTagger()


def labelled(text: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in TAGGER.tag_sentence(text)]


@pytest.mark.parametrize("text,expected", [
    ("今年以来，全市公安机关破获盗窃案件3200余起，同比下降12.5%。",
     [("TIME", "今年以来"), ("ORG", "全市公安机关"), ("METRIC", "破获盗窃案件"), ("VALUE", "3200余起"),
      ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "12.5%")]),
    ("2022年，市反诈中心预警劝阻群众15.6万人次。",
     [("TIME", "2022年"), ("ORG", "市反诈中心"), ("METRIC", "预警劝阻群众"), ("VALUE", "15.6万人次")]),
    ("抢劫案件发案较2021年下降30%。",
     [("METRIC", "抢劫案件发案"), ("BASE", "较2021年"), ("TREND", "下降"), ("VALUE", "30%")]),
    ("新建3处派出所。", [("METRIC", "新建"), ("VALUE", "3处"), ("METRIC", "派出所")]),
    ("今年上半年，警方共录得刑事案件44126宗，按年下跌3.1%。",
     [("TIME", "今年上半年"), ("ORG", "警方"), ("METRIC", "刑事案件"), ("VALUE", "44126宗"), ("BASE", "按年"),
      ("TREND", "下跌"), ("VALUE", "3.1%")]),
    ("立案8892宗，增加612宗(+7.4%)。",
     [("METRIC", "立案"), ("VALUE", "8892宗"), ("TREND", "增加"), ("VALUE", "612宗"), ("VALUE", "+7.4%")]),
    ("交通事故12起↓，较上月多伤9人。",
     [("METRIC", "交通事故"), ("VALUE", "12起"), ("TREND", "↓"), ("BASE", "较上月"), ("TREND", "多伤"), ("VALUE", "9人")]),
    ("电诈、盗窃同比增幅较大，分别为187.32%、96.41%。",
     [("METRIC", "电诈"), ("METRIC", "盗窃"), ("BASE", "同比"), ("TREND", "增幅"), ("VALUE", "187.32%"),
      ("VALUE", "96.41%")]),
    ("共侦破案件1523、1311、987起。",
     [("METRIC", "侦破案件"), ("VALUE", "1523"), ("VALUE", "1311"), ("VALUE", "987起")]),
    ("其中，东城区412起，西城区380起。", [("ORG", "东城区"), ("VALUE", "412起"), ("ORG", "西城区"), ("VALUE", "380起")]),
    ("2023年全市公安机关警情通报", [("TIME", "2023年"), ("ORG", "全市公安机关")]),
    ("8月，全县公安机关接报警情2318起。",
     [("TIME", "8月"), ("ORG", "全县公安机关"), ("METRIC", "接报警情"), ("VALUE", "2318起")]),
    ("2024年首三季，翠岭警区共录得刑事案件4186宗。",
     [("TIME", "2024年首三季"), ("ORG", "翠岭警区"), ("METRIC", "刑事案件"), ("VALUE", "4186宗")]),
    ("临江市、白沙市、北岭市伤亡事故起数同比分别下降18.2%、15.6%、12.9%。",
     [("ORG", "临江市"), ("ORG", "白沙市"), ("ORG", "北岭市"), ("METRIC", "伤亡事故起数"), ("BASE", "同比"),
      ("TREND", "下降"), ("VALUE", "18.2%"), ("VALUE", "15.6%"), ("VALUE", "12.9%")]),
    ("东城、西城、南城三区同比分别下降12%、8%、5%。",
     [("ORG", "东城"), ("ORG", "西城"), ("ORG", "南城"), ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "12%"),
      ("VALUE", "8%"), ("VALUE", "5%")]),
    ("以区域划分，九龙南区、新界北区及港岛区的火警召唤分别为10862、9745及7021宗。",
     [("ORG", "九龙南区"), ("ORG", "新界北区"), ("ORG", "港岛区"), ("METRIC", "火警召唤"), ("VALUE", "10862"),
      ("VALUE", "9745"), ("VALUE", "7021宗")]),
    ("西九龙总区、新界北总区及东九龙总区的整体罪案分别为19612、17025及15388宗。",
     [("ORG", "西九龙总区"), ("ORG", "新界北总区"), ("ORG", "东九龙总区"), ("METRIC", "整体罪案"), ("VALUE", "19612"),
      ("VALUE", "17025"), ("VALUE", "15388宗")]),
    ("江东、岭西、海川三省侦破案件数居全国前三位，分别为523、481、397起。",
     [("ORG", "江东"), ("ORG", "岭西"), ("ORG", "海川"), ("METRIC", "侦破案件数"), ("VALUE", "523"), ("VALUE", "481"),
      ("VALUE", "397起")]),
    ("城南、城北、滨江三个街道发案同比分别下降22.4%、17.6%、25.3%，柳湾镇则同比上升5.1%。",
     [("ORG", "城南"), ("ORG", "城北"), ("ORG", "滨江"), ("METRIC", "发案"), ("BASE", "同比"), ("TREND", "下降"),
      ("VALUE", "22.4%"), ("VALUE", "17.6%"), ("VALUE", "25.3%"), ("ORG", "柳湾镇"), ("BASE", "同比"),
      ("TREND", "上升"), ("VALUE", "5.1%")]),
    ("陆路口岸、海路口岸及空路口岸分别录得6914万、826万及892万人次。",
     [("ORG", "陆路口岸"), ("ORG", "海路口岸"), ("ORG", "空路口岸"), ("VALUE", "6914万"), ("VALUE", "826万"),
      ("VALUE", "892万人次")]),
    ("将军澳警区录得刑事案件1024宗。", [("ORG", "将军澳警区"), ("METRIC", "刑事案件"), ("VALUE", "1024宗")]),
    ("财物损失较民国112年同期增加12.7%。",
     [("METRIC", "财物损失"), ("BASE", "较民国112年同期"), ("TREND", "增加"), ("VALUE", "12.7%")]),
    ("一、致命意外：全年录得96宗，按年减少7宗；",
     [("METRIC", "致命意外"), ("TIME", "全年"), ("VALUE", "96宗"), ("BASE", "按年"), ("TREND", "减少"), ("VALUE", "7宗")]),
    ("科技罪案方面，全年录得34108宗。", [("METRIC", "科技罪案"), ("TIME", "全年"), ("VALUE", "34108宗")]),
    ("从发案地点看，城关镇18起、青石镇11起。",
     [("ORG", "城关镇"), ("VALUE", "18起"), ("ORG", "青石镇"), ("VALUE", "11起")]),
    ("其中，湖滨、城关、岭南派出所辖区分别为41、37、29起。",
     [("ORG", "湖滨"), ("ORG", "城关"), ("ORG", "岭南"), ("VALUE", "41"), ("VALUE", "37"),
      ("VALUE", "29起")]),
    ("依手法分，以假投资诈骗1,372件最多、解除分期付款诈骗628件次之。",
     [("METRIC", "以假投资诈骗"), ("VALUE", "1,372件"), ("METRIC", "解除分期付款诈骗"), ("VALUE", "628件")]),
])
def test_tagging(text, expected):
    assert labelled(text) == expected


@pytest.mark.parametrize("text", [
    "2023年11月24日，拨打110报警。",          # date, hotline
    "落实“三个一”工作机制。",                  # quoted slogan
    "第二届论坛在青岛举行。",                   # ordinal
    "实现24小时自助办理。",                     # a duration modifying a noun
    "这是一项基本方针。",                       # 一项: an article
    "未发生一次死亡3人以上事故。",               # a threshold inside a category name
    "打掉3人以上犯罪团伙。",
    "平均每3分钟接警一起。",                     # a crime clock
])
def test_non_records_get_no_value(text):
    assert not [s for s in TAGGER.tag_sentence(text) if s.label == "VALUE"]


def test_awarders_and_quoted_names_are_not_orgs():
    spans = labelled("被公安部表彰为“全国优秀公安局”。")
    assert ("ORG", "全国优秀公安局") not in spans and ("ORG", "公安部") not in spans


@pytest.mark.parametrize("text,body", [
    ("移送检察院的嫌犯4317人。", "检察院"),              # a receiver
    ("督促公安机关立案侦查涉毒案件19件。", "公安机关"),
    ("向检察院移送案件12起。", "检察院"),
    ("与市检察院联合开展行动3次。", "市检察院"),          # a partner
    ("诈骗案占全港整体罪案的42.1%。", "全港"),           # what a share is of
    ("两区合计占全市35.7%。", "全市"),
    ("侦破案件数居全国前三位。", "全国"),                # what a rank is among
    ("本澳居民占41.2%。", "本澳"),                      # a group of people
    ("警情数量居前三位的派出所依次为东湖派出所、西岭派出所。", "派出所"),  # a kind of body
    ("以警区划分，西区录得500宗。", "警区"),              # a dimension
])
def test_bodies_that_do_not_scope_the_figures_are_not_orgs(text, body):
    assert ("ORG", body) not in labelled(text)


@pytest.mark.parametrize("text,expected", [
    ("市公安局与市检察院联合开展专项行动3次。", ("ORG", "市公安局")),          # the subject before a partner
    ("全市公安机关破获案件1200起，其中东城、西城、南城三区分别破案400、300、200起。", ("ORG", "全市公安机关")),
    ("共新建派出所三个、警务站两个。", ("VALUE", "三个")),                   # a count is no count of places
    ("目前3名犯罪嫌疑人已被刑事拘留。", ("VALUE", "3名")),                  # 目前 opens no rank
    ("检查娱乐场所120家、超市45家。", ("METRIC", "超市")),                  # a shop is no place of a list
])
def test_what_the_org_and_list_rules_leave_alone(text, expected):
    assert expected in labelled(text)


def test_names_joined_by_conjunctions_take_linear_time():
    import time

    for names in (40, 400):
        text = "和".join(["东南分局"] * names) + "共破案12起。"
        began = time.perf_counter()
        spans = labelled(text)
        assert time.perf_counter() - began < 1.0 and spans.count(("ORG", "东南分局")) == names


def test_batch_interface():
    sentences = ["破获案件9200起。", "", "抓获犯罪嫌疑人2300人。"]
    tagged = TAGGER.tag(sentences)
    assert [[(s.label, s.text) for s in spans] for spans in tagged] == [
        [("METRIC", "破获案件"), ("VALUE", "9200起")], [], [("METRIC", "抓获犯罪嫌疑人"), ("VALUE", "2300人")]]


@pytest.mark.parametrize("text,orgs", [
    ("刑事及保安处处长：全年诈骗案录得36417宗。", ["刑事及保安处"]),       # the body before the title
    ("保安司司长：今年罪案录得1.2万宗。", ["保安司"]),
    ("城南区禁毒中心主任：本周查处吸毒人员12人。", ["城南区禁毒中心"]),
    ("市公安局副局长王某某：全市破获案件900起。", ["市公安局", "全市"]),  # a body found in the name is kept alone
    ("主持人（市政府新闻办公室副主任 刘某某）：请提问。", []),           # the host speaks for no body
    ("记者问：诈骗案增加了多少宗？", []),
    ("处长说明：本月立案12宗。", []),                                     # no name before the title
    ("市公安局反电信网络诈骗中心主任 唐某某：全年劝阻群众1260人。", ["市公安局反电信网络诈骗中心"]),  # named up to the title
])
def test_a_speaker_line_names_the_body_the_speaker_speaks_for(text, orgs):
    assert [span for label, span in labelled(text) if label == "ORG"] == orgs


@pytest.mark.parametrize("text,orgs", [
    ("我市公安机关按照省公安厅统一部署，破获案件120起。", ["我市公安机关"]),  # not the body it follows
    ("全市率先打造基层派出所12个。", ["全市"]),                              # nor what it builds
    ("市公安局会同市场监管局查处案件12起。", ["市公安局"]),                  # nor the body it works with
    ("党建工作体系获评公安部表彰3次。", []),                                 # nor an awarder
])
def test_a_body_that_acts_is_cut_from_what_follows_its_verb(text, orgs):
    assert [span for label, span in labelled(text) if label == "ORG"] == orgs


@pytest.mark.parametrize("text,expected", [
    ("各市共配备专职网格员1.34万名。", [("ORG", "各市")]),
    ("省禁毒委组织开展禁毒宣传活动3200余场次。", [("ORG", "省禁毒委")]),
    ("本局反诈骗协调中心全年成功拦截可疑转账683宗。", [("ORG", "本局反诈骗协调中心"), ("TIME", "全年")]),  # 协调 in a name
    ("总区反诈骗专队全年截停可疑转账376宗。", [("ORG", "总区反诈骗专队"), ("TIME", "全年")]),
    ("10月17日澄北分局溪埔派出所劝阻民众汇出380万元。", [("ORG", "澄北分局溪埔派出所")]),  # not the date
    ("民国114年1至10月累计，全般刑案发生8,715件。", [("TIME", "民国114年1至10月")]),
    ("其中澄北、澄南、云埔三分局查获成员分别为31、27、19人。", [("ORG", "澄北"), ("ORG", "澄南"), ("ORG", "云埔")]),
    ("其中，澄州市新建816个。", [("ORG", "澄州市")]),
    ("从辖区看，城关派出所辖区警情量占全县的27.9%。", [("ORG", "城关派出所辖区")]),  # 从…看 is a dimension
    ("全省公安机关会同省通信管理局预警劝阻群众86.4万人次。", [("ORG", "全省公安机关")]),
    ("国庆假期期间，全市日均接报警情634起。", [("TIME", "国庆假期期间"), ("ORG", "全市")]),
    ("今年第3季被害人中，30至39岁者12054人。", [("TIME", "今年第3季")]),
    ("各市全面推行网格机制，其中石原市公共视频监控联网率由61.4%提升至78.6%。", [("ORG", "各市"), ("ORG", "石原市")]),
    ("五市分别下降14.2%、11.6%，云川市同比上升2.4%。", [("ORG", "云川市")]),
    ("共查处治安案件1.27万起，其中城南分局查处涉赌案件416起。", [("ORG", "城南分局")]),  # 其中 is no part of it
    ("经开分局", [("ORG", "经开分局")]),                                                # 经 of 经开 stays
    ("港区分局所属码头派出所本周接报盗窃警情19起。", [("ORG", "码头派出所"), ("TIME", "本周")]),  # the body it belongs to
    ("占该分局盗窃警情的31.1%。", []),                                                  # an anaphor carries the org on
    ("司警期内共侦办毒品犯罪案件14宗。", [("ORG", "司警"), ("TIME", "期内")]),
])
def test_orgs_and_periods_of_unseen_bulletins(text, expected):
    assert [item for item in labelled(text) if item[0] in ("ORG", "TIME")] == expected


@pytest.mark.parametrize("text,expected,absent", [
    ("下半年录得672宗，较上半年减少92宗。", ("BASE", "较上半年"), ("TIME", "上半年")),
    ("占8.7%，占比较第2季上升1.2个百分点。", ("BASE", "较第2季"), ("METRIC", "占比较第2季")),
    ("电诈案件发案数、财产损失数均下降10%。", ("METRIC", "财产损失数"), ("METRIC", "电诈案件发案数、财产损失数")),
    ("其中八类严重暴力犯罪案件立案数同比下降11.2%。", ("TREND", "下降"), ("VALUE", "八类")),
    ("其中单笔损失超过100万元的案件3起。", ("VALUE", "3起"), ("VALUE", "超过100万元")),
    ("涉案100万元以上的案件12起。", ("VALUE", "12起"), ("VALUE", "100万元以上")),
    ("打造大数据实战应用模型56种。", ("VALUE", "56种"), ("METRIC", "56种")),  # a count of kinds stays
    ("澄北、林湖两分局分别减少24件、15件。", ("ORG", "林湖"), ("METRIC", "两分局")),
    ("破案率为54.1%，较二季度提高1.3个百分点。", ("BASE", "较二季度"), ("TIME", "二季度")),
    ("纵火案二十一宗，与去年同期相若。", ("VALUE", "二十一宗"), ("TIME", "去年")),  # a comparison's basis, no scope
    ("民国113年全年，本局侦破刑案1万2,105件。", ("TIME", "民国113年全年"), ("TIME", "全年")),
    ("行动开展以来，共抓获嫌疑人312名。", ("TIME", "行动开展以来"), ("METRIC", "行动开展以来")),
    ("峰北、峰南、山线三个大队本月救护出勤分别为1,126、958、790件。", ("VALUE", "790件"), ("VALUE", "三个")),
    ("立案数占全省的25.4%，两项均居全省首位。", ("VALUE", "25.4%"), ("VALUE", "两项")),
    ("紧急求助热线110及999期内共接获来电5.12万宗。", ("TIME", "期内"), ("VALUE", "999期")),
    ("其余乡镇合计13件；", ("ORG", "其余乡镇"), ("METRIC", "其余乡镇")),
    ("芦峰市较去年同月减少4件。", ("ORG", "芦峰市"), ("METRIC", "芦峰市")),
    ("下半年，诈骗案呈回落趋势，共录得1,084宗。", ("METRIC", "诈骗案"), ("METRIC", "共录得")),
    ("与二季度相比，夜间事故死亡人数占比由44.6%下降至41.3%。", ("BASE", "与二季度相比"), ("TIME", "二季度")),
    ("与二季度相比，夜间事故死亡人数占比由44.6%下降至41.3%。", ("METRIC", "夜间事故死亡人数占比"),
     ("METRIC", "夜间事故死亡人数占比由")),
    ("平均处警时间由38分钟压缩至26分钟。", ("VALUE", "38分钟"), ("METRIC", "处警时间由38分钟")),
    ("国庆中秋假期期间，全省高速公路日均车流量182.4万辆次。", ("TIME", "国庆中秋假期期间"), ("TIME", "中秋假期期间")),
    ("今年“五一”假期，全国高速公路日均流量6428万辆次。", ("TIME", "今年“五一”假期"), ("TIME", "今年")),
    ("其间，全省发生道路交通事故124起，较去年假期减少19起。", ("TIME", "其间"), ("TIME", "假期")),
    ("其间，全省发生道路交通事故124起，较去年假期减少19起。", ("BASE", "较去年假期"), ("BASE", "较去年")),
    ("网络贷款类、虚假征信类诈骗各发案3起。", ("METRIC", "网络贷款类"), ("METRIC", "网络贷款类、虚假征信类诈骗各发案")),
    ("网络贷款类、虚假征信类诈骗各发案3起。", ("METRIC", "发案"), ("METRIC", "各发案")),
    ("各分局全般刑案发生件数，澄北分局286件、澄南分局241件。", ("METRIC", "全般刑案发生件数"), ("ORG", "全般刑案发生件数")),
    ("依行政区分，港东区21件、港西区18件。", ("ORG", "港东区"), ("METRIC", "依行政区分")),  # a breakdown, no measure
    ("各行政区中，滨海区2,641件最多。", ("ORG", "滨海区"), ("METRIC", "各行政区中")),
    ("今年按行政区划，澄北分局286件、澄南分局241件。", ("ORG", "澄北分局"), ("METRIC", "按行政区划")),
    ("共破获盗窃、诈骗等各类案件120起。", ("METRIC", "破获盗窃、诈骗等各类案件"), ("METRIC", "诈骗等")),
    ("24小时由专人值守至次日8时，共出警12次。", ("VALUE", "12次"), ("VALUE", "24小时")),
    ("平均处警时间从38分钟缩短到26分钟。", ("METRIC", "处警时间"), ("METRIC", "处警时间从")),
    ("辖区快递公司警企协作破获案件12起。", ("VALUE", "12起"), ("ORG", "辖区快递公司警")),
    ("较去年国庆假期减少19起。", ("BASE", "较去年国庆假期"), ("TIME", "国庆假期")),
    ("与去年同期的1203起相比减少77起。", ("BASE", "与去年同期"), ("METRIC", "相比")),
    ("九月份，本澳共录得交通事故1,046宗。", ("TIME", "九月份"), ("METRIC", "九月份")),
    ("一月至九月，本澳累计录得交通事故9,318宗。", ("TIME", "一月至九月"), ("METRIC", "一月至九月")),
    ("治安警察局今日公布二○二五年九月份交通统计数字。", ("TIME", "二○二五年九月份"), ("TIME", "二○二五年")),
    ("本年首九个月，本澳录得交通事故9宗。", ("TIME", "本年首九个月"), ("VALUE", "九个月")),
    ("前3个月，本澳录得交通事故9宗。", ("TIME", "前3个月"), ("VALUE", "3个月")),
    ("二○二五年十月十三日治安警察局新闻稿", ("TIME", "二○二五年"), ("TIME", "二○二五年十月")),  # a date
    ("按月观察，发生数以1月2万1,350件最多。", ("VALUE", "2万1,350件"), ("BASE", "按月")),  # by month: no comparison
    ("按季分析，本季发生数2万件。", ("TIME", "本季"), ("BASE", "按季")),
    ("窃盗2,863件（占30.3%）、诈欺2,417件（占25.6%）为前两大案类。", ("METRIC", "诈欺"), ("METRIC", "）、诈欺")),
    ("第三季，该局接获网络诈骗举报387宗。", ("TIME", "第三季"), ("METRIC", "第三季")),
    ("首三季刑事案件按区域划分，澳门半岛、氹仔及路环分别录得6,915、2,836及533宗。", ("METRIC", "刑事案件"),
     ("METRIC", "澳门半岛、氹仔及路环分别录得")),
    ("首三季刑事案件按区域划分，澳门半岛、氹仔及路环分别录得6,915、2,836及533宗。", ("ORG", "氹仔"), ("ORG", "氹仔及路环")),
    ("东城区、西城区分别发生交通事故12起、8起。", ("METRIC", "发生交通事故"), ("METRIC", "东城区、西城区分别发生交通事故")),
    ("盗窃、诈骗分别为12起、8起。", ("METRIC", "诈骗"), ("ORG", "诈骗")),  # no place: a list of measures
    ("10月中旬以来，全市国家反诈中心APP注册率由58.3%提升至61.7%。", ("ORG", "全市"), ("ORG", "全市国家反诈中心")),
    ("10月中旬以来，全市国家反诈中心APP注册率由58.3%提升至61.7%。", ("TIME", "10月中旬以来"), ("TIME", "10月")),
    ("该分局新埔派出所侦破跨区住宅窃盗集团1个。", ("ORG", "新埔派出所"), ("ORG", "分局新埔派出所")),
    ("除青峰分局较112年同期增加58件外。", ("ORG", "青峰分局"), ("ORG", "除青峰分局")),
    ("国庆节前，大队组织夜查统一行动6次。", ("TIME", "国庆节前"), ("TIME", "节前")),
    ("市反电信网络诈骗中心会同人民银行雁川市分行、市通信管理局下发预警指令2.1万条。", ("ORG", "市反电信网络诈骗中心"),
     ("ORG", "市通信管理局")),  # every partner after 会同 is no org
    ("市反电信网络诈骗中心会同人民银行雁川市分行、市通信管理局下发预警指令2.1万条。", ("METRIC", "下发预警指令"),
     ("METRIC", "会同人民银行雁川市分行、市通信管理局下发预警指令")),
    ("联合执法检查12次。", ("METRIC", "联合执法检查"), ("METRIC", "执法检查")),  # 联合 without partners stays
    ("2025年10月，全市接报警情3200起，环比九月份下降4.1%。", ("BASE", "环比"), ("TIME", "九月份")),  # a basis
    ("全市公安机关会同检察机关办理涉黑案件12起。", ("METRIC", "办理涉黑案件"), ("METRIC", "理涉黑案件")),
    ("全市公安机关联合督办案件12起。", ("METRIC", "联合督办案件"), ("METRIC", "案件")),
    ("今年以来，林湖分局A2类交通事故发生1,203件。", ("ORG", "林湖分局"), ("METRIC", "林湖分局A2类交通事故发生")),
    ("市公安局扫黑除恶大队破获涉黑案件3起。", ("ORG", "市公安局扫黑除恶大队"), ("ORG", "恶大队")),
    ("校园、景区分别发生盗窃案件12起、8起。", ("VALUE", "8起"), ("ORG", "校园")),  # not every item a place
])
def test_bases_shared_values_categories_and_thresholds(text, expected, absent):
    spans = labelled(text)
    assert expected in spans and absent not in spans


@pytest.mark.parametrize("text,org", [("其余镇街合计138起。", "其余镇街"), ("其余2个口岸合计28.4万人次。", "其余2个口岸"),
                                      ("其余各区合计20件；", "其余各区")])
def test_the_remaining_places_of_a_breakdown_are_one_org_and_no_metric(text, org):
    spans = labelled(text)
    assert ("ORG", org) in spans and not any(label == "METRIC" for label, _ in spans)
    assert [span for label, span in spans if label == "VALUE"] == [text[len(org) + 2:-1]]


@pytest.mark.parametrize("text,metric,orgs", [
    ("各区县中，有效警情居前三位的依次为东湖区、临江区、北塘区，分别为4862、3975、3410起。", "有效警情",
     ["东湖区", "临江区", "北塘区"]),                                          # ranked places, metric before them
    ("城关镇、青石镇分别发生612起、498起，分别占全区的31.5%和25.6%。", "占全区", ["城关镇", "青石镇"]),  # 分别 + own metric
])
def test_a_list_clause_with_its_own_metric_keeps_it(text, metric, orgs):
    spans = labelled(text)
    assert ("METRIC", metric) in spans and [span for label, span in spans if label == "ORG"] == orgs


def test_a_daily_average_is_its_own_metric():
    assert ("METRIC", "日均") in labelled("本周，全市110共接报各类警情11141起，日均约1592起，环比下降4.0%。")


@pytest.mark.parametrize("text,metric", [
    ("电讯网络诈骗仍然突出，全年录得1,204宗。", "电讯网络诈骗"),              # a topic clause
    ("救灾出勤1,103件，其中以受困救助最多，计412件。", "受困救助"),            # what a ranking names
    ("A1类事故肇事原因以「未注意车前状态」最多，计17件。", "未注意车前状态"),
    ("「未依规定让车」次之，计11件，占19.6%。", "未依规定让车"),
])
def test_a_topic_or_a_ranking_names_the_metric_of_the_count_after_it(text, metric):
    assert [span for label, span in labelled(text) if label == "METRIC"][-1] == metric


@pytest.mark.parametrize("text,values", [
    ("雇用不可合法受雇的人属刑事罪行，最高可被罚款五十万元及监禁十年。", []),  # what the law allows
    ("情节严重的，可处三年以上有期徒刑。", []),
    ("全市共处罚款230万元，行政拘留120人。", ["230万元", "120人"]),  # penalties imposed are figures
])
def test_penalties_the_law_allows_are_no_values(text, values):
    assert [t for label, t in labelled(text) if label == "VALUE"] == values
