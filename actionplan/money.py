"""Money is Decimal with its ISO 4217 currency, never a float."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import local_number

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money needs a Decimal amount")

    def as_json(self) -> dict[str, str]:
        """`{"amount": "15600000.00", "currency": "USD"}` (the API's representation)."""
        return {
            "amount": str(self.amount.quantize(CENT, rounding=ROUND_HALF_UP)),
            "currency": self.currency,
        }

    def __add__(self, other: "Money") -> "Money":
        if other.currency != self.currency:
            raise ValueError("cannot add amounts in different currencies")
        return Money(self.amount + other.amount, self.currency)


def total(amounts, currency: str) -> Money:
    return sum((Money(a, currency) for a in amounts), Money(Decimal("0"), currency))


# Currencies by name, as a sentence writes them ("17.2 million US dollars", "١٧٫٢ مليون دولار
# أمريكي"); an unlisted one shows its ISO 4217 code.
CURRENCY_NAMES = {"USD": gettext_lazy("US dollars"), "EUR": gettext_lazy("euros")}


def millions_in_words(amount: Decimal, currency: str) -> str:
    """An amount in millions in the page language: "17.2 million US dollars"."""
    return _("%(amount)s million %(currency)s") % {
        "amount": local_number(amount / 1_000_000, decimal_pos=1),
        "currency": CURRENCY_NAMES.get(currency, currency),
    }
