"""The ILO Strategy and Plan of Action on decent work and the SSE 2023–2029 (seed 001).

The Arabic is reconstructed from the Governing Body paper (the PDF extraction reversed the word
order inside table cells); the English is our faithful translation.
"""

import datetime as dt
from decimal import Decimal

from core.loading import adder
from core.permissions import CONTENT_LOADER

from . import services
from .models import (
    BudgetFigure,
    ConclusionParagraph,
    Deliverable,
    Objective,
    OperationalPrinciple,
    Outcome,
    Plan,
    ProgrammeOutcome,
)

# The shipped content is written as the content loader, through the services.
add_missing = adder(services.save_object, actor=CONTENT_LOADER)

SSE = "والاقتصاد الاجتماعي والتضامني"
SOURCE_EN = "GB.346, Institutional Section, item 3: Follow-up to the resolution concerning decent work and the social and solidarity economy"
SOURCE_AR = "مجلس الإدارة، الدورة ٣٤٦، القسم المؤسسي، البند الثالث: متابعة القرار بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني"

PLAN = {
    "slug": "sse-2023-2029",
    "title_en": "Strategy and Plan of Action on decent work and the social and solidarity economy 2023–2029",
    "title_ar": "الاستراتيجية وخطة العمل بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني للفترة ٢٠٢٣-٢٠٢٩",
    "summary_en": (
        "Following the resolution and conclusions adopted by the International Labour Conference at its 110th session "
        "(2022), the Office proposed a strategy and plan of action to promote a strong and resilient social and solidarity "
        "economy as a means to decent work. It rests on three objectives — better understanding, greater capacity and "
        "greater coherence — nine outcomes and five operational principles, and costs about US$37.5 million for "
        "2023–2029 on top of regular budget allocations."
    ),
    "summary_ar": (
        "متابعةً للقرار والاستنتاجات التي اعتمدها مؤتمر العمل الدولي في دورته ١١٠ (٢٠٢٢)، اقترح المكتب استراتيجية وخطة عمل "
        "لتعزيز اقتصاد اجتماعي وتضامني قوي وقادر على الصمود كوسيلة لتحقيق العمل اللائق. وتقوم على ثلاثة أهداف هي تحسين "
        "الفهم وزيادة القدرة وتعزيز الاتساق، وعلى تسع حصائل وخمسة مبادئ تشغيلية، وتبلغ تكلفتها نحو ٣٧٫٥ مليون دولار أمريكي "
        "للفترة ٢٠٢٣-٢٠٢٩ بالإضافة إلى مخصصات الميزانية العادية."
    ),
    "source_document_en": SOURCE_EN,
    "source_document_ar": SOURCE_AR,
    "source_date": dt.date(2022, 9, 29),
    "start_year": 2023,
    "end_year": 2029,
    "currency": "USD",
    "decision_en": (
        "The Governing Body approved the proposed strategy and plan of action on decent work and the social and "
        "solidarity economy and requested the Director-General to take into account its guidance in implementing the strategy."
    ),
    "decision_ar": (
        "وافق مجلس الإدارة على الاستراتيجية وخطة العمل المقترحتين بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني وطلب "
        "من المدير العام أن يراعي إرشاداته في تنفيذ الاستراتيجية."
    ),
}

