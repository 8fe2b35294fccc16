"""Demo data: the 71 bureau-managed (局管) social organizations of Changchun, mid-2018.

Invented-but-plausible data reproducing ``domain.md`` §5 and the 2018 article about the Changchun
civil-affairs bureau (长春市民政局). The article names only a few organizations; these names are
kept exactly:

- 长春市至爱居家养老服务中心 (founded 2014) and 长春至爱护理院, joined in the 至爱 branch;
- 长春金秋居家养老服务中心 and 吉林省道德传统文化协会, a joint branch by location;
- 长春市社会工作者协会 (the article's 长春市社工协会), lead of 13 social-work agencies;
- 长春市养老服务业协会 (the article's 市养老行业协会), lead of the 40+ elderly-care organizations.

Every other name, person, address and phone number is invented. Streets are the sample
sub-district streets of ``changchun_divisions.csv``, copied into ``STREETS_BY_DISTRICT`` so this
module needs nothing outside the project. Pure data, no Django imports: ``seed_demo`` and tests
read it and refer to organizations by their ``key``, which never changes.

Run ``python demo/orgdata.py`` to check the data (``_check``).
"""

import hashlib
import re
from collections import Counter
from datetime import date

SUPERVISORY_UNITS = [
    {"key": "elderly_services", "name": "长春市民政局养老服务处"},
    {"key": "social_work", "name": "长春市民政局社会工作处"},
    {"key": "community", "name": "长春市民政局基层政权和社区建设处"},
    {"key": "affairs", "name": "长春市民政局社会事务处"},
    {"key": "civil_org", "name": "长春市民间组织管理局"},
]

INDUSTRIES = [
    ("elderly_care", "养老"),
    ("social_work", "社工"),
    ("community", "社区"),
    ("affairs", "事务"),
    ("civil_org_management", "民管"),
    ("hub", "枢纽型"),
    ("other", "其他"),
]

# 业务主管处室 of each industry.
SUPERVISORY_UNIT_BY_INDUSTRY = {
    "elderly_care": "elderly_services",
    "social_work": "social_work",
    "community": "community",
    "affairs": "affairs",
    "civil_org_management": "civil_org",
    "hub": "civil_org",
    "other": "civil_org",
}

# GB/T 2260 codes and sample streets, from /work/shared/data/changchun_divisions.csv.
DISTRICT_CODES = {
    "南关区": "220102",
    "宽城区": "220103",
    "朝阳区": "220104",
    "二道区": "220105",
    "绿园区": "220106",
    "双阳区": "220112",
    "九台区": "220113",
    "农安县": "220122",
    "榆树市": "220182",
    "德惠市": "220183",
}

STREETS_BY_DISTRICT = {
    "南关区": [
        "南岭街道", "自强街道", "新春街道", "民康街道", "长通街道", "全安街道",
        "曙光街道", "永吉街道", "桃源街道", "鸿城街道", "明珠街道",
    ],
    "宽城区": [
        "新发街道", "南广街道", "东广街道", "站前街道", "群英街道", "凯旋街道",
        "兴业街道", "柳影街道",
    ],
    "朝阳区": [
        "南站街道", "南湖街道", "富锋街道", "桂林街道", "重庆街道", "清和街道",
        "红旗街道", "湖西街道", "永昌街道", "前进街道",
    ],
    "二道区": ["东盛街道", "吉林街道", "荣光街道", "东站街道", "远达街道", "八里堡街道"],
    "绿园区": ["春城街道", "普阳街道", "青年路街道"],
    "双阳区": ["云山街道"],
    "九台区": ["九台街道", "东湖街道"],
    "农安县": ["农安镇"],
    "榆树市": ["华昌街道"],
    "德惠市": ["胜利街道"],
}  # fmt: skip

