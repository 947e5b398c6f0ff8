"""The inaugural 2025 Learning Hub as the seeds describe it. The seeds give dates, not clock times:
every session is date-only (and the partners sessions, whose date is not given, await one)."""

import datetime as dt

from core.loading import adder
from core.permissions import CONTENT_LOADER
from hub.models import Organisation

from . import services
from .models import Cohort, Phase, Session, SessionSpeaker, Speaker

# The shipped content is written as the content loader, through the services.
add_missing = adder(services.save_object, actor=CONTENT_LOADER)

COHORT = {
    "slug": "learning-hub-2025",
    "name_en": "South-4-Care Learning Hub 2025",
    "name_ar": "مركز التعلم لمنصة جنوب من أجل الرعاية ٢٠٢٥",
    "description_en": (
        "The inaugural edition of the South-4-Care Learning Hub, delivered with the ILO International Training Centre "
        "(ITC-ILO): an online phase from 1 to 11 September 2025, followed by an in-person programme in Doha, Qatar, from "
        "15 to 18 September 2025. A flagship capacity-building initiative for governments, employers, workers and policy "
        "experts, providing a space for peer learning, dialogue and the development of concrete commitments to strengthen "
        "care policies."
    ),
    "description_ar": (
        "النسخة الافتتاحية من مركز التعلم لمنصة جنوب من أجل الرعاية، بالتعاون مع مركز التدريب الدولي التابع لمنظمة العمل "
        "الدولية: مرحلة عبر الإنترنت من ١ إلى ١١ أيلول/سبتمبر ٢٠٢٥، يليها برنامج حضوري في الدوحة، قطر، من ١٥ إلى ١٨ "
        "أيلول/سبتمبر ٢٠٢٥. وهي مبادرة رائدة لبناء القدرات للحكومات وأصحاب العمل والعمال وخبراء السياسات، توفر مساحة للتعلم "
        "من الأقران والحوار وتطوير التزامات ملموسة لتعزيز سياسات الرعاية."
    ),
    "year": 2025,
    "status": Cohort.Status.COMPLETED,
}

PHASES = [
    (
        "online",
        "Online phase",
        "المرحلة عبر الإنترنت",
        "online",
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 11),
        "",
        "",
        "",
        "Europe/Rome",
        0,
    ),
    (
        "doha",
        "In-person programme in Doha",
        "البرنامج الحضوري في الدوحة",
        "in_person",
        dt.date(2025, 9, 15),
        dt.date(2025, 9, 18),
        "Doha",
        "الدوحة",
        "QA",
        "Asia/Qatar",
        1,
    ),
]

SPEAKERS = [
    (
        "anita-amorim",
        "Anita Amorim",
        "أنيتا أموريم",
        "Head, Emerging and South-South Partnerships unit, ILO",
        "رئيسة وحدة الشراكات الناشئة وفيما بين بلدان الجنوب، منظمة العمل الدولية",
        "ilo",
    ),
    (
        "monica-salmito",
        "Monica Salmito",
        "مونيكا سالميتو",
        "Brazilian Cooperation Agency (ABC)",
        "الوكالة البرازيلية للتعاون (ABC)",
        "abc-brazil",
    ),
    (
        "peter-van-rooij",
        "Peter van Rooij",
        "بيتر فان رويج",
        "Director, PARTNERSHIPS department, ILO",
        "مدير إدارة الشراكات، منظمة العمل الدولية",
        "ilo",
    ),
    ("jamil-chade", "Jamil Chade", "جميل شادي", "Journalist, UOL", "صحفي، يو أو إل (UOL)", "uol"),
]