PRINCIPLES = [
    (
        "a",
        "Guidance by international labour standards and social dialogue",
        "الاسترشاد بمعايير العمل الدولية والحوار الاجتماعي",
        "The strategy draws on fundamental principles and rights at work, other human rights and relevant international labour standards; social dialogue is essential for constituents to address the concerns of SSE enterprises, organizations and other entities.",
        "تستأنس الاستراتيجية وخطة العمل بالمبادئ والحقوق الأساسية في العمل وحقوق الإنسان الأخرى ومعايير العمل الدولية ذات الصلة والحوار الاجتماعي، الذي سيضطلع بدور أساسي في تمكين الهيئات المكونة من معالجة ما يعتري منشآت ومنظمات وكيانات الاقتصاد الاجتماعي والتضامني الأخرى من شواغل.",
    ),
    (
        "b",
        "Gender equality and non-discrimination",
        "المساواة بين الجنسين وعدم التمييز",
        "The strategy highlights the role of the SSE in fostering diversity, inclusion and solidarity and in meeting the needs of disadvantaged groups, with particular attention to women, young people, indigenous and tribal peoples, persons with disabilities, older, migrant and refugee workers, and workers in the care, rural and informal economies.",
        "تسلّط الاستراتيجية وخطة العمل الضوء على الدور الهام الذي يؤديه الاقتصاد الاجتماعي والتضامني في تعزيز التنوع والإدماج والتضامن وتلبية احتياجات الفئات المحرومة، مع إيلاء اهتمام خاص للنساء والشباب والشعوب الأصلية والقبلية والأشخاص ذوي الإعاقة والعمال المسنين والمهاجرين واللاجئين، لا سيما العاملون في اقتصاد الرعاية والاقتصاد الريفي والاقتصاد غير المنظم.",
    ),
    (
        "c",
        "Respect for SSE values and complementarity with other enterprises",
        "احترام قيم الاقتصاد الاجتماعي والتضامني والتكامل بين كياناته والمنشآت الأخرى",
        "The strategy respects the values inherent in SSE entities — care for people and the planet, equality and fairness, interdependence, self-governance, transparency and accountability — and recognizes the complementarity between SSE entities and other enterprises.",
        "تراعي الاستراتيجية وخطة العمل مجموعة القيم المتأصلة في سير عمل كيانات الاقتصاد الاجتماعي والتضامني، كرعاية الناس والكوكب والمساواة والإنصاف والتكافل والإدارة الذاتية والشفافية والمساءلة، وتعترفان بالتكامل بين هذه الكيانات والمنشآت الأخرى.",
    ),
    (
        "d",
        "Adaptation to context",
        "التكيّف مع السياق",
        "The strategy recognizes the local roots of the SSE and the diversity of its workers and entities, and responds with tailored, sector- and context-specific policies informed by good practices and lessons learned.",
        "تعترف الاستراتيجية وخطة العمل بأهمية ترسيخ مكانة الاقتصاد الاجتماعي والتضامني محلياً وتنوع سمات العمال وكياناته وظروفهم واحتياجاتهم، وتتناولان هذا التنوع من خلال استجابات سياسية مهيأة خصيصاً ومرتبطة بقطاع محدد وسياق بعينه وتسترشد بالممارسات الجيدة والدروس المستخلصة.",
    ),
    (
        "e",
        "Adaptability",
        "القدرة على التكيّف",
        "The strategy will be adapted as needed to new challenges and opportunities: changing national, regional and global contexts, progress on the 2030 Agenda, the reform of the United Nations system and the availability of resources.",
        "ستُكيَّف الاستراتيجية وخطة العمل حسب الاقتضاء لمواجهة التحديات الجديدة وانتهاز الفرص المحتملة، لا سيما في ضوء تطور السياقات الوطنية والإقليمية والعالمية، والتقدم المحرز في تنفيذ خطة عام ٢٠٣٠، وإصلاح منظومة الأمم المتحدة، وتوافر الموارد الكافية.",
    ),
]

OBJECTIVES = [
    (
        1,
        "Better understanding of the realities and needs related to decent work and the social and solidarity economy",
        "تحسين فهم الوقائع والاحتياجات المتصلة بالعمل اللائق والاقتصاد الاجتماعي والتضامني",
        "The Office will strengthen understanding of the realities and knowledge needed for a strong and resilient SSE that contributes to decent work, through research, statistics and knowledge management, with particular attention to good practices for an enabling environment.",
        "سيعزز المكتب فهم الوقائع والمعارف الضرورية لإرساء اقتصاد اجتماعي وتضامني قوي وقادر على الصمود يسهم في العمل اللائق، بما في ذلك من خلال البحوث والإحصاءات وإدارة المعارف، مع التركيز على الممارسات الجيدة لتهيئة بيئة مؤاتية.",
        Decimal("15600000"),
    ),
    (
        2,
        "Greater capacity to advance decent work and the social and solidarity economy",
        "زيادة القدرة على النهوض بالعمل اللائق والاقتصاد الاجتماعي والتضامني",
        "The Office will strengthen the capacities of constituents, SSE entities and ILO staff to advance decent work in and through the SSE, including through legal and advisory services, updated tools and the SSE academies of the ITC-ILO in Turin.",
        "سيعزز المكتب قدرات الهيئات المكونة وكيانات الاقتصاد الاجتماعي والتضامني وموظفي منظمة العمل الدولية للنهوض بالعمل اللائق في الاقتصاد الاجتماعي والتضامني ومن خلاله، بما في ذلك من خلال الخدمات القانونية والاستشارية والأدوات المحدّثة وأكاديميات الاقتصاد الاجتماعي والتضامني التي ينظمها مركز التدريب الدولي في تورينو.",
        Decimal("17200000"),
    ),
    (
        3,
        "Greater coherence in decent work and the social and solidarity economy",
        "تعزيز الاتساق في العمل اللائق والاقتصاد الاجتماعي والتضامني",
        "The Office will promote policy, programme and budget coherence on decent work and the SSE, within the ILO and across the multilateral system, including through the UN Inter-Agency Task Force on SSE.",
        "سيعزز المكتب اتساق السياسات والبرامج والميزانية بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني داخل منظمة العمل الدولية وفي المنظومة المتعددة الأطراف، بما في ذلك من خلال مجموعة عمل الأمم المتحدة المشتركة بين الوكالات والمعنية بالاقتصاد الاجتماعي والتضامني.",
        Decimal("4700000"),
    ),
]

