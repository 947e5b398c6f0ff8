"""The plan of action's collections in the API (the project's URLs mount them under /api/v1/)."""

from .views import DeliverableViewSet, PlanViewSet

routes = [
    ("plans", PlanViewSet, "plan"),
    ("deliverables", DeliverableViewSet, "deliverable"),
]
