"""The site's own texts, written from the launch news release (seed 000) in English and Arabic."""

from core import services
from core.loading import adder
from core.models import SiteText
from core.permissions import CONTENT_LOADER

add_missing = adder(services.save_object, actor=CONTENT_LOADER)

SITE_TEXTS = [
    {
        "key": "platform",
        "title_en": "South-4-Care: South–South and triangular cooperation for decent work in the care economy",
        "title_ar": "جنوب من أجل الرعاية (South-4-Care): التعاون فيما بين بلدان الجنوب والتعاون الثلاثي من أجل العمل اللائق في اقتصاد الرعاية",
        "body_en": (
            "South-4-Care is the ILO platform for knowledge exchange and cooperation on the care economy "
            "through South–South and triangular cooperation (SSTC). It was created after the International "
            "Labour Conference adopted, in June 2024, a resolution on decent work and the care economy, as "
            "part of a 2024–2030 Plan of Action.\n\n"
            "It facilitates knowledge exchange, capacity-building and the sharing of policy innovations among "
            "developing countries, so that countries of the Global South learn from one another's experiences, "
            "adapt solutions to their contexts and strengthen policy responses to care-economy challenges."
        ),
        "body_ar": (
            "منصة جنوب من أجل الرعاية (South-4-Care) هي منصة منظمة العمل الدولية لتبادل المعرفة والتعاون في "
            "مجال اقتصاد الرعاية من خلال التعاون فيما بين بلدان الجنوب والتعاون الثلاثي. وقد أُنشئت بعد أن اعتمد "
            "مؤتمر العمل الدولي في حزيران/يونيه ٢٠٢٤ قراراً بشأن العمل اللائق واقتصاد الرعاية، كجزء من خطة عمل "
            "٢٠٢٤-٢٠٣٠.\n\n"
            "وتيسّر المنصة تبادل المعرفة وبناء القدرات وتبادل الابتكارات في مجال السياسات بين البلدان النامية، "
            "بحيث تتعلم بلدان جنوب الكرة الأرضية من تجارب بعضها البعض، وتكيّف الحلول مع سياقاتها، وتعزز استجابات "
            "السياسات لتحديات اقتصاد الرعاية."
        ),
    },
    {
        "key": "knowledge-hub",
        "title_en": "Knowledge Hub",
        "title_ar": "مركز المعرفة",
        "body_en": (
            "An online library of publications, policies, legislation, tools and good practices on the care "
            "economy and the social and solidarity economy, hosted on the ILO Global Care Policy Portal."
        ),
        "body_ar": (
            "مكتبة إلكترونية للمنشورات والسياسات والتشريعات والأدوات والممارسات الجيدة في مجال اقتصاد الرعاية "
            "والاقتصاد الاجتماعي والتضامني، يستضيفها البوابة العالمية لسياسة الرعاية التابعة لمنظمة العمل الدولية."
        ),
    },
    {
        "key": "learning-hub",
        "title_en": "Learning Hub",
        "title_ar": "مركز التعلم",
        "body_en": (
            "A biennial Learning Hub delivered with the ILO International Training Centre (ITC-ILO) in Turin. "
            "The inaugural edition began with an online phase from 1 to 11 September 2025, followed by an "
            "in-person programme in Doha, Qatar, from 15 to 18 September 2025: peer learning and dialogue for "
            "governments, employers, workers and policy experts, and concrete commitments to strengthen care policies."
        ),
        "body_ar": (
            "مركز تعلم يُنظَّم كل سنتين بالتعاون مع مركز التدريب الدولي التابع لمنظمة العمل الدولية (ITC-ILO) في "
            "تورينو. بدأت النسخة الافتتاحية بمرحلة عبر الإنترنت من ١ إلى ١١ أيلول/سبتمبر ٢٠٢٥، تلاها برنامج حضوري "
            "في الدوحة، قطر، من ١٥ إلى ١٨ أيلول/سبتمبر ٢٠٢٥: تعلّم من الأقران وحوار للحكومات وأصحاب العمل والعمال "
            "وخبراء السياسات، والتزامات ملموسة لتعزيز سياسات الرعاية."
        ),
    },
    {
        "key": "partners",
        "title_en": "Partners",
        "title_ar": "الشركاء",
        "body_en": (
            "Governments, employers' and workers' organisations, UN agencies, development banks and development "
            "partners. The high-level launch in Doha on 15 September 2025 brought together labour ministers from "
            "all five ILO regions and global social partners; the South–South plenary of 16 September on funding "
            "partners' support to the care economy featured Brazil, Qatar, GIZ, Canada and South Africa."
        ),
        "body_ar": (
            "الحكومات ومنظمات أصحاب العمل ومنظمات العمال ووكالات الأمم المتحدة وبنوك التنمية وشركاء التنمية. وقد جمع "
            "الإطلاق الرفيع المستوى في الدوحة في ١٥ أيلول/سبتمبر ٢٠٢٥ وزراء العمل من جميع مناطق منظمة العمل الدولية "
            "الخمس والشركاء الاجتماعيين العالميين؛ وضمّت الجلسة العامة بين بلدان الجنوب في ١٦ أيلول/سبتمبر بشأن دعم "
            "الشركاء التمويلي لاقتصاد الرعاية البرازيل وقطر والوكالة الألمانية للتعاون الدولي (GIZ) وكندا وجنوب أفريقيا."
        ),
    },
    {
        "key": "action-plan",
        "title_en": "Plan of action on decent work and the social and solidarity economy",
        "title_ar": "خطة العمل بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني",
        "body_en": (
            "The ILO Strategy and Plan of Action on decent work and the social and solidarity economy 2023–2029, "
            "approved by the Governing Body at its 346th session: three objectives, nine outcomes, seventeen "
            "deliverables and about US$37.5 million in resource estimates, tracked year by year."
        ),
        "body_ar": (
            "استراتيجية منظمة العمل الدولية وخطة عملها بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني للفترة "
            "٢٠٢٣-٢٠٢٩، التي أقرّها مجلس الإدارة في دورته ٣٤٦: ثلاثة أهداف وتسع نتائج وسبع عشرة نتيجة رفيعة المستوى "
            "وتقديرات موارد تبلغ نحو ٣٧٫٥ مليون دولار أمريكي، تُتابَع سنة بعد سنة."
        ),
    },
]


def load(*, stdout=None) -> int:
    """Load the site's texts; returns how many objects were created or changed."""
    changed = 0
    for order, text in enumerate(SITE_TEXTS):
        values = {k: v for k, v in text.items() if k != "key"}
        _obj, was_changed = add_missing(
            SiteText,
            lookup={"key": text["key"]},
            values={**values, "order": order},
        )
        changed += was_changed
    return changed