SESSIONS = [
    {
        "slug": "online-plenary-sstc-care-economy",
        "phase": "online",
        "date": dt.date(2025, 9, 1),
        "kind": "plenary",
        "title_en": "Online plenary: the role of South–South and triangular cooperation in the care economy",
        "title_ar": "الجلسة العامة عبر الإنترنت: دور التعاون فيما بين بلدان الجنوب والتعاون الثلاثي في اقتصاد الرعاية",
        "description_en": "How cooperation across the Global South can address common challenges such as funding gaps, gender inequality and the absence of adequate protections for care workers; how peer-to-peer learning and joint initiatives can strengthen national and regional care systems, and how triangular cooperation can expand their reach and sustainability.",
        "description_ar": "كيف يمكن للتعاون في جميع أنحاء جنوب الكرة الأرضية أن يساعد في مواجهة التحديات المشتركة مثل فجوات التمويل وعدم المساواة بين الجنسين وغياب الحماية الكافية للعاملين في مجال الرعاية؛ وكيف يمكن للتعلم من الأقران والمبادرات المشتركة أن تعزز أنظمة الرعاية الوطنية والإقليمية، وكيف يمكن للتعاون الثلاثي أن يوسّع نطاق هذه الجهود واستدامتها.",
        "speakers": [("anita-amorim", "speaker")],
        "partners": ["ilo", "itc-ilo"],
    },
    {
        "slug": "partners-sessions",
        "phase": "online",
        "date": None,
        "kind": "partners",
        "title_en": "Partners sessions",
        "title_ar": "جلسات الشركاء",
        "description_en": "Representatives of governments, workers' and employers' organizations, UN agencies and development partners on aligning research, financing and policy design so that care work is recognized as a cornerstone of decent work and social justice, and on inclusive partnerships across public, private and multilateral spheres.",
        "description_ar": "ممثلو الحكومات ومنظمات العمال وأصحاب العمل ووكالات الأمم المتحدة وشركاء التنمية بشأن مواءمة البحث والتمويل وتصميم السياسات لضمان الاعتراف بعمل الرعاية حجرَ زاوية للعمل اللائق والعدالة الاجتماعية، وبشأن الشراكات الشاملة عبر المجالات العامة والخاصة والمتعددة الأطراف.",
        "speakers": [],
        "partners": ["ilo"],
    },
    {
        "slug": "high-level-launch",
        "phase": "doha",
        "date": dt.date(2025, 9, 15),
        "kind": "launch",
        "title_en": "Official high-level launch of the South-4-Care platform and its Learning Hub",
        "title_ar": "الإطلاق الرسمي الرفيع المستوى لمنصة جنوب من أجل الرعاية ومركز التعلم الخاص بها",
        "description_en": "Labour ministers from all five ILO regions, global social partners, ILO officials, Learning Hub participants, UN agencies, development banks and development partners, creating momentum for sustained cooperation and joint action to advance decent work in the care economy.",
        "description_ar": "وزراء العمل من جميع مناطق منظمة العمل الدولية الخمس والشركاء الاجتماعيون العالميون ومسؤولو منظمة العمل الدولية والمشاركون في مركز التعلم ووكالات الأمم المتحدة وبنوك التنمية وشركاء التنمية، لخلق زخم للتعاون المستدام والعمل المشترك من أجل النهوض بالعمل اللائق في اقتصاد الرعاية.",
        "speakers": [],
        "partners": ["ilo", "itc-ilo", "gov-qatar"],
    },
    {
        "slug": "south-south-plenary-funding-partners",
        "phase": "doha",
        "date": dt.date(2025, 9, 16),
        "kind": "south_south_plenary",
        "title_en": "South–South plenary: funding partners' support to the care economy",
        "title_ar": "الجلسة العامة بين بلدان الجنوب: دعم الشركاء التمويلي لاقتصاد الرعاية",
        "description_en": "With Brazil, Qatar, GIZ, Canada and South Africa, the ILO Partnerships department, the Brazilian Cooperation Agency (recalling the Social Justice for the Global South project and its arm on the care economy, gender equality and the social and solidarity economy), the African Development Bank and the Qatar National Human Rights Committee (on regional cooperation for gender equality in the care economy), and social partners from Moldova and Honduras (on the tripartite nature of the ILO). The closing recalled the role of men, alongside women, in the care economy and the importance of international consensus.",
        "description_ar": "بمشاركة البرازيل وقطر والوكالة الألمانية للتعاون الدولي وكندا وجنوب أفريقيا، وإدارة الشراكات في منظمة العمل الدولية، والوكالة البرازيلية للتعاون (التي ذكّرت بمشروع العدالة الاجتماعية لجنوب الكرة الأرضية وذراعه في اقتصاد الرعاية والمساواة بين الجنسين والاقتصاد الاجتماعي والتضامني)، والبنك الأفريقي للتنمية واللجنة الوطنية لحقوق الإنسان في قطر (بشأن التعاون الإقليمي لتحقيق المساواة بين الجنسين في اقتصاد الرعاية)، والشركاء الاجتماعيين من مولدوفا وهندوراس (بشأن الطابع الثلاثي لمنظمة العمل الدولية). وذكّر الختام بدور الرجال، إلى جانب النساء، في اقتصاد الرعاية وبأهمية بناء توافق دولي.",
        "speakers": [
            ("monica-salmito", "speaker"),
            ("peter-van-rooij", "speaker"),
            ("jamil-chade", "speaker"),
        ],
        "partners": [
            "gov-brazil",
            "gov-qatar",
            "giz",
            "gov-canada",
            "gov-south-africa",
            "ilo",
            "abc-brazil",
            "afdb",
            "qatar-nhrc",
            "social-partners-moldova",
            "social-partners-honduras",
        ],
    },
]


def load(*, stdout=None) -> int:
    organisations = {o.slug: o for o in Organisation.objects.all()}
    changed = 0
    cohort, was = add_missing(
        Cohort,
        lookup={"slug": COHORT["slug"]},
        values={k: v for k, v in COHORT.items() if k != "slug"},
        m2m={"partners": [organisations[s] for s in ("ilo", "itc-ilo") if s in organisations]},
    )
    changed += was
    phases = {}
    for key, name_en, name_ar, mode, start, end, city_en, city_ar, country, zone, order in PHASES:
        phases[key], was = add_missing(
            Phase,
            lookup={"cohort": cohort, "order": order},
            values={
                "name_en": name_en,
                "name_ar": name_ar,
                "mode": mode,
                "start_date": start,
                "end_date": end,
                "city_en": city_en,
                "city_ar": city_ar,
                "country": country,
                "time_zone": zone,
            },
        )
        changed += was
    speakers = {}
    for slug, name_en, name_ar, role_en, role_ar, org in SPEAKERS:
        speakers[slug], was = add_missing(
            Speaker,
            lookup={"slug": slug},
            values={
                "name_en": name_en,
                "name_ar": name_ar,
                "role_en": role_en,
                "role_ar": role_ar,
                "organisation": organisations.get(org),
            },
        )
        changed += was
    for spec in SESSIONS:
        values = {
            k: v for k, v in spec.items() if k not in {"slug", "phase", "speakers", "partners"}
        }
        session, was = add_missing(
            Session,
            lookup={"cohort": cohort, "slug": spec["slug"]},
            values={**values, "phase": phases[spec["phase"]]},
            m2m={"partners": [organisations[s] for s in spec["partners"] if s in organisations]},
        )
        changed += was
        for order, (speaker, role) in enumerate(spec["speakers"]):
            _obj, was = add_missing(
                SessionSpeaker,
                lookup={"session": session, "speaker": speakers[speaker]},
                values={"role": role, "order": order},
            )
            changed += was
    return changed