# Industry leads (龙头组织, R-PB-10) and the other organizations the article names.
SOCIAL_WORK_LEAD = "social_workers_assoc"  # 长春市社会工作者协会
ELDERLY_CARE_LEAD = "elderly_care_assoc"  # 长春市养老服务业协会
ZHIAI_HOME_CARE = "zhiai_home_care"  # 长春市至爱居家养老服务中心
ZHIAI_NURSING_HOME = "zhiai_nursing_home"  # 长春至爱护理院
JINQIU_HOME_CARE = "jinqiu_home_care"  # 长春金秋居家养老服务中心
MORAL_CULTURE_ASSOCIATION = "moral_culture_assoc"  # 吉林省道德传统文化协会

SOCIAL_GROUP = "social_group"
PRIVATE_NON_ENTERPRISE = "private_non_enterprise"
FOUNDATION = "foundation"
_SG, _PNE, _FDN = SOCIAL_GROUP, PRIVATE_NON_ENTERPRISE, FOUNDATION

_FIELDS = (
    "key",
    "name",
    "type",
    "district",
    "street",
    "road",  # becomes "address": 长春市 + district + road
    "legal_representative",
    "contact_person",
    "contact_phone",
    "full_time_staff",
    "established_on",
    "registered_on",
)

# One organization per two lines:
#   key, name, type, district, street,
#   road and number, legal representative, contact person, phone, staff, established, registered
# fmt: off
_ROWS_BY_INDUSTRY = {
    "elderly_care": [
        ("elderly_care_assoc", "长春市养老服务业协会", _SG, "朝阳区", "红旗街道",
         "红旗街618号", "孙立新", "高丽娟", "0431-85961208", 6, "2012-09-20", "2012-09-26"),
        ("jinglao_foundation", "长春市敬老助老基金会", _FDN, "南关区", "民康街道",
         "民康路366号", "周振国", "吴雅琴", "0431-88926315", 3, "2016-03-10", "2016-03-17"),
        ("zhiai_nursing_home", "长春至爱护理院", _PNE, "朝阳区", "湖西街道",
         "湖西路1299号", "李春华", "王晓丹", "0431-85676580", 46, "2010-06-18", "2010-06-25"),
        ("zhiai_home_care", "长春市至爱居家养老服务中心", _PNE, "朝阳区", "湖西街道",
         "湖西路1301号", "赵婉婷", "刘佳", "13504316728", 12, "2014-04-15", "2014-04-22"),
        ("jinqiu_home_care", "长春金秋居家养老服务中心", _PNE, "南关区", "自强街道",
         "自强街1526号", "杨秋菊", "郑海燕", "13944087215", 8, "2013-08-06", "2013-08-12"),
        ("kangle_home_care", "长春市康乐居家养老服务中心", _PNE, "朝阳区", "湖西街道",
         "湖西路856号", "张玉梅", "马丽", "15904318862", 9, "2015-05-12", "2015-05-19"),
        ("yiyang_home_care", "长春市颐养居家养老服务中心", _PNE, "朝阳区", "湖西街道",
         "湖西路1088号", "陈国庆", "韩雪", "18643120597", 7, "2016-07-04", "2016-07-08"),
        ("fushou_elderly_home", "长春市福寿养老院", _PNE, "朝阳区", "重庆街道",
         "重庆路905号", "王德胜", "徐桂兰", "0431-88512746", 28, "2008-04-22", "2008-04-28"),
        ("kangning_nursing_home", "长春市康宁护理院", _PNE, "朝阳区", "桂林街道",
         "桂林路422号", "刘永刚", "林静", "0431-85263391", 35, "2011-10-11", "2011-10-18"),
        ("nanhu_apartment", "长春市南湖老年公寓", _PNE, "朝阳区", "南湖街道",
         "工农大路2218号", "黄建华", "宋晓梅", "13756009321", 24, "2007-09-03", "2007-09-10"),
        ("yongchang_home_care", "长春市永昌居家养老服务中心", _PNE, "朝阳区", "永昌街道",
         "永昌路177号", "吴淑珍", "董亮", "15043077164", 6, "2017-03-20", "2017-03-24"),
        ("hemu_elderly_home", "长春市和睦养老院", _PNE, "朝阳区", "红旗街道",
         "红旗街1032号", "郭振华", "于红", "0431-85390472", 22, "2012-05-16", "2012-05-23"),
        ("xiyanghong_apartment", "长春市夕阳红老年公寓", _PNE, "南关区", "自强街道",
         "自强街1488号", "赵秀兰", "曹文博", "0431-88655127", 31, "2006-11-08", "2006-11-15"),
        ("yihe_nursing_home", "长春市颐和护理院", _PNE, "南关区", "自强街道",
         "自强街1610号", "钱志强", "蒋丽华", "13843195006", 40, "2013-03-25", "2013-04-01"),
        ("ankang_home_care", "长春市安康居家养老服务中心", _PNE, "南关区", "民康街道",
         "民康路512号", "孙桂香", "卢娜", "18686473290", 10, "2014-09-09", "2014-09-16"),
        ("songhe_elderly_home", "长春市松鹤养老院", _PNE, "南关区", "永吉街道",
         "永吉街233号", "马成林", "袁媛", "0431-88702163", 26, "2005-09-12", "2005-09-19"),
        ("leling_home_care", "长春市乐龄居家养老服务中心", _PNE, "南关区", "全安街道",
         "全安街97号", "何丽萍", "邓磊", "17390112486", 5, "2017-06-12", "2017-06-16"),
        ("fuze_home_care", "长春市福泽居家养老服务中心", _PNE, "南关区", "新春街道",
         "新春街305号", "谢宝山", "冯晓燕", "15584315739", 7, "2015-10-19", "2015-10-23"),
        ("tianlun_nursing_home", "长春市天伦护理院", _PNE, "南关区", "南岭街道",
         "人民大街7168号", "唐文彬", "沈艳", "0431-85374819", 38, "2010-04-07", "2010-04-14"),
        ("renai_nursing_home", "长春市仁爱护理院", _PNE, "宽城区", "站前街道",
         "长白路388号", "罗秀梅", "彭程", "0431-82716530", 33, "2011-07-26", "2011-08-02"),
        ("baihe_home_care", "长春市百合居家养老服务中心", _PNE, "宽城区", "站前街道",
         "长白路526号", "梁淑芬", "苏静", "13689801547", 8, "2015-01-13", "2015-01-20"),
        ("xiaohe_home_care", "长春市孝和居家养老服务中心", _PNE, "宽城区", "站前街道",
         "长白路172号", "宋德才", "蔡丽丽", "18844196023", 6, "2016-11-02", "2016-11-09"),
        ("changbai_apartment", "长春市长白老年公寓", _PNE, "宽城区", "群英街道",
         "群英路265号", "郑国华", "贾鹏", "0431-82953684", 19, "2008-08-18", "2008-08-25"),
        ("yikang_elderly_home", "长春市怡康养老院", _PNE, "宽城区", "凯旋街道",
         "凯旋路1156号", "韩凤琴", "丁宇", "15948305821", 27, "2012-12-04", "2012-12-11"),
        ("wanqing_home_care", "长春市晚晴居家养老服务中心", _PNE, "宽城区", "柳影街道",
         "柳影路89号", "冯宝华", "魏冬梅", "13331766902", 5, "2016-04-25", "2016-04-29"),
        ("aiwan_service_club", "长春市爱晚老年服务社", _PNE, "宽城区", "南广街道",
         "胜利大街715号", "于春玲", "薛强", "0431-82764105", 4, "2017-02-14", "2017-02-21"),
        ("dongsheng_apartment", "长春市东盛老年公寓", _PNE, "二道区", "东盛街道",
         "东盛大街2366号", "董立军", "叶倩", "0431-84617289", 21, "2007-05-21", "2007-05-28"),
        ("defu_nursing_home", "长春市德福护理院", _PNE, "二道区", "东盛街道",
         "东盛大街1820号", "萧桂荣", "阎明", "13596061834", 36, "2012-03-06", "2012-03-13"),
        ("jixiang_home_care", "长春市吉祥居家养老服务中心", _PNE, "二道区", "东盛街道",
         "东盛大街967号", "程淑英", "余海", "18946712358", 7, "2015-08-17", "2015-08-21"),
        ("rongguang_elderly_home", "长春市荣光养老院", _PNE, "二道区", "荣光街道",
         "荣光路448号", "曹长江", "潘玉洁", "0431-84952370", 18, "2009-06-15", "2009-06-22"),
        ("yuanda_home_care", "长春市远达居家养老服务中心", _PNE, "二道区", "远达街道",
         "远达大街3021号", "袁丽君", "杜鑫", "15754316284", 6, "2016-09-05", "2016-09-12"),
        ("yishou_elderly_home", "长春市益寿养老院", _PNE, "二道区", "八里堡街道",
         "东环城路2677号", "邓玉兰", "戴军", "0431-84780936", 25, "2010-10-20", "2010-10-27"),
        ("chunhui_nursing_home", "长春市春晖护理院", _PNE, "绿园区", "春城街道",
         "春城大街1405号", "许建国", "夏雨", "0431-87651294", 42, "2011-05-09", "2011-05-16"),
        ("xinyuan_home_care", "长春市馨园居家养老服务中心", _PNE, "绿园区", "春城街道",
         "春城大街1288号", "傅秀珍", "钟晓光", "13604426719", 9, "2014-06-23", "2014-06-27"),
        ("yinling_home_care", "长春市银龄居家养老服务中心", _PNE, "绿园区", "春城街道",
         "春城大街930号", "沈文华", "汪洋", "17704318850", 5, "2017-05-08", "2017-05-12"),
        ("puyang_apartment", "长春市普阳老年公寓", _PNE, "绿园区", "普阳街道",
         "普阳街1833号", "曾庆福", "田甜", "0431-87925063", 16, "2009-03-30", "2009-04-07"),
        ("tongxin_home_care", "长春市同心居家养老服务中心", _PNE, "绿园区", "青年路街道",
         "青年路567号", "彭淑兰", "任杰", "15164397042", 6, "2015-12-07", "2015-12-14"),
        ("yunshan_elderly_home", "长春市云山养老院", _PNE, "双阳区", "云山街道",
         "云山路126号", "吕振海", "姜慧", "0431-84229316", 14, "2012-07-02", "2012-07-09"),
        ("donghu_care_center", "长春市东湖康养中心", _PNE, "九台区", "东湖街道",
         "东湖大街408号", "苏凤芝", "范博", "13069235481", 12, "2016-05-16", "2016-05-20"),
        ("huanglong_apartment", "长春市黄龙老年公寓", _PNE, "农安县", "农安镇",
         "黄龙路233号", "卢长顺", "方舟", "0431-83221547", 11, "2013-11-11", "2013-11-18"),
        ("huachang_elderly_home", "长春市华昌养老院", _PNE, "榆树市", "华昌街道",
         "华昌路76号", "蒋玉芬", "石磊", "18243109765", 13, "2014-02-17", "2014-02-24"),
        ("fukang_elderly_home", "长春市福康养老院", _PNE, "德惠市", "胜利街道",
         "胜利街352号", "蔡德明", "姚佳琪", "0431-87218460", 15, "2011-02-28", "2011-03-07"),
    ],
    "social_work": [
        ("social_workers_assoc", "长春市社会工作者协会", _SG, "朝阳区", "清和街道",
         "清和街55号", "孔令伟", "白雪", "0431-85106637", 5, "2011-12-12", "2011-12-19"),
        ("yangguang_sw", "长春市阳光社会工作服务中心", _PNE, "朝阳区", "清和街道",
         "清和街217号", "崔海涛", "康丽", "13514409826", 9, "2013-06-17", "2013-06-21"),
        ("xinyu_sw", "长春市心语社会工作服务中心", _PNE, "朝阳区", "前进街道",
         "前进大街1766号", "毛雅楠", "邱爽", "15526883041", 7, "2014-10-13", "2014-10-17"),
        ("qihang_sw", "长春市启航社会工作服务中心", _PNE, "南关区", "曙光街道",
         "曙光路341号", "秦晓峰", "江涛", "18604405172", 11, "2015-03-02", "2015-03-09"),
        ("tongxing_sw", "长春市同行社会工作服务中心", _PNE, "南关区", "长通街道",
         "长通路158号", "史佳慧", "顾晨", "0431-88461950", 6, "2015-07-20", "2015-07-24"),
        ("chuncheng_sw", "长春市春城社会工作服务中心", _PNE, "绿园区", "青年路街道",
         "青年路1210号", "侯振宇", "邵婷", "13159402768", 8, "2014-01-06", "2014-01-13"),
        ("boai_sw_office", "长春市博爱社工事务所", _PNE, "宽城区", "东广街道",
         "东三条街62号", "孟凡荣", "龙飞", "0431-82395716", 5, "2016-02-22", "2016-02-26"),
        ("xiwang_sw", "长春市希望社会工作服务中心", _PNE, "宽城区", "新发街道",
         "新发路413号", "万丽霞", "段鹏飞", "17614408239", 4, "2017-04-10", "2017-04-14"),
        ("shanxing_sw", "长春市善行社会工作服务中心", _PNE, "二道区", "吉林街道",
         "吉林大路1543号", "雷志刚", "钱丽", "15643125904", 10, "2013-09-23", "2013-09-27"),
        ("yiyou_sw_office", "长春市益友社工事务所", _PNE, "二道区", "东站街道",
         "东站街236号", "汤美玲", "尹浩然", "0431-84686023", 3, "2016-08-15", "2016-08-19"),
        ("nuanxin_sw", "长春市暖心社会工作服务中心", _PNE, "朝阳区", "富锋街道",
         "富锋大街118号", "黎文杰", "易晓楠", "18704419307", 6, "2015-11-30", "2015-12-04"),
        ("zhonghe_sw", "长春市众合社会工作服务中心", _PNE, "南关区", "桃源街道",
         "桃源路82号", "常玉龙", "武静", "13364317580", 7, "2014-05-26", "2014-05-30"),
        ("hexie_sw", "长春市和谐家园社会工作服务中心", _PNE, "宽城区", "兴业街道",
         "兴业街1207号", "乔建平", "贺楠", "0431-82648871", 12, "2012-11-19", "2012-11-23"),
        ("qinghe_sw", "长春市青禾社会工作服务社", _PNE, "绿园区", "普阳街道",
         "普阳街702号", "赖春梅", "龚宇航", "15981006432", 4, "2017-01-09", "2017-01-13"),
    ],
    "community": [
        ("community_assoc", "长春市社区服务协会", _SG, "南关区", "鸿城街道",
         "鸿城街166号", "文振东", "王海波", "0431-81916538", 4, "2008-06-10", "2008-06-17"),
        ("volunteer_assoc", "长春市社区志愿者协会", _SG, "朝阳区", "南站街道",
         "延安大街1209号", "李志远", "张慧敏", "13904317652", 3, "2013-04-08", "2013-04-12"),
        ("linli_community", "长春市邻里社区服务中心", _PNE, "宽城区", "柳影街道",
         "柳影路312号", "刘晓东", "陈丽娜", "18943103826", 8, "2014-08-11", "2014-08-15"),
        ("hemei_community", "长春市和美社区发展服务中心", _PNE, "二道区", "八里堡街道",
         "东环城路1890号", "杨振华", "赵欣", "0431-84327615", 6, "2016-06-06", "2016-06-13"),
        ("community_edu_society", "长春市社区教育研究会", _SG, "南关区", "明珠街道",
         "明珠路208号", "黄德平", "周琳", "15643189027", 3, "2010-09-14", "2010-09-21"),
        ("xingfu_community", "长春市幸福社区服务社", _PNE, "九台区", "九台街道",
         "新华大街866号", "吴国强", "徐丹", "0431-82399207", 5, "2015-04-20", "2015-04-24"),
    ],
    "affairs": [
        ("funeral_assoc", "长春市殡葬协会", _SG, "二道区", "荣光街道",
         "荣光路1061号", "孙德福", "胡玉", "0431-84613592", 4, "2006-05-15", "2006-05-22"),
        ("marriage_society", "长春市婚姻家庭研究会", _SG, "朝阳区", "桂林街道",
         "桂林路1037号", "朱春燕", "高鹏", "13843078261", 3, "2009-11-23", "2009-11-30"),
        ("family_counseling", "长春市婚姻家庭辅导服务中心", _PNE, "朝阳区", "桂林街道",
         "桂林路689号", "林雅琴", "何畅", "18626641590", 7, "2016-10-17", "2016-10-21"),
        ("relief_volunteer", "长春市救助志愿服务中心", _PNE, "宽城区", "凯旋街道",
         "凯旋路608号", "罗永生", "梁爽", "0431-82911436", 5, "2015-06-29", "2015-07-03"),
    ],
    "civil_org_management": [
        ("org_promotion_assoc", "长春市社会组织促进会", _SG, "朝阳区", "重庆街道",
         "重庆路1255号", "宋建军", "郑欣怡", "0431-88775820", 5, "2014-12-01", "2014-12-05"),
        ("org_evaluation_center", "长春市社会组织评估服务中心", _PNE, "朝阳区", "重庆街道",
         "重庆路1167号", "谢立华", "韩梅", "13578941206", 6, "2016-12-19", "2016-12-23"),
    ],
    "hub": [
        ("org_federation", "长春市社会组织联合会", _SG, "南关区", "全安街道",
         "全安街1502号", "唐志远", "冯娇", "0431-88907314", 7, "2015-09-14", "2015-09-18"),
        ("incubator_center", "长春市公益组织孵化服务中心", _PNE, "绿园区", "青年路街道",
         "青年路891号", "许芳", "于洋", "15143085317", 9, "2016-03-28", "2016-04-01"),
    ],
    "other": [
        ("moral_culture_assoc", "吉林省道德传统文化协会", _SG, "南关区", "自强街道",
         "自强街1550号", "金宝林", "陆晓红", "13630518729", 4, "2015-08-03", "2015-08-10"),
    ],
}
# fmt: on

