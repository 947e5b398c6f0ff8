"""The Knowledge Hub's real content: themes, ILO regions, organisations and resources named by the seeds."""

from django.utils.html import escape

from core.loading import adder
from core.permissions import CONTENT_LOADER

from . import services
from .launch_release import PARAGRAPHS_AR, PARAGRAPHS_EN, TITLE_AR
from .models import Organisation, Region, Resource, Theme

# The shipped content is written as the content loader, through the services.
add_missing = adder(services.save_object, actor=CONTENT_LOADER)

THEMES = [
    (
        "care-economy",
        "Care economy",
        "اقتصاد الرعاية",
        "Paid and unpaid care work that supports people's wellbeing, long undervalued and underfunded.",
        "عمل الرعاية المدفوع الأجر وغير المدفوع الأجر الذي يدعم رفاه الأفراد، والذي طالما قُدّر بأقل من قيمته وعانى من نقص التمويل.",
    ),
    (
        "social-solidarity-economy",
        "Social and solidarity economy",
        "الاقتصاد الاجتماعي والتضامني",
        "Cooperatives, mutuals, associations, foundations, social enterprises and other entities guided by SSE values.",
        "التعاونيات والجمعيات التعاضدية والجمعيات والمؤسسات والمنشآت الاجتماعية وغيرها من الكيانات التي تسترشد بقيم الاقتصاد الاجتماعي والتضامني.",
    ),
    (
        "gender-equality",
        "Gender equality",
        "المساواة بين الجنسين",
        "Equality of opportunity and treatment for women and men, and non-discrimination.",
        "المساواة في الفرص والمعاملة بين النساء والرجال، وعدم التمييز.",
    ),
    (
        "decent-work-care-workers",
        "Decent work for care workers",
        "العمل اللائق للعاملين في مجال الرعاية",
        "Rewarding care workers with more and decent jobs, and guaranteeing their representation and social dialogue (the ILO 5R framework).",
        "مكافأة العاملين في مجال الرعاية بوظائف أكثر ولائقة، وضمان تمثيلهم والحوار الاجتماعي (إطار منظمة العمل الدولية للعناصر الخمسة).",
    ),
    (
        "social-protection",
        "Social protection",
        "الحماية الاجتماعية",
        "Care-related social protection: leave policies, long-term care, benefits for carers.",
        "الحماية الاجتماعية المتصلة بالرعاية: سياسات الإجازات والرعاية الطويلة الأجل والاستحقاقات لمقدمي الرعاية.",
    ),
    (
        "financing",
        "Financing",
        "التمويل",
        "Funding gaps and resource mobilization for care systems and the social and solidarity economy.",
        "فجوات التمويل وحشد الموارد لأنظمة الرعاية والاقتصاد الاجتماعي والتضامني.",
    ),
    (
        "informality",
        "Informality",
        "الطابع غير المنظم",
        "The transition from the informal to the formal economy.",
        "الانتقال من الاقتصاد غير المنظم إلى الاقتصاد المنظم.",
    ),
    (
        "south-south-triangular-cooperation",
        "South–South and triangular cooperation",
        "التعاون فيما بين بلدان الجنوب والتعاون الثلاثي",
        "Countries of the Global South learning from each other, with the support of traditional partners and international organizations.",
        "تعلّم بلدان الجنوب العالمي من بعضها البعض، بدعم من الشركاء التقليديين والمنظمات الدولية.",
    ),
    (
        "statistics",
        "Statistics",
        "الإحصاءات",
        "Measuring care work and the social and solidarity economy.",
        "قياس عمل الرعاية والاقتصاد الاجتماعي والتضامني.",
    ),
    (
        "research-knowledge",
        "Research and knowledge management",
        "البحوث وإدارة المعارف",
        "Research, evidence and the sharing of knowledge and good practices.",
        "البحوث والأدلة وتبادل المعارف والممارسات الجيدة.",
    ),
    (
        "capacity-development",
        "Capacity development",
        "تنمية القدرات",
        "Training and peer learning for constituents and practitioners.",
        "التدريب والتعلّم من الأقران للهيئات المكونة والممارسين.",
    ),
    (
        "policy-coherence",
        "Policy coherence",
        "اتساق السياسات",
        "Coherent policies, programmes and budgets across institutions.",
        "اتساق السياسات والبرامج والميزانيات بين المؤسسات.",
    ),
    (
        "social-dialogue",
        "Social dialogue and tripartism",
        "الحوار الاجتماعي والهيكل الثلاثي",
        "Governments, employers' and workers' organizations shaping policy together.",
        "مشاركة الحكومات ومنظمات أصحاب العمل ومنظمات العمال في صياغة السياسات.",
    ),
]