OUTCOMES = [
    (
        1,
        "1.1",
        "Strengthened research on decent work and the SSE",
        f"تعزيز البحوث بشأن العمل اللائق {SSE}",
        "Research that fosters collaboration across technical areas, scales up good practices and gives constituents the analysis they need to review policies and laws.",
        "بحوث تنظم التعاون فيما بين المجالات التقنية وتوسّع نطاق الممارسات الجيدة وتزوّد الهيئات المكونة بالتحليل الذي تحتاج إليه لمراجعة السياسات والتشريعات.",
    ),
    (
        1,
        "1.2",
        "Improved statistics on decent work and the SSE",
        f"تحسين الإحصاءات بشأن العمل اللائق {SSE}",
        "A methodological framework to measure the SSE's contribution and international statistical guidelines, discussed at the 21st (2023) and 22nd (2028) International Conferences of Labour Statisticians.",
        "إطار منهجي لقياس مساهمة الاقتصاد الاجتماعي والتضامني ومبادئ توجيهية دولية للإحصاءات، تُناقش في المؤتمرين الدوليين الحادي والعشرين (٢٠٢٣) والثاني والعشرين (٢٠٢٨) لخبراء إحصاءات العمل.",
    ),
    (
        1,
        "1.3",
        "More effective knowledge management on decent work and the SSE",
        f"إدارة أكثر فعالية للمعارف بشأن العمل اللائق {SSE}",
        "Knowledge products, the sharing of good practices and awareness-raising with constituents, the UN Task Force, SSE networks, research institutions, statistical offices and the public.",
        "منتجات معرفية وتقاسم للممارسات الجيدة وأنشطة توعية مع الهيئات المكونة ومجموعة عمل الأمم المتحدة وشبكات الاقتصاد الاجتماعي والتضامني ومؤسسات البحث ومكاتب الإحصاء والجمهور.",
    ),
    (
        2,
        "2.1",
        "Improved capacity development on decent work and the SSE at the community level",
        f"تحسين تنمية القدرات في مجال العمل اللائق {SSE} على المستوى المجتمعي",
        "Member States supported in building an enabling environment for SSE entities, including legal, policy and regulatory frameworks.",
        "دعم الدول الأعضاء في إرساء بيئة محفزة لكيانات الاقتصاد الاجتماعي والتضامني، بما في ذلك إطار تمكيني قانوني وسياسي وتنظيمي.",
    ),
    (
        2,
        "2.2",
        "Strengthened capacity development on decent work and the SSE at the institutional level",
        f"تعزيز تنمية القدرات في مجال العمل اللائق {SSE} على مستوى المؤسسات",
        "Differentiated support for government institutions, employers' and workers' organizations and SSE entities, including the SSE academies of the ITC-ILO.",
        "دعم متمايز للمؤسسات الحكومية ومنظمات أصحاب العمل ومنظمات العمال وكيانات الاقتصاد الاجتماعي والتضامني، بما في ذلك أكاديميات الاقتصاد الاجتماعي والتضامني في مركز التدريب الدولي.",
    ),
    (
        2,
        "2.3",
        "Consolidated capacity development on decent work and the SSE at the individual level",
        f"توطيد تنمية القدرات في مجال العمل اللائق {SSE} على المستوى الفردي",
        "Education and training materials disseminated among education and training institutions.",
        "مواد تعليمية وتدريبية تُنشر بين مؤسسات التعليم والتدريب.",
    ),
    (
        3,
        "3.1",
        "Improved policy coherence on decent work and the SSE",
        f"تحسين اتساق السياسات بشأن العمل اللائق {SSE}",
        "SSE entities and their concerns integrated into strategies and programmes at all levels, and partnerships towards a Global Coalition for Social Justice.",
        "إدماج كيانات الاقتصاد الاجتماعي والتضامني وشواغلها في الاستراتيجيات والبرامج على جميع المستويات، وشراكات نحو ائتلاف عالمي للعدالة الاجتماعية.",
    ),
    (
        3,
        "3.2",
        "Enhanced programme coherence on decent work and the SSE",
        f"تعزيز اتساق البرامج بشأن العمل اللائق {SSE}",
        "Decent work and the SSE integrated into the ILO's programme and budget, projects and programmes, with an Office-wide network and staff capacity.",
        "إدماج العمل اللائق والاقتصاد الاجتماعي والتضامني في برنامج وميزانية منظمة العمل الدولية ومشاريعها وبرامجها، مع شبكة على مستوى المكتب وتنمية قدرات الموظفين.",
    ),
    (
        3,
        "3.3",
        "Operationalized budget coherence on decent work and the SSE",
        f"تفعيل الاتساق في الميزانية فيما يتعلق بالعمل اللائق {SSE}",
        "Resources mobilized for decent work and the SSE under a One ILO approach.",
        "حشد الموارد للعمل اللائق والاقتصاد الاجتماعي والتضامني وفق نهج «منظمة عمل دولية واحدة».",
    ),
]