# Bodies of the real codes in domain.md R-ID-1, kept free for tests.
_RESERVED_ORG_CODE_BODIES = frozenset({"MJ417084", "MJ375935"})


def _org_code_body(key, taken):
    """Return "MJ" + 6 digits derived from the key alone, so adding or reordering rows never
    changes another organization's code; on a clash, step to the next free number."""
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % 200_000
    while f"MJ{300_000 + number:06d}" in taken:
        number = (number + 1) % 200_000
    return f"MJ{300_000 + number:06d}"


def _build():
    organizations = []
    taken = set(_RESERVED_ORG_CODE_BODIES)
    for industry, rows in _ROWS_BY_INDUSTRY.items():
        for row in rows:
            fields = dict(zip(_FIELDS, row, strict=True))
            body = _org_code_body(fields["key"], taken)
            taken.add(body)
            organizations.append(
                {
                    "key": fields["key"],
                    "name": fields["name"],
                    "type": fields["type"],
                    "industry": industry,
                    "supervisory_unit": SUPERVISORY_UNIT_BY_INDUSTRY[industry],
                    "district": fields["district"],
                    "street": fields["street"],
                    "address": f"长春市{fields['district']}{fields['road']}",
                    "legal_representative": fields["legal_representative"],
                    "contact_person": fields["contact_person"],
                    "contact_phone": fields["contact_phone"],
                    "full_time_staff": fields["full_time_staff"],
                    "established_on": fields["established_on"],
                    "registered_on": fields["registered_on"],
                    "org_code_body": body,
                }
            )
    return organizations