# The ILO's five regions and their member States (ISO 3166-1 alpha-2).
REGIONS = [
    (
        "africa",
        "Africa",
        "أفريقيا",
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TN TZ UG ZA ZM ZW",
    ),
    (
        "americas",
        "Americas",
        "الأمريكتان",
        "AG AR BB BO BR BS BZ CA CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA PE PY SR SV TT US UY VC VE",
    ),
    ("arab-states", "Arab States", "الدول العربية", "AE BH IQ JO KW LB OM PS QA SA SY YE"),
    (
        "asia-pacific",
        "Asia and the Pacific",
        "آسيا والمحيط الهادئ",
        "AF AU BD BN CK FJ ID IN IR JP KH KI KR LA LK MH MM MN MV MY NP NZ PG PH PK PW SB SG TH TL TO TV VN VU WS CN",
    ),
    (
        "europe-central-asia",
        "Europe and Central Asia",
        "أوروبا وآسيا الوسطى",
        "AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IL IS IT KG KZ LT LU LV MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM TJ TM TR UA UZ",
    ),
]

ORGANISATIONS = [
    (
        "ilo",
        "International Labour Organization",
        "منظمة العمل الدولية",
        "ILO",
        "un_agency",
        "",
        "https://www.ilo.org",
    ),
    (
        "itc-ilo",
        "International Training Centre of the ILO",
        "مركز التدريب الدولي التابع لمنظمة العمل الدولية",
        "ITC-ILO",
        "un_agency",
        "IT",
        "https://www.itcilo.org",
    ),
    (
        "giz",
        "Deutsche Gesellschaft für Internationale Zusammenarbeit",
        "الوكالة الألمانية للتعاون الدولي",
        "GIZ",
        "development_partner",
        "DE",
        "https://www.giz.de",
    ),
    (
        "abc-brazil",
        "Brazilian Cooperation Agency",
        "الوكالة البرازيلية للتعاون",
        "ABC",
        "government",
        "BR",
        "https://www.gov.br/abc",
    ),
    (
        "afdb",
        "African Development Bank",
        "البنك الأفريقي للتنمية",
        "AfDB",
        "development_bank",
        "CI",
        "https://www.afdb.org",
    ),
    (
        "qatar-nhrc",
        "National Human Rights Committee of Qatar",
        "اللجنة الوطنية لحقوق الإنسان في قطر",
        "NHRC",
        "government",
        "QA",
        "https://nhrc-qa.org",
    ),
    ("uol", "UOL", "يو أو إل (UOL)", "", "media", "BR", "https://www.uol.com.br"),
    ("gov-brazil", "Government of Brazil", "حكومة البرازيل", "", "government", "BR", ""),
    ("gov-qatar", "Government of the State of Qatar", "حكومة دولة قطر", "", "government", "QA", ""),
    ("gov-canada", "Government of Canada", "حكومة كندا", "", "government", "CA", ""),
    (
        "gov-south-africa",
        "Government of South Africa",
        "حكومة جنوب أفريقيا",
        "",
        "government",
        "ZA",
        "",
    ),
    (
        "social-partners-moldova",
        "Social partners of the Republic of Moldova",
        "الشركاء الاجتماعيون في جمهورية مولدوفا",
        "",
        "social_partners",
        "MD",
        "",
    ),
    (
        "social-partners-honduras",
        "Social partners of Honduras",
        "الشركاء الاجتماعيون في هندوراس",
        "",
        "social_partners",
        "HN",
        "",
    ),
]