# (outcome, English, Arabic, conclusions paragraphs, Programme and Budget outcomes 2022–23, start, end)
DELIVERABLES = [
    (
        "1.1",
        "Develop, implement and disseminate a programme of high-quality research on decent work and the social and solidarity economy through a consultative process that ensures its relevance and responsiveness to constituents' needs.",
        "وضع وتنفيذ وتعميم برنامج من البحوث عالية الجودة بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني من خلال عملية تشاورية تكفل أهميته واستجابته لاحتياجات الهيئات المكونة.",
        "7(a) 16(b)",
        "A.2 4.1",
        2023,
        2029,
    ),
    (
        "1.2",
        "Present and discuss updated information on progress in country case studies on statistics of cooperatives at the 21st International Conference of Labour Statisticians.",
        "عرض معلومات محدثة عن التقدم المحرز في دراسات الحالة القطرية بشأن إحصاءات التعاونيات ومناقشتها خلال المؤتمر الدولي الحادي والعشرين لخبراء إحصاءات العمل.",
        "9(n) 16(c)",
        "A.1 4.1",
        2023,
        2023,
    ),
    (
        "1.2",
        "Prepare an internal document and present statistics of the social and solidarity economy for discussion at the 21st International Conference of Labour Statisticians.",
        "إعداد وثيقة داخلية وعرض إحصاءات الاقتصاد الاجتماعي والتضامني ليناقشها المؤتمر الدولي الحادي والعشرون لخبراء إحصاءات العمل.",
        "9(n) 16(c)",
        "A.1 4.1",
        2023,
        2023,
    ),
    (
        "1.2",
        "Prepare a manual on statistics of cooperatives, and present and discuss it for consideration and adoption by the 22nd International Conference of Labour Statisticians.",
        "إعداد دليل عن إحصاءات التعاونيات وعرضه ومناقشته لينظر فيه المؤتمر الدولي الثاني والعشرون لخبراء إحصاءات العمل ويعتمده.",
        "9(n) 16(c)",
        "A.1 4.1",
        2023,
        2028,
    ),
    (
        "1.2",
        "Develop guidelines on statistics of the social and solidarity economy, and present and discuss them for consideration and adoption by the 22nd International Conference of Labour Statisticians.",
        "وضع مبادئ توجيهية بشأن إحصاءات الاقتصاد الاجتماعي والتضامني وعرضها ومناقشتها لينظر فيها المؤتمر الدولي الثاني والعشرون لخبراء إحصاءات العمل ويعتمدها.",
        "9(n) 16(c)",
        "A.1 4.1",
        2023,
        2028,
    ),
    (
        "1.3",
        "Develop and implement a knowledge management strategy, including through interviews, webinars, videos and visual products that disseminate ILO messages and inspire the public on decent work and the social and solidarity economy.",
        "وضع وتنفيذ استراتيجية لإدارة المعارف، بما في ذلك من خلال المقابلات والندوات عبر الإنترنت ومقاطع الفيديو والمنتجات البصرية التي تنشر وتعمم رسائل منظمة العمل الدولية وتُلهم الجمهور فيما يتعلق بالعمل اللائق والاقتصاد الاجتماعي والتضامني.",
        "6(b) 16(b) 16(c)",
        "A.2 A.3",
        2023,
        2029,
    ),
    (
        "2.1",
        "Update legal and policy guidance and technical advice in response to requests from constituents wishing to establish an enabling environment for the social and solidarity economy and its entities.",
        "تحديث الإرشادات القانونية والسياسية والمشورة التقنية استجابة لطلب الهيئات المكونة التي ترغب في إرساء بيئة مؤاتية للاقتصاد الاجتماعي والتضامني وكياناته.",
        "6(c) 6(e) 6(f) 6(h) 6(k) 7(a) 7(c) 7(e) 7(g) 8 9(a) 9(b) 9(c) 9(e) 9(f) 9(h) 9(i) 9(j) 9(k) 9(l) 9(n) 11 16(a) 16(h)",
        "1.1 1.2 1.3 1.4 2.2 3.1 3.2 3.3 3.4 4.1 4.2 4.3 4.4 6.1 6.2 6.4 7.4",
        2023,
        2029,
    ),
    (
        "2.1",
        "Update guidance and technical advice on mainstreaming the social and solidarity economy in national, regional and global strategies and programmes.",
        "تحديث الإرشادات والمشورة التقنية بشأن تعميم الاقتصاد الاجتماعي والتضامني في الاستراتيجيات والبرامج الوطنية والإقليمية والعالمية.",
        "6(c) 6(e) 6(f) 6(i) 6(j) 6(k) 7(c) 7(e) 8 9(a) 9(b) 9(c) 9(d) 9(e) 9(f) 9(i) 9(j) 9(k) 11 16(a) 16(e) 16(h)",
        "2.2 3.1 3.2 3.3 3.4 4.1 4.2 4.3 4.4 6.1 6.2 6.4 7.4",
        2023,
        2029,
    ),
    (
        "2.2",
        "Provide differentiated capacity-development support through revised and updated tools and methods, including the SSE academies and the mainstreaming of the social and solidarity economy in academies or other training courses organized by the ITC-ILO in Turin, in response to the needs of government institutions, employers' and workers' organizations and SSE entities, and to advance decent work and the social and solidarity economy.",
        "توفير دعم متمايز لتنمية القدرات من خلال الأدوات والأساليب المراجعة والمحدثة، بما في ذلك أكاديميات الاقتصاد الاجتماعي والتضامني وتعميم الاقتصاد الاجتماعي والتضامني في الأكاديميات أو الدورات التدريبية الأخرى التي ينظمها مركز التدريب الدولي التابع لمنظمة العمل الدولية في تورينو، استجابة لاحتياجات المؤسسات الحكومية ومنظمات أصحاب العمل ومنظمات العمال وكيانات الاقتصاد الاجتماعي والتضامني، والنهوض بالعمل اللائق والاقتصاد الاجتماعي والتضامني.",
        "7(d) 7(e) 7(g) 8 9(g) 9(h) 9(k) 9(l) 9(m) 9(n) 10 12 13 16(a) 16(f) 16(g) 16(h)",
        "1.1 1.2 1.3 1.4 2.2 3.1 3.2 3.3 3.4 4.1 4.2 4.3 4.4 6.1 6.2 6.4 7.1 7.4",
        2023,
        2029,
    ),
    (
        "2.3",
        "Develop education and training materials on decent work and the social and solidarity economy and disseminate them among education and training institutions, in close collaboration with ILO constituents and representative bodies of the social and solidarity economy.",
        "وضع مواد تعليمية وتدريبية بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني ونشرها بين مؤسسات التعليم والتدريب، بالتعاون الوثيق مع الهيئات المكونة لمنظمة العمل الدولية والهيئات التمثيلية للاقتصاد الاجتماعي والتضامني.",
        "9(m) 9(n) 11 16(a) 16(g)",
        "4.2 4.3 5.3",
        2023,
        2029,
    ),
    (
        "3.1",
        "Support constituents in integrating social and solidarity economy entities, their networks and concerns into relevant strategies and programmes at all levels.",
        "تقديم الدعم للهيئات المكونة لإدماج كيانات الاقتصاد الاجتماعي والتضامني وشبكاته وشواغله في الاستراتيجيات والبرامج ذات الصلة على جميع المستويات.",
        "6(e) 6(i) 7(c) 9(d) 9(f) 16(a) 16(e)",
        "3.1 3.2 3.3 3.4 3.5 4.1 4.2 4.3 4.4 5.4 6.1 6.4 7.4 7.5 8.1 8.3",
        2023,
        2029,
    ),
    (
        "3.1",
        "Maintain, intensify and direct partnerships on the social and solidarity economy (including through the United Nations Inter-Agency Task Force on Social and Solidarity Economy) towards a Global Coalition for Social Justice that brings together constituents, United Nations agencies, international financial institutions, development partners, private foundations, enterprises, academia and other actors.",
        "الحفاظ على الشراكات المتعلقة بالاقتصاد الاجتماعي والتضامني (بما في ذلك من خلال مجموعة عمل الأمم المتحدة المشتركة بين الوكالات والمعنية بالاقتصاد الاجتماعي والتضامني) وتكثيفها وتوجيهها نحو ائتلاف عالمي للعدالة الاجتماعية، يجمع الهيئات المكونة ووكالات الأمم المتحدة والمؤسسات المالية الدولية والشركاء الإنمائيين والمؤسسات الخاصة والمنشآت والأوساط الأكاديمية والجهات الفاعلة الأخرى.",
        "16(k) 16(l)",
        "A.4 4.1",
        2023,
        2029,
    ),
    (
        "3.2",
        "Strengthen the support of ILO management for integrating decent work and the social and solidarity economy into the relevant outcomes, outputs and indicators of the ILO programme and budget and into its approaches, strategies, projects and programmes.",
        "تعزيز الدعم الذي تقدمه إدارة منظمة العمل الدولية لإدماج العمل اللائق والاقتصاد الاجتماعي والتضامني في النتائج والمخرجات والمؤشرات المعنية في برنامج وميزانية منظمة العمل الدولية وفي نهُجها واستراتيجياتها ومشاريعها وبرامجها.",
        "16(d) 16(i)",
        "B.1",
        2023,
        2029,
    ),
    (
        "3.2",
        "Organize events on the social and solidarity economy within the framework of South–South and triangular cooperation, in close consultation and coordination with constituents.",
        "تنظيم فعاليات بشأن الاقتصاد الاجتماعي والتضامني في إطار التعاون بين بلدان الجنوب والتعاون المثلث، وذلك بالتشاور والتنسيق الوثيقين مع الهيئات المكونة.",
        "16(d)",
        "A.4 4.1",
        2023,
        2029,
    ),
    (
        "3.2",
        "Develop the capacity of relevant ILO staff to integrate the social and solidarity economy into the Organization's approaches, strategies, projects and programmes, including in crisis situations, in close consultation and coordination with the Bureau for Employers' Activities, the Bureau for Workers' Activities and the relevant departments at headquarters and in the field.",
        "تطوير قدرة الموظفين المعنيين في منظمة العمل الدولية على إدماج الاقتصاد الاجتماعي والتضامني في نهُج المنظمة واستراتيجياتها ومشاريعها وبرامجها، بما في ذلك في أوضاع الأزمات، وذلك بالتشاور والتنسيق الوثيقين مع مكتب الأنشطة الخاصة بأصحاب العمل ومكتب الأنشطة الخاصة بالعمال ومع الإدارات المعنية في المقر وفي الميدان.",
        "16(d) 16(i)",
        "B.1 C.3",
        2023,
        2029,
    ),
    (
        "3.2",
        "Establish an Office-wide network on decent work and the social and solidarity economy and make it operational at headquarters and in field offices, with the participation of the Bureau for Employers' Activities and the Bureau for Workers' Activities and in close collaboration with employers' and workers' organizations.",
        "إقامة شبكة بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني على مستوى المكتب وتفعيل عملها في المقر وفي المكاتب الميدانية، بمشاركة مكتب الأنشطة الخاصة بأصحاب العمل ومكتب الأنشطة الخاصة بالعمال، وبالتعاون الوثيق مع منظمات أصحاب العمل ومنظمات العمال.",
        "16(j)",
        "C.4",
        2023,
        2029,
    ),
    (
        "3.3",
        "Develop and implement a resource mobilization plan on decent work and the social and solidarity economy using a “One ILO” approach.",
        "وضع وتنفيذ خطة لحشد الموارد بشأن العمل اللائق والاقتصاد الاجتماعي والتضامني باستخدام نهج «منظمة عمل دولية واحدة».",
        "16(i)",
        "A.4",
        2023,
        2029,
    ),
]