ORGANIZATIONS = _build()
ORGANIZATIONS_BY_KEY = {org["key"]: org for org in ORGANIZATIONS}

_PHONE_RE = re.compile(r"1(3\d|4[579]|5[0-35-9]|7[35-8]|8\d|9[189])\d{8}|0431-8\d{7}")
_KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
_ORG_CODE_BODY_RE = re.compile(r"MJ\d{6}")


def _check():
    """Assert the invariants other code relies on; raises AssertionError on the first failure."""
    orgs = ORGANIZATIONS
    assert len(orgs) == 71, len(orgs)
    for field in ("key", "name", "contact_phone", "org_code_body"):
        values = [org[field] for org in orgs]
        duplicates = sorted(v for v, n in Counter(values).items() if n > 1)
        assert not duplicates, (field, duplicates)

    industries = Counter(org["industry"] for org in orgs)
    assert set(industries) == {code for code, _ in INDUSTRIES}, industries
    assert sum(industries.values()) == 71, industries
    assert industries["social_work"] == 14, industries
    assert industries["elderly_care"] >= 41, industries

    unit_keys = {unit["key"] for unit in SUPERVISORY_UNITS}
    for org in orgs:
        key = org["key"]
        assert _KEY_RE.fullmatch(key), key
        assert org["type"] in (SOCIAL_GROUP, PRIVATE_NON_ENTERPRISE, FOUNDATION), key
        assert org["supervisory_unit"] in unit_keys, key
        assert org["street"] in STREETS_BY_DISTRICT[org["district"]], key
        assert org["address"].startswith(f"长春市{org['district']}"), key
        assert _PHONE_RE.fullmatch(org["contact_phone"]), key
        assert _ORG_CODE_BODY_RE.fullmatch(org["org_code_body"]), key
        assert org["org_code_body"] not in _RESERVED_ORG_CODE_BODIES, key
        assert isinstance(org["full_time_staff"], int) and org["full_time_staff"] > 0, key
        established = date.fromisoformat(org["established_on"])
        registered = date.fromisoformat(org["registered_on"])
        assert 2005 <= established.year <= 2017, key
        assert 0 <= (registered - established).days <= 14, key

    by_key = ORGANIZATIONS_BY_KEY
    expected_names = {
        SOCIAL_WORK_LEAD: "长春市社会工作者协会",
        ELDERLY_CARE_LEAD: "长春市养老服务业协会",
        ZHIAI_HOME_CARE: "长春市至爱居家养老服务中心",
        ZHIAI_NURSING_HOME: "长春至爱护理院",
        JINQIU_HOME_CARE: "长春金秋居家养老服务中心",
        MORAL_CULTURE_ASSOCIATION: "吉林省道德传统文化协会",
    }
    for key, name in expected_names.items():
        assert by_key[key]["name"] == name, key
    assert by_key[SOCIAL_WORK_LEAD]["industry"] == "social_work"
    assert by_key[ELDERLY_CARE_LEAD]["industry"] == "elderly_care"
    assert by_key[ZHIAI_HOME_CARE]["established_on"].startswith("2014")
    assert by_key[ZHIAI_NURSING_HOME]["full_time_staff"] >= 30  # 8 staff Party members
    # The 金秋 joint branch is by location (驻地相邻): same street.
    assert by_key[JINQIU_HOME_CARE]["street"] == by_key[MORAL_CULTURE_ASSOCIATION]["street"]


if __name__ == "__main__":
    _check()
    counts = Counter(org["industry"] for org in ORGANIZATIONS)
    print(f"OK: {len(ORGANIZATIONS)} organizations")
    for code, label in INDUSTRIES:
        print(f"  {code:<22} {label:<4} {counts[code]}")
