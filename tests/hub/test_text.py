"""Arabic normalisation: documents and queries fold the same way."""

import pytest

from core.text import normalize_arabic, search_tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أمن", "امن"),
        ("إدارة", "اداره"),
        ("آمال", "امال"),
        ("ٱلعمل", "العمل"),
        ("الرعاية", "الرعايه"),
        ("مستشفى", "مستشفي"),
        ("الرِّعَايَةُ", "الرعايه"),
        ("عُمّالٌ", "عمال"),
        ("الـــرعاية", "الرعايه"),
        ("٢٠٢٥", "2025"),
        ("۲۰۲۴", "2024"),
        ("والرعاية", "الرعايه"),
        ("واقع", "واقع"),  # a word that merely starts with و is left alone
        # Invisible joiners inside a word, as pasted text carries them.
        ("الرعا\u200cية", "الرعايه"),
        ("التضا\u200dمني", "التضامني"),
        # Persian and Urdu keyboard letters.
        ("مستشفی", "مستشفي"),
        ("کیف", "كيف"),
        ("ڪيف", "كيف"),
        ("الرعایۀ", "الرعايه"),
        ("الرعايۃ", "الرعايه"),
        ("ھذا", "هذا"),
        # The conjunction typed apart from its word.
        ("و التضامني", "التضامني"),
        ("وَ  الرعاية", "الرعايه"),
        ("الاجتماعي و التضامني", "الاجتماعي التضامني"),
        ("بيروت و", "بيروت و"),  # a trailing و joins nothing
        ("Care economy", "Care economy"),
        ("", ""),
    ],
)
def test_normalize_arabic(raw, expected):
    assert normalize_arabic(raw) == expected


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("الرعاية", ["رعايه"]),
        ("الرعايه", ["رعايه"]),
        ("الرِّعَايَة", ["رعايه"]),
        ("والرعاية", ["رعايه"]),
        ("بالرعاية", ["رعايه"]),
        ("للرعاية", ["رعايه"]),
        ("اقتصاد الرعاية ٢٠٢٥", ["اقتصاد", "رعايه", "2025"]),
        ("Care Economy", ["care", "economy"]),
        ("South-4-Care", ["south", "4", "care"]),
        ("الرعا\u200cية", ["رعايه"]),
        ("الاقتصاد الاجتماعی و التضامنی", ["اقتصاد", "اجتماعي", "تضامني"]),
    ],
)
def test_search_tokens(raw, tokens):
    assert search_tokens(raw) == tokens
