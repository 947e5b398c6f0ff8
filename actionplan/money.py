"""Money is Decimal with its ISO 4217 currency, never a float."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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

    @property
    def millions(self) -> Decimal:
        return (self.amount / Decimal(1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def total(amounts, currency: str) -> Money:
    return sum((Money(a, currency) for a in amounts), Money(Decimal("0"), currency))
