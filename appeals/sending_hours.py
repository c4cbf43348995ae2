"""When a delivery by e-mail may leave: within its appeal's sending hours, in the
recipient's time zone, and under its hourly cap.

An official's inbox that fills at three in the morning, or with ten letters in a
minute, is one that filters them out; Proca and ActionKit send in office hours and
spread out for the same reason.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings

from appeals.models import Delivery

HOUR = timedelta(hours=1)


def time_zone_names():
    """Every time zone a recipient may be in, sorted."""
    return sorted(zoneinfo.available_timezones())


@dataclass(frozen=True)
class SendingHours:
    start: time
    end: time
    weekdays_only: bool
    time_zone: zoneinfo.ZoneInfo

    @classmethod
    def of(cls, appeal):
        return cls(
            start=appeal.email_hours_start,
            end=appeal.email_hours_end,
            weekdays_only=appeal.email_weekdays_only,
            time_zone=zoneinfo.ZoneInfo(appeal.email_time_zone or settings.TIME_ZONE),
        )

    def is_open_on(self, day) -> bool:
        return not self.weekdays_only or day.weekday() < 5

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.time_zone)
        return self.is_open_on(local) and self.start <= local.time() < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` if the hours are open then, else the start of the next open day's hours."""
        if self.contains(moment):
            return moment
        local = moment.astimezone(self.time_zone)
        day = local.date() if local.time() < self.start else local.date() + timedelta(days=1)
        while not self.is_open_on(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.start, tzinfo=self.time_zone)


def next_send_time(appeal, now: datetime) -> datetime:
    """The earliest moment from ``now`` a delivery of ``appeal`` may go: within its sending
    hours, and once fewer than its cap of e-mails went in the hour before."""
    hours = SendingHours.of(appeal)
    moment = hours.next_opening(now)
    sent_in_the_hour = Delivery.objects.emailed_since(appeal, now - HOUR)
    if moment == now and sent_in_the_hour >= appeal.emails_per_hour:
        earliest = Delivery.objects.last_emailed_at(appeal, now - HOUR)
        # One of the hour's e-mails is still being sent: look again in a minute.
        moment = hours.next_opening(earliest + HOUR if earliest else now + timedelta(minutes=1))
    return moment
