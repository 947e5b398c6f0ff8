"""Which of the Knowledge Hub's uploaded files a request may have (core/media.py asks)."""

from core.media import PRIVATE, PUBLIC, register

from .models import Organisation, Resource


def resource_file(request, name: str):
    """A published resource's document is public; a draft's, one in review or archived (or a
    deleted one's) only for staff who may see resources in the admin."""
    resources = Resource.objects.filter(file=name)
    if resources.published().exists():
        return PUBLIC
    user = request.user
    if (
        resources.exists()
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("hub.view_resource")
    ):
        return PRIVATE
    return None


def organisation_logo(request, name: str):
    """Logos are shown on the public organisation pages."""
    return PUBLIC if Organisation.objects.filter(logo=name).exists() else None


def register_media() -> None:
    register("resources/", resource_file)
    register("organisations/", organisation_logo)
