"""The back office's start page: what waits for staff (partnerxpress.work_queue)."""

from django import template

from partnerxpress.work_queue import Waiting, work_queue

register = template.Library()


@register.simple_tag
def waiting_for(user) -> list[Waiting]:
    return work_queue(user)
