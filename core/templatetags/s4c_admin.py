"""The admin index's dashboard: what awaits the signed-in person (core.admin_tools.dashboard)."""

from django import template

from core.admin_tools import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def s4c_dashboard(context):
    request = context.get("request")
    return dashboard(request) if request is not None else []
