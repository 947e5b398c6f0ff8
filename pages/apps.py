from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The portal's own pages where the apps meet: the home page, robots.txt, error pages."""

    name = "pages"
    verbose_name = "Pages"