PLAN_TOTAL = Decimal("37500000")
ESTIMATES_AS_OF = dt.date(2022, 9, 29)


def _paragraph_number(code: str) -> int:
    return int(code.split("(", maxsplit=1)[0])


def load(*, stdout=None) -> int:
    changed = 0
    plan, was = add_missing(
        Plan, lookup={"slug": PLAN["slug"]}, values={k: v for k, v in PLAN.items() if k != "slug"}
    )
    changed += was
    for letter, title_en, title_ar, text_en, text_ar in PRINCIPLES:
        _obj, was = add_missing(
            OperationalPrinciple,
            lookup={"plan": plan, "letter": letter},
            values={
                "title_en": title_en,
                "title_ar": title_ar,
                "text_en": text_en,
                "text_ar": text_ar,
            },
        )
        changed += was
    objectives = {}
    for number, title_en, title_ar, narrative_en, narrative_ar, _estimate in OBJECTIVES:
        objectives[number], was = add_missing(
            Objective,
            lookup={"plan": plan, "number": number},
            values={
                "title_en": title_en,
                "title_ar": title_ar,
                "narrative_en": narrative_en,
                "narrative_ar": narrative_ar,
            },
        )
        changed += was
    outcomes = {}
    for number, code, title_en, title_ar, narrative_en, narrative_ar in OUTCOMES:
        outcomes[code], was = add_missing(
            Outcome,
            lookup={"objective": objectives[number], "code": code},
            values={
                "title_en": title_en,
                "title_ar": title_ar,
                "narrative_en": narrative_en,
                "narrative_ar": narrative_ar,
            },
        )
        changed += was
    order_in_outcome = {}
    for code, text_en, text_ar, conclusions, pb_outcomes, start, end in DELIVERABLES:
        order = order_in_outcome[code] = order_in_outcome.get(code, 0) + 1
        paragraphs = [
            add_missing(
                ConclusionParagraph,
                lookup={"plan": plan, "code": ref},
                values={"paragraph": _paragraph_number(ref)},
            )[0]
            for ref in conclusions.split()
        ]
        programme = [
            add_missing(ProgrammeOutcome, lookup={"plan": plan, "code": ref}, values={})[0]
            for ref in pb_outcomes.split()
        ]
        _obj, was = add_missing(
            Deliverable,
            lookup={"outcome": outcomes[code], "order": order},
            values={"text_en": text_en, "text_ar": text_ar, "start_year": start, "end_year": end},
            m2m={"conclusion_paragraphs": paragraphs, "programme_outcomes": programme},
        )
        changed += was
    for number, *_texts, estimate in OBJECTIVES:
        _obj, was = add_missing(
            BudgetFigure,
            lookup={"plan": plan, "objective": objectives[number], "kind": "original"},
            values={
                "amount": estimate,
                "as_of": ESTIMATES_AS_OF,
                "source_en": SOURCE_EN,
                "source_ar": SOURCE_AR,
            },
        )
        changed += was
    _obj, was = add_missing(
        BudgetFigure,
        lookup={"plan": plan, "objective": None, "kind": "original"},
        values={
            "amount": PLAN_TOTAL,
            "as_of": ESTIMATES_AS_OF,
            "source_en": SOURCE_EN,
            "source_ar": SOURCE_AR,
        },
    )
    changed += was
    return changed