def _paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _instrument(  # noqa: PLR0917 - a seed table: each row gives the fields in this order
    title_en,
    title_ar,
    summary_en,
    summary_ar,
    year,
    month,
    themes,
    *,
    kind="legislation",
    url="",
    languages=("en", "ar", "fr", "es"),
):
    # `languages`: the languages the document exists in, or a mapping of each to its online copy
    # ("" when none is known). `url`: an address whose language the seeds do not state.
    return {
        "title_en": title_en,
        "title_ar": title_ar,
        "summary_en": summary_en,
        "summary_ar": summary_ar,
        "resource_type": kind,
        "publisher": "ilo",
        "publication_year": year,
        "publication_month": month,
        "themes": themes,
        "languages": languages,
        "external_url": url,
        "is_global": True,
    }


RESOURCES = [
    {
        "key": "south-4-care-launch-2025",
        "title_en": "ILO opens South-4-Care with global partners to advance decent work in the care economy through South–South and triangular cooperation",
        "title_ar": TITLE_AR,
        "summary_en": "On 1 September 2025 the ILO convened the first global sessions of its South-4-Care platform: an online Knowledge Hub on the Global Care Policy Portal and a biennial Learning Hub with the ITC-ILO, whose first edition runs online from 1 to 11 September and in Doha from 15 to 18 September 2025.",
        "summary_ar": "عقدت منظمة العمل الدولية في ١ أيلول/سبتمبر ٢٠٢٥ أولى الجلسات العالمية لمنصة جنوب من أجل الرعاية: مركز معرفة على الإنترنت في البوابة العالمية لسياسة الرعاية ومركز تعلّم يُنظَّم كل سنتين مع مركز التدريب الدولي، تُعقد نسخته الأولى عبر الإنترنت من ١ إلى ١١ أيلول/سبتمبر وفي الدوحة من ١٥ إلى ١٨ أيلول/سبتمبر ٢٠٢٥.",
        "body_en": _paragraphs(PARAGRAPHS_EN),
        "body_ar": _paragraphs(PARAGRAPHS_AR),
        "resource_type": "news",
        "publisher": "ilo",
        "publication_year": 2025,
        "publication_month": 9,
        "publication_day": 1,
        "themes": [
            "care-economy",
            "south-south-triangular-cooperation",
            "gender-equality",
            "financing",
            "capacity-development",
        ],
        "languages": ("en", "ar"),
        "is_global": True,
        "modality": "south_south",
        "featured": True,
        "countries": ["QA", "BR", "CA", "ZA", "MD", "HN"],
        "regions": ["africa", "americas", "arab-states", "asia-pacific", "europe-central-asia"],
        "licence": "©Jeel Media/ILO (image); © ILO",
    },
    {
        "key": "gb346-sse-strategy-plan-of-action",
        "title_en": "Follow-up to the resolution concerning decent work and the social and solidarity economy: proposed strategy and plan of action 2023–2029",
        "title_ar": "متابعة القرار بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني: الاستراتيجية وخطة العمل المقترحتان للفترة ٢٠٢٣-٢٠٢٩",
        "summary_en": "Governing Body, 346th session, Geneva, October–November 2022, Institutional Section, item 3 (dated 29 September 2022). The strategy rests on three objectives — better understanding, greater capacity and greater coherence — with nine outcomes, five operational principles and resource estimates of about US$37.5 million for 2023–2029.",
        "summary_ar": "مجلس الإدارة، الدورة ٣٤٦، جنيف، تشرين الأول/أكتوبر - تشرين الثاني/نوفمبر ٢٠٢٢، القسم المؤسسي، البند الثالث من جدول الأعمال (بتاريخ ٢٩ أيلول/سبتمبر ٢٠٢٢). تقوم الاستراتيجية على ثلاثة أهداف هي تحسين الفهم وزيادة القدرة وتعزيز الاتساق، مع تسع حصائل وخمسة مبادئ تشغيلية وتقديرات موارد تبلغ نحو ٣٧٫٥ مليون دولار أمريكي للفترة ٢٠٢٣-٢٠٢٩.",
        "resource_type": "policy",
        "publisher": "ilo",
        "publication_year": 2022,
        "publication_month": 9,
        "publication_day": 29,
        "themes": [
            "social-solidarity-economy",
            "research-knowledge",
            "statistics",
            "capacity-development",
            "policy-coherence",
            "financing",
        ],
        "languages": ("en", "ar", "fr", "es"),
        "is_global": True,
    },
    {
        "key": "ilc112-resolution-care-economy",
        **_instrument(
            "Resolution concerning decent work and the care economy",
            "القرار بشأن العمل اللائق واقتصاد الرعاية",
            "Adopted by the International Labour Conference at its 112th session (June 2024). Its 2024–2030 Plan of Action led to the creation of the South-4-Care platform.",
            "اعتمده مؤتمر العمل الدولي في دورته ١١٢ (حزيران/يونيه ٢٠٢٤). وقد أفضت خطة العمل للفترة ٢٠٢٤-٢٠٣٠ المنبثقة عنه إلى إنشاء منصة جنوب من أجل الرعاية.",
            2024,
            6,
            ["care-economy", "decent-work-care-workers", "gender-equality", "social-protection"],
            kind="policy",
        ),
    },
    {
        "key": "ilc110-resolution-sse",
        **_instrument(
            "Resolution concerning decent work and the social and solidarity economy",
            "القرار بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني",
            "Adopted with its conclusions by the International Labour Conference at its 110th session (June 2022); it gives a universal definition of the social and solidarity economy and its principles and values.",
            "اعتمده مؤتمر العمل الدولي مع استنتاجاته في دورته ١١٠ (حزيران/يونيه ٢٠٢٢)؛ وهو يقدّم تعريفاً عالمياً للاقتصاد الاجتماعي والتضامني ومبادئه وقيمه.",
            2022,
            6,
            ["social-solidarity-economy", "social-dialogue", "policy-coherence"],
            kind="policy",
            url="https://www.ilo.org/wcmsp5/groups/public/---ed_norm/---relconf/documents/meetingdocument/wcms_848765.pdf",
        ),
    },
    {
        "key": "r193-promotion-of-cooperatives",
        **_instrument(
            "Promotion of Cooperatives Recommendation, 2002 (No. 193)",
            "توصية تعزيز التعاونيات، ٢٠٠٢ (رقم ١٩٣)",
            "International labour standard on the promotion of cooperatives, cited by the SSE strategy among the instruments recognizing the contribution of the social and solidarity economy.",
            "معيار عمل دولي بشأن تعزيز التعاونيات، تستشهد به استراتيجية الاقتصاد الاجتماعي والتضامني ضمن الصكوك التي تقرّ بمساهمة هذا الاقتصاد.",
            2002,
            6,
            ["social-solidarity-economy"],
            # The seed gives the address of the Arabic text only: the other languages say that
            # no online copy is linked here, rather than open the Arabic PDF.
            languages={
                "ar": "https://www.ilo.org/wcmsp5/groups/public/---ed_norm/---normes/documents/normativeinstrument/wcms_r193_ar.pdf",
                "en": "",
                "fr": "",
                "es": "",
            },
        ),
    },
    {
        "key": "r204-informal-to-formal-economy",
        **_instrument(
            "Transition from the Informal to the Formal Economy Recommendation, 2015 (No. 204)",
            "توصية الانتقال من الاقتصاد غير المنظم إلى الاقتصاد المنظم، ٢٠١٥ (رقم ٢٠٤)",
            "International labour standard guiding the transition of workers and economic units from the informal to the formal economy.",
            "معيار عمل دولي يرشد انتقال العمال والوحدات الاقتصادية من الاقتصاد غير المنظم إلى الاقتصاد المنظم.",
            2015,
            6,
            ["informality", "social-solidarity-economy"],
        ),
    },
    {
        "key": "r205-peace-and-resilience",
        **_instrument(
            "Employment and Decent Work for Peace and Resilience Recommendation, 2017 (No. 205)",
            "توصية العمالة والعمل اللائق من أجل السلام والقدرة على الصمود، ٢٠١٧ (رقم ٢٠٥)",
            "International labour standard on employment and decent work measures for crisis prevention, recovery, peace and resilience.",
            "معيار عمل دولي بشأن تدابير العمالة والعمل اللائق لمنع الأزمات والتعافي منها وتحقيق السلام والقدرة على الصمود.",
            2017,
            6,
            ["social-solidarity-economy", "policy-coherence"],
        ),
    },
    {
        "key": "ilo-centenary-declaration",
        **_instrument(
            "ILO Centenary Declaration for the Future of Work",
            "إعلان مئوية منظمة العمل الدولية من أجل مستقبل العمل",
            "Adopted by the International Labour Conference in 2019; it recognizes the role of the social and solidarity economy in a human-centred future of work.",
            "اعتمده مؤتمر العمل الدولي عام ٢٠١٩؛ ويقرّ بدور الاقتصاد الاجتماعي والتضامني في مستقبل للعمل محوره الإنسان.",
            2019,
            6,
            ["social-solidarity-economy", "care-economy", "social-dialogue"],
            kind="policy",
        ),
    },
    {
        "key": "declaration-social-justice-fair-globalization",
        **_instrument(
            "ILO Declaration on Social Justice for a Fair Globalization",
            "إعلان منظمة العمل الدولية بشأن العدالة الاجتماعية من أجل عولمة عادلة",
            "Adopted in 2008 and amended in 2022, it expresses the universality of the Decent Work Agenda.",
            "اعتُمد عام ٢٠٠٨ وعُدّل عام ٢٠٢٢، ويعبّر عن الطابع العالمي لبرنامج العمل اللائق.",
            2008,
            6,
            ["social-dialogue", "policy-coherence"],
            kind="policy",
        ),
    },
    {
        "key": "global-call-to-action-covid19",
        **_instrument(
            "Global call to action for a human-centred recovery from the COVID-19 crisis that is inclusive, sustainable and resilient",
            "النداء العالمي لمنظمة العمل الدولية من أجل اتخاذ إجراءات رامية إلى تحقيق انتعاش متمحور حول الإنسان للخروج من أزمة كوفيد-١٩ يكون شاملاً ومستداماً وقادراً على الصمود",
            "Adopted by the International Labour Conference in 2021; it explicitly recognizes the social and solidarity economy as a means to a resilient recovery.",
            "اعتمده مؤتمر العمل الدولي عام ٢٠٢١؛ ويعترف صراحةً بالاقتصاد الاجتماعي والتضامني وسيلةً لانتعاش قادر على الصمود.",
            2021,
            6,
            ["social-solidarity-economy", "social-protection"],
            kind="policy",
        ),
    },
    {
        "key": "conclusions-sustainable-enterprises-2007",
        **_instrument(
            "Conclusions concerning the promotion of sustainable enterprises",
            "الاستنتاجات بشأن تعزيز المنشآت المستدامة",
            "Adopted by the International Labour Conference at its 96th session (2007); the SSE strategy recalls them on the complementarity between SSE entities and other enterprises.",
            "اعتمدها مؤتمر العمل الدولي في دورته ٩٦ (٢٠٠٧)؛ وتستحضرها استراتيجية الاقتصاد الاجتماعي والتضامني بشأن التكامل بين كياناته والمنشآت الأخرى.",
            2007,
            6,
            ["social-solidarity-economy", "policy-coherence"],
            kind="policy",
            url="https://www.ilo.org/wcmsp5/groups/public/---ed_emp/---emp_ent/documents/publication/wcms_093970.pdf",
        ),
    },
    {
        "key": "hle-research-knowledge-2010-2019",
        **_instrument(
            "High-level independent evaluation of ILO's research and knowledge management strategies and approaches, 2010–2019",
            "التقييم المستقل الرفيع المستوى لاستراتيجيات ونُهج منظمة العمل الدولية المتعلقة بالبحوث وإدارة المعارف، ٢٠١٠-٢٠١٩",
            "An independent evaluation that informs objective 1 (research and knowledge management) of the SSE strategy.",
            "تقييم مستقل تسترشد به الاستراتيجية في هدفها الأول (البحوث وإدارة المعارف).",
            2020,
            None,
            ["research-knowledge"],
            kind="publication",
            languages={
                "en": "https://www.ilo.org/wcmsp5/groups/public/---ed_mas/---eval/documents/publication/wcms_757214.pdf"
            },
        ),
    },
    {
        "key": "hle-sustainable-enterprises-2014-2019",
        **_instrument(
            "High-level independent evaluation of ILO's strategy and actions for promoting sustainable enterprises, 2014–2019",
            "التقييم المستقل الرفيع المستوى لاستراتيجية منظمة العمل الدولية والإجراءات التي اعتمدتها من أجل تعزيز المنشآت المستدامة، ٢٠١٤-٢٠١٩",
            "An independent evaluation that informs the SSE strategy's approach to enterprise development.",
            "تقييم مستقل تسترشد به الاستراتيجية في نهجها لتنمية المنشآت.",
            2020,
            None,
            ["social-solidarity-economy", "policy-coherence"],
            kind="publication",
            languages={
                "en": "https://www.ilo.org/wcmsp5/groups/public/---ed_mas/---eval/documents/publication/wcms_757207.pdf"
            },
        ),
    },
]

