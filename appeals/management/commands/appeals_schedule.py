from django.core.management.base import BaseCommand, CommandError

from appeals.conf import appeals_conf
from appeals.tasks import PERIODIC_TASKS, can_defer, start_chain


class Command(BaseCommand):
    help = (
        "Start the periodic work on the task worker's queue: the fold of new signatures "
        "into the counts (every APPEALS_COUNT_INTERVAL seconds), the recount that "
        "corrects any drift and the purge of expired submissions and of signatures past "
        "their retention period (daily, at APPEALS_DAILY_WORK_AT), and e-mails not sent "
        "yet queued again (every APPEALS_EMAIL_RETRY_INTERVAL seconds). Run it at every "
        "deploy: each run replaces the chains already queued, so exactly one of each runs."
    )

    def handle(self, *args, **options):
        for task in PERIODIC_TASKS:
            if not can_defer(task):
                raise CommandError(
                    f"The task backend of {task.name} runs tasks at once and cannot hold "
                    "them for later, so it cannot run periodic work. Use a backend that "
                    'defers tasks (TASKS = {"default": {"BACKEND": '
                    '"django_tasks_db.DatabaseBackend"}}, with `manage.py db_worker` '
                    "running), or run appeals_fold_counts, appeals_recount, "
                    "appeals_purge and appeals_send_due_emails from cron."
                )
        for task in PERIODIC_TASKS:
            result = start_chain(task)
            self.stdout.write(
                f"{task.name}: first run at {result.task.run_after:%Y-%m-%d %H:%M:%S %Z}"
            )
        self.stdout.write(
            f"Counts fold every {appeals_conf.COUNT_INTERVAL} s; "
            f"the daily work runs at {appeals_conf.DAILY_WORK_AT:%H:%M}."
        )
