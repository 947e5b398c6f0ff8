"""A plan of action as schema.org JSON-LD: the same statements on its English and Arabic pages."""

from core.seo import language_tagged, languages_of, page_links, work_iri


def plan_json_ld(plan) -> dict:
    path = plan.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": work_iri(path),
        "name": language_tagged(plan, "title"),
        "url": page_links(path, languages_of(plan, "title"))["canonical"],
        # The years the plan covers, as an ISO 8601 interval.
        "temporalCoverage": f"{plan.start_year}/{plan.end_year}",
    }
    if plan.summary_en or plan.summary_ar:
        data["description"] = language_tagged(plan, "summary")
    if plan.source_document_en or plan.source_document_ar or plan.source_url:
        source = {"@type": "CreativeWork"}
        if plan.source_document_en or plan.source_document_ar:
            source["name"] = language_tagged(plan, "source_document")
        if plan.source_url:
            source["url"] = plan.source_url
        if plan.source_date:
            source["datePublished"] = plan.source_date.isoformat()
        data["isBasedOn"] = source
    return data