RELATION_FIELDS = {"key", "themes", "languages", "countries", "regions", "publisher"}


def load(*, stdout=None) -> int:
    changed = 0
    themes = {}
    for order, (slug, name_en, name_ar, description_en, description_ar) in enumerate(THEMES):
        themes[slug], was = _load_theme(
            slug,
            {
                "name_en": name_en,
                "name_ar": name_ar,
                "description_en": description_en,
                "description_ar": description_ar,
                "order": order,
            },
        )
        changed += was
    regions = {}
    for order, (code, name_en, name_ar, countries) in enumerate(REGIONS):
        regions[code], was = add_missing(
            Region,
            lookup={"code": code},
            values={
                "name_en": name_en,
                "name_ar": name_ar,
                "order": order,
                "countries": sorted(countries.split()),
            },
        )
        changed += was
    organisations = {}
    for slug, name_en, name_ar, acronym, kind, country, website in ORGANISATIONS:
        organisations[slug], was = add_missing(
            Organisation,
            lookup={"slug": slug},
            values={
                "name_en": name_en,
                "name_ar": name_ar,
                "acronym_en": acronym,
                "acronym_ar": acronym,
                "kind": kind,
                "country": country,
                "website": website,
            },
        )
        changed += was
    for spec in RESOURCES:
        changed += _load_resource(spec, themes=themes, regions=regions, organisations=organisations)
    return changed


