"""Words the scale data is made of: organization name parts, supervisory units of a province,
regions of ID numbers. Pure data."""

# (name suffix, industry code, organization type). Each suffix names one industry and one type,
# so a name says what the organization is, and distinct suffixes keep names distinct.
SUFFIXES = [
    ("居家养老服务中心", "elderly_care", "private_non_enterprise"),
    ("养老院", "elderly_care", "private_non_enterprise"),
    ("护理院", "elderly_care", "private_non_enterprise"),
    ("老年公寓", "elderly_care", "private_non_enterprise"),
    ("日间照料中心", "elderly_care", "private_non_enterprise"),
    ("康养服务中心", "elderly_care", "private_non_enterprise"),
    ("老年协会", "elderly_care", "social_group"),
    ("养老服务协会", "elderly_care", "social_group"),
    ("敬老基金会", "elderly_care", "foundation"),
    ("社会工作服务中心", "social_work", "private_non_enterprise"),
    ("社工事务所", "social_work", "private_non_enterprise"),
    ("社会工作者协会", "social_work", "social_group"),
    ("志愿者协会", "social_work", "social_group"),
    ("社区服务中心", "community", "private_non_enterprise"),
    ("社区文化服务中心", "community", "private_non_enterprise"),
    ("邻里互助会", "community", "social_group"),
    ("家政服务协会", "community", "social_group"),
    ("社区发展基金会", "community", "foundation"),
    ("婚姻家庭服务中心", "affairs", "private_non_enterprise"),
    ("救助服务中心", "affairs", "private_non_enterprise"),
    ("殡葬服务协会", "affairs", "social_group"),
    ("慈善协会", "affairs", "social_group"),
    ("慈善基金会", "affairs", "foundation"),
    ("社会组织服务中心", "civil_org_management", "private_non_enterprise"),
    ("社会组织促进会", "civil_org_management", "social_group"),
    ("商会", "civil_org_management", "social_group"),
    ("社会组织联合会", "hub", "social_group"),
    ("社会组织孵化基地", "hub", "private_non_enterprise"),
    ("文化艺术协会", "other", "social_group"),
    ("体育协会", "other", "social_group"),
    ("书法家协会", "other", "social_group"),
    ("摄影家协会", "other", "social_group"),
    ("科普协会", "other", "social_group"),
    ("职业培训学校", "other", "private_non_enterprise"),
    ("幼儿园", "other", "private_non_enterprise"),
    ("教育基金会", "other", "foundation"),
]

FIRST_WORDS = (
    "康乐 和美 福寿 安康 阳光 春晖 晨曦 明德 博爱 仁和 惠民 永安 瑞祥 吉祥 长青 松鹤 金秋 夕阳 "
    "同心 友爱 温馨 雅居 颐和 乐龄 暖心 爱心 善德 厚德 启航 希望 正阳 华泰 鸿运 恒信 嘉禾 锦程 "
    "长白 松花 净月 南湖 北湖 东盛 西苑 青松 翠竹 兰亭 梅园 枫林 杏林 桃源 星辰 朝阳 明珠 新城 "
    "泰和 润泽 祥云 春雨"
).split()
SECOND_WORDS = (
    "之家 家园 苑 坊 堂 里 源 园 居 轩 阁 庭 港 湾 谷 苑区 天地 时光 年华 人家 益友 伙伴 "
    "春秋 晚霞 映红 益民 助老 康宁 怡然 乐园 心语 善行 德馨 安居 宜家 和谐 共享 同行 相伴 守望 "
    "常青 长乐 久安 百合 向日 晴川 沐阳 清风 明月 云帆 "
).split()

CITIES = ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边州"]
DEPARTMENTS = [
    ("民政局养老服务处", True),
    ("民政局社会工作处", True),
    ("民政局基层政权和社区建设处", True),
    ("民政局社会事务处", True),
    ("民政局社会组织管理局", True),
    ("教育局", False),
    ("科学技术局", False),
    ("工业和信息化局", False),
    ("司法局", False),
    ("财政局", False),
    ("人力资源和社会保障局", False),
    ("自然资源局", False),
    ("生态环境局", False),
    ("住房和城乡建设局", False),
    ("交通运输局", False),
    ("农业农村局", False),
    ("商务局", False),
    ("文化广播电视和旅游局", False),
    ("卫生健康委员会", False),
    ("退役军人事务局", False),
    ("应急管理局", False),
    ("市场监督管理局", False),
    ("体育局", False),
    ("统计局", False),
    ("医疗保障局", False),
    ("科学技术协会", False),
    ("文学艺术界联合会", False),
    ("工商业联合会", False),
    ("妇女联合会", False),
    ("共青团委员会", False),
    ("残疾人联合会", False),
    ("总工会", False),
]

# County-level regions of Jilin province (GB/T 2260), positions 1-6 of a resident ID number.
ID_REGIONS = (
    "220102 220103 220104 220105 220106 220112 220113 220122 220182 220183 220202 220203 "
    "220204 220211 220221 220281 220302 220303 220322 220382 220402 220403 220502 220503 "
    "220602 220605 220702 220721 220802 220881 222401 222402 222403 222404"
).split()

ROADS = "人民大街 解放大路 自由大路 亚泰大街 南湖大路 卫星路 前进大街 东盛大街 西安大路".split()
EDUCATION_WEIGHTS = [
    ("postgraduate", 1),
    ("bachelor", 5),
    ("junior_college", 4),
    ("secondary", 2),
    ("junior_high_or_below", 1),
]
DISPATCH_UNITS = [
    "非公和社会组织党工委",
    "民政局机关党委",
    "街道党工委",
    "社区党委",
    "社会组织综合党委",
]
