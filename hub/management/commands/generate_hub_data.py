"""Generate realistic bilingual Knowledge Hub resources for load and search benchmarks.

The resources are built from real vocabulary of the care economy and the social and solidarity
economy in English and Arabic (with the spelling variants Arabic users type: hamza forms, taa
marbuta, tashkeel), real countries, the loaded themes, regions and organisations. They are
inserted in bulk (no history rows: they are benchmark data, not curated content) with the same
search data the services compute, and carry the identifier prefix `gen-` so `--purge` can remove
them again.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation
from django_countries import countries as all_countries

from core.caching import bump_content_version
from hub.models import (
    DOCUMENT_LANGUAGES,
    Organisation,
    Region,
    Resource,
    ResourceCountry,
    ResourceLanguage,
    StatusChange,
    Theme,
)
from hub.search import (
    SEARCH_DOCUMENT_TABLE,
    VECTOR_PARAMETER_ORDER,
    VECTOR_SQL,
    document_parts,
    search_text_from_parts,
)

PREFIX = "gen-"

# (English, Arabic) subject phrases.
SUBJECTS = [
    ("Care work and care jobs", "أعمال الرعاية ووظائف الرعاية"),
    ("Long-term care services", "خدمات الرعاية الطويلة الأجل"),
    ("Childcare and early childhood education", "رعاية الأطفال والتعليم في مرحلة الطفولة المبكرة"),
    ("Domestic workers' rights", "حقوق العمال المنزليين"),
    ("Maternity protection", "حماية الأمومة"),
    ("Paternity and parental leave", "إجازة الأبوة والإجازة الوالدية"),
    ("Social and solidarity economy cooperatives", "تعاونيات الاقتصاد الاجتماعي والتضامني"),
    ("Women's cooperatives in the care sector", "التعاونيات النسائية في قطاع الرعاية"),
    ("Social protection floors", "أرضيات الحماية الاجتماعية"),
    (
        "Formalisation of the informal economy",
        "الانتقال من الاقتصاد غير المنظم إلى الاقتصاد المنظم",
    ),
    ("Unpaid care work", "أعمال الرعاية غير مدفوعة الأجر"),
    ("Gender equality at work", "المساواة بين الجنسين في العمل"),
    ("Financing the care economy", "تمويل اقتصاد الرعاية"),
    ("Care policy investment", "الاستثمار في سياسات الرعاية"),
    ("Community-based elderly care", "رعاية المسنين المجتمعية"),
    ("Disability inclusion and care", "إدماج الأشخاص ذوي الإعاقة والرعاية"),
    ("Skills for care workers", "مهارات عمال الرعاية"),
    ("Occupational safety and health in care", "السلامة والصحة المهنيتان في الرعاية"),
    ("Migrant care workers", "عمال الرعاية المهاجرون"),
    ("Labour statistics on care", "إحصاءات العمل المتعلقة بالرعاية"),
    ("Social dialogue in the care sector", "الحوار الاجتماعي في قطاع الرعاية"),
    ("Decent work for care workers", "العمل اللائق لعمال الرعاية"),
    (
        "SSE enterprises and public procurement",
        "منشآت الاقتصاد الاجتماعي والتضامني والمشتريات العامة",
    ),
    ("Mutual health organisations", "منظمات التأمين الصحي التبادلي"),
]
# (English, Arabic) framing of the document.
FRAMES = [
    ("{subject} in {country}: a policy review", "{subject} في {country}: استعراض للسياسات"),
    ("{subject}: lessons from {country}", "{subject}: دروس مستفادة من {country}"),
    ("Good practice in {country}: {subject}", "ممارسة جيدة في {country}: {subject}"),
    ("{subject} — a guide for practitioners", "{subject} — دليل للممارسين"),
    ("Mapping {subject_lower} in {country}", "رسم خريطة {subject} في {country}"),
    ("{subject} and South–South cooperation", "{subject} والتعاون بين بلدان الجنوب"),
    ("Costing {subject_lower} ({year})", "تقدير تكلفة {subject} ({year})"),
    ("Training module: {subject_lower}", "وحدة تدريبية: {subject}"),
]
SENTENCES = [
    (
        "This {kind} examines {subject_lower} in {country} and draws lessons for policy makers.",
        "يتناول هذا {kind} {subject} في {country} ويستخلص دروساً لصانعي السياسات.",
    ),
    (
        "It was prepared with governments, employers' and workers' organisations in {year}.",
        "وقد أُعدّ بالتعاون مع الحكومات ومنظمات أصحاب العمل والعمال في عام {year}.",
    ),
    (
        "The analysis covers the 5R framework: recognise, reduce, redistribute, reward and represent.",
        "ويغطي التحليل إطار العمل الخماسي: الاعتراف بأعمال الرعاية وتقليصها وإعادة توزيعها ومكافأتها وتمثيل العاملين فيها.",
    ),
    (
        "Investment in care services creates decent jobs, mainly for women.",
        "إن الاستثمار في خدمات الرعاية يخلق وظائف لائقة، ولا سيما للنساء.",
    ),
    (
        "Cooperatives and other social and solidarity economy units provide care close to communities.",
        "وتقدم التعاونيات وغيرها من وحدات الاقتصاد الاجتماعي والتضامني خدمات الرعاية على مقربة من المجتمعات المحلية.",
    ),
    (
        "Peer learning between countries of the South is a recurring recommendation.",
        "ويُعدّ التعلم من الأقران بين بلدان الجنوب توصية متكررة.",
    ),
    (
        "Statistics from the labour force survey of {year} show persistent gaps.",
        "وتُظهر إحصاءات مسح القوى العاملة لعام {year} فجوات مستمرة.",
    ),
]
KIND_AR = {
    "publication": "المنشور",
    "policy": "الموجز السياساتي",
    "legislation": "النص التشريعي",
    "tool": "الدليل",
    "good_practice": "التقرير عن الممارسة الجيدة",
    "training": "المورد التدريبي",
    "video": "التسجيل",
    "dataset": "الجدول الإحصائي",
    "news": "التقرير الإخباري",
}
AUTHORS = [
    "L. Addati",
    "U. Cattaneo",
    "E. Pozzan",
    "S. Esim",
    "V. Katajamaki",
    "R. Gomes",
    "A. Haddad",
    "F. Al-Mansouri",
    "M. Ndlovu",
    "J. Silva",
]
LICENCES = ["CC BY 4.0", "CC BY-NC-SA 3.0 IGO", "All rights reserved", ""]
# Countries drawn from the ILO regions actually loaded, weighted to the platform's focus.
FOCUS = ["BR", "QA", "ZA", "MD", "HN", "MA", "JO", "EG", "KE", "SN", "IN", "ID", "AR", "MX", "LB"]


class Command(BaseCommand):
    help = "Generate realistic bilingual Knowledge Hub resources (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--purge", action="store_true", help="Delete previously generated resources first."
        )

    def handle(self, *, count, seed, batch, purge, **options):
        if purge:
            self.stdout.write(f"Deleted {self._purge()} generated resources.")
        if count <= 0:
            return
        themes = list(Theme.objects.all())
        regions = list(Region.objects.all())
        publishers = list(Organisation.objects.all())
        if not themes or not regions or not publishers:
            raise CommandError(
                "Run `manage.py load_south4care` first (themes, regions, publishers)."
            )
        rng = random.Random(seed)  # noqa: S311 - seeded sample data, not a secret
        start_number = Resource.objects.filter(identifier__startswith=PREFIX).count()
        region_of = {str(c): r for r in regions for c in r.countries}
        country_codes = sorted(region_of) or [code for code, _ in all_countries]
        with translation.override("ar"):
            names_ar = {code: str(all_countries.name(code)) for code in country_codes}
        names_en = {code: str(all_countries.name(code)) for code in country_codes}
        started = time.monotonic()
        made = 0
        while made < count:
            size = min(batch, count - made)
            with transaction.atomic():
                self._batch(
                    rng=rng,
                    first=start_number + made,
                    size=size,
                    themes=themes,
                    publishers=publishers,
                    region_of=region_of,
                    country_codes=country_codes,
                    names={"en": names_en, "ar": names_ar},
                )
            made += size
            self.stdout.write(f"{made}/{count} ({time.monotonic() - started:.0f} s)")
        if connection.vendor == "postgresql":
            # Fresh statistics (the planner otherwise guesses a few hundred links where there are
            # tens of thousands) and a visibility map for index-only scans.
            models = [Resource, Resource.themes.through, Resource.regions.through]
            models += [ResourceCountry, ResourceLanguage]
            tables = [model._meta.db_table for model in models] + [SEARCH_DOCUMENT_TABLE]
            with connection.cursor() as cursor:
                for table in tables:
                    # VACUUM cannot run inside a transaction (tests); ANALYZE can.
                    vacuum = "" if connection.in_atomic_block else "VACUUM "
                    cursor.execute(f"{vacuum}ANALYZE {table}")
        bump_content_version()  # bulk inserts send no signals: cached pages and results are stale
        self.stdout.write(self.style.SUCCESS(f"Generated {made} resources."))

    @transaction.atomic
    def _purge(self) -> int:
        # Straight SQL deletes: the ORM's delete would load every row and write a history record
        # for each (benchmark data has no history worth keeping).
        generated = Resource.objects.filter(identifier__startswith=PREFIX)
        ids = generated.values("pk")
        for model in (
            Resource.themes.through,
            Resource.regions.through,
            ResourceCountry,
            ResourceLanguage,
            StatusChange,
        ):
            # Generated rows only: one DELETE each, without the collector's per-row cascade walk.
            model.objects.filter(resource_id__in=ids)._raw_delete(model.objects.db)  # noqa: SLF001 - see above
        return generated._raw_delete(generated.db)  # noqa: SLF001 - as above

    def _batch(self, *, rng, first, size, themes, publishers, region_of, country_codes, names):  # noqa: PLR0915 - one sample resource, field by field
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The search documents' triggers would resync each row several times over (insert,
                # links, vector): the batch is synced once at its end instead.
                cursor.execute("SET LOCAL s4c.defer_search_sync = 'on'")
        now = timezone.now()
        types = [value for value, _ in Resource.Type.choices]
        resources, extras = [], []
        for offset in range(size):
            number = first + offset
            subject_en, subject_ar = rng.choice(SUBJECTS)
            frame_en, frame_ar = rng.choice(FRAMES)
            country = rng.choice(FOCUS) if rng.random() < 0.6 else rng.choice(country_codes)
            country = country if country in names["en"] else rng.choice(country_codes)
            year = rng.randint(1995, 2026)
            kind = rng.choice(types)
            values = {
                "subject": subject_en,
                "subject_lower": subject_en[0].lower() + subject_en[1:],
                "country": names["en"][country],
                "year": year,
                "kind": Resource.Type(kind).label.lower(),
            }
            values_ar = {
                "subject": subject_ar,
                "subject_lower": subject_ar,
                "country": names["ar"][country],
                # Arabic texts write years in Arabic-Indic digits about half the time.
                "year": str(year).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
                if rng.random() < 0.5
                else year,
                "kind": KIND_AR[kind],
            }
            sentences = rng.sample(SENTENCES, 4)
            summary_en = " ".join(s.format(**values) for s, _ in sentences[:2])
            summary_ar = " ".join(s.format(**values_ar) for _, s in sentences[:2])
            body_en = "".join(f"<p>{s.format(**values)}</p>" for s, _ in sentences)
            body_ar = "".join(f"<p>{s.format(**values_ar)}</p>" for _, s in sentences)
            has_arabic = rng.random() < 0.7
            title_en = frame_en.format(**values)
            title_ar = frame_ar.format(**values_ar) if has_arabic else ""
            # In the themes' own order, as the services read them back.
            chosen_themes = sorted(
                rng.sample(themes, rng.randint(1, 3)), key=lambda t: (t.order, t.slug)
            )
            countries = {country} | ({rng.choice(country_codes)} if rng.random() < 0.2 else set())
            languages = {"en"} | ({"ar"} if has_arabic else set())
            if rng.random() < 0.2:
                languages.add(
                    rng.choice([c for c, _ in DOCUMENT_LANGUAGES if c not in ("en", "ar")])
                )
            month = rng.randint(1, 12) if rng.random() < 0.7 else None
            status = Resource.Status.PUBLISHED if rng.random() < 0.9 else Resource.Status.DRAFT
            resource = Resource(
                identifier=f"{PREFIX}{number:07d}",
                title=title_en,
                title_en=title_en,
                title_ar=title_ar,
                summary=summary_en,
                summary_en=summary_en,
                summary_ar=summary_ar if has_arabic else "",
                body=body_en,
                body_en=body_en,
                body_ar=body_ar if has_arabic else "",
                resource_type=kind,
                status=status,
                publisher=rng.choice(publishers),
                authors=", ".join(rng.sample(AUTHORS, rng.randint(0, 3))),
                publication_year=year,
                publication_month=month,
                publication_day=rng.randint(1, 28) if month and rng.random() < 0.5 else None,
                external_url=f"https://example.org/documents/{number}",
                is_global=rng.random() < 0.05,
                modality=rng.choice(["", "", "south_south", "triangular"]),
                licence=rng.choice(LICENCES),
                featured=rng.random() < 0.01,
                published_at=now if status == Resource.Status.PUBLISHED else None,
            )
            parts = document_parts(resource, themes=chosen_themes)
            resource.search_text = search_text_from_parts(parts)
            resources.append(resource)
            extras.append((chosen_themes, countries, languages, parts))
        Resource.objects.bulk_create(resources)
        if not resources[0].pk:  # backends that do not return ids
            by_identifier = dict(
                Resource.objects.filter(
                    identifier__in=[r.identifier for r in resources]
                ).values_list("identifier", "pk")
            )
            for resource in resources:
                resource.pk = by_identifier[resource.identifier]
        theme_links, region_links, country_links, language_links = [], [], [], []
        for resource, (chosen_themes, countries, languages, _parts) in zip(
            resources, extras, strict=True
        ):
            theme_links += [
                Resource.themes.through(resource_id=resource.pk, theme_id=t.pk)
                for t in chosen_themes
            ]
            for region in {region_of[c] for c in countries if c in region_of}:
                region_links.append(
                    Resource.regions.through(resource_id=resource.pk, region_id=region.pk)
                )
            country_links += [
                ResourceCountry(resource_id=resource.pk, country=c) for c in countries
            ]
            language_links += [
                ResourceLanguage(resource_id=resource.pk, language=c) for c in languages
            ]
        Resource.themes.through.objects.bulk_create(theme_links)
        Resource.regions.through.objects.bulk_create(region_links)
        ResourceCountry.objects.bulk_create(country_links)
        ResourceLanguage.objects.bulk_create(language_links)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE hub_resource SET search_vector = {VECTOR_SQL} WHERE id = %s",  # noqa: S608 - a constant expression; values are parameters
                    [
                        [parts[w][lang] for w, lang in VECTOR_PARAMETER_ORDER] + [resource.pk]
                        for resource, (_t, _c, _l, parts) in zip(resources, extras, strict=True)
                    ],
                )
                cursor.execute("SET LOCAL s4c.defer_search_sync = 'off'")
                cursor.execute(
                    "SELECT hub_search_document_sync(%s::bigint[])", [[r.pk for r in resources]]
                )
