"""Reference data every bureau starts with: the article's lines of civil-affairs work and the
default Party-building body. Used by the data migration and by tests that flush the database."""

INDUSTRIES = [
    ("elderly_care", "养老", 10),
    ("social_work", "社工", 20),
    ("community", "社区", 30),
    ("affairs", "事务", 40),
    ("civil_org_management", "民管", 50),
    ("hub", "枢纽型", 60),
    ("other", "其他", 90),
]
DEFAULT_BODY = "非公和社会组织党工委"


def create_all(apps) -> None:
    """Everything a fresh install has before any user acts (tests that flush call this)."""
    create_reference_data(apps)
    create_registration_template(apps)


def create_reference_data(apps) -> None:
    """Idempotent. `apps` is the migration's app registry, or django.apps.apps."""
    Industry = apps.get_model("registry", "Industry")
    PartyBuildingBody = apps.get_model("registry", "PartyBuildingBody")
    for code, name, sort_order in INDUSTRIES:
        Industry.objects.get_or_create(code=code, defaults={"name": name, "sort_order": sort_order})
    if not PartyBuildingBody.objects.filter(is_default=True).exists():
        PartyBuildingBody.objects.get_or_create(name=DEFAULT_BODY, defaults={"is_default": True})


# R-REG-1: the clause of the Ministry of Civil Affairs' model charters (示范文本).
PARTY_BUILDING_CLAUSE = (
    "本组织坚持中国共产党的全面领导，根据中国共产党章程的规定，设立中国共产党的组织，"
    "开展党的活动，为党组织的活动提供必要条件。"
)

CHARTER_TEMPLATE = """{name}章程

第一章　总则

第一条　本组织的名称为{name}。

第二条　本组织是依法登记的非营利性社会组织，遵守宪法、法律、法规和国家政策，践行社会主义核心价值观，遵守社会道德风尚。

第三条　本组织的宗旨是：（请填写本组织的宗旨）。

第四条　{clause}

第五条　本组织接受业务主管单位、登记管理机关的业务指导和监督管理，接受党建工作机构的领导。

第二章　业务范围

第六条　本组织的业务范围：（请逐项填写）。

第三章　组织机构和负责人

第七条　本组织设理事会（或董事会），理事会是本组织的决策机构，对登记管理机关负责。

第八条　本组织的法定代表人由理事长（院长、主任）担任。

第四章　资产管理、使用原则

第九条　本组织的收入及其使用情况依法接受审计和监督，不得在成员中分配。

第五章　终止程序及终止后的财产处理

第十条　本组织终止前，须在业务主管单位和有关机关指导下成立清算组织，清理债权债务，处理善后事宜。

第六章　附则

第十一条　本章程经理事会表决通过，自登记管理机关核准之日起生效。
"""

PLEDGE_TEXT = """社会组织党建工作承诺书

{name}郑重承诺：

一、坚持中国共产党的全面领导，把党建工作要求写入章程，自觉接受党建工作机构的领导和指导。

二、如实填报《新建社会组织党员情况表》，党员人数发生变化时及时报告。

三、具有正式党员3名以上的，按规定单独建立党组织；不足3名的，按照行业相同、驻地相邻等原则参加联合党组织；暂无党员的，接受派驻党建指导员的指导，积极培养和发展党员。

四、为党组织开展活动提供必要的场所、经费和时间保障，支持党员发挥先锋模范作用。

五、在年度检查、等级评估中如实报告党建工作情况，对发现的问题按时整改。

如违反上述承诺，愿意承担相应责任。
"""


def create_registration_template(apps) -> None:
    """Idempotent: the bureau's first registration texts, which clerks then edit."""
    RegistrationTemplate = apps.get_model("registry", "RegistrationTemplate")
    if not RegistrationTemplate.objects.exists():
        RegistrationTemplate.objects.create(
            charter_template=CHARTER_TEMPLATE.replace("{clause}", PARTY_BUILDING_CLAUSE),
            party_building_clause=PARTY_BUILDING_CLAUSE,
            pledge_text=PLEDGE_TEXT,
        )