# Themes through their own service, as the admin creates one.
add_missing_theme = adder(
    lambda *, obj, actor: services.theme_save(theme=obj, actor=actor), actor=CONTENT_LOADER
)


def _load_theme(slug: str, values: dict) -> tuple[Theme | None, bool]:
    return add_missing_theme(Theme, lookup={"slug": slug}, values=values)


def _load_resource(spec, *, themes, regions, organisations) -> int:
    if Resource.objects.filter(identifier=spec["key"]).exists():
        # Edited, unpublished or (soft-)deleted by staff since it was loaded: theirs to keep.
        return 0
    values = {k: v for k, v in spec.items() if k not in RELATION_FIELDS}
    resource = Resource(identifier=spec["key"], **values)
    # Themes, regions or a publisher staff deleted since they were loaded are left out.
    resource.publisher = organisations[spec["publisher"]]
    # Fields and choices in one service call: one version in the resource's history.
    services.resource_save(
        resource=resource,
        actor=CONTENT_LOADER,
        countries=spec.get("countries", []),
        languages=spec["languages"],
        themes={themes[slug].pk for slug in spec["themes"] if themes[slug]},
        regions={regions[code].pk for code in spec.get("regions", []) if regions[code]},
    )
    services.resource_publish(
        resource=resource, actor=CONTENT_LOADER, note="loaded from the seed documents"
    )
    return 1
