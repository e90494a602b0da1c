"""Run the beat schedule in this process: the embedded default's stand-in for ``celery beat``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chuangcheng.core import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs of CELERY_BEAT_SCHEDULE here (embedded default; production uses celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every scheduled job once, then exit")

    def handle(self, *args, once=False, **options):
        if once:
            tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
            failed = [task for task in tasks if not periodic.run_task(task)]
            if failed:
                raise CommandError(f"以下定时任务失败：{'、'.join(failed)}")
            self.stdout.write(f"已运行 {len(settings.CELERY_BEAT_SCHEDULE)} 个定时任务")
            return
        lock = periodic.acquire_lock(settings.VAR_DIR / "run_periodic.lock")
        if lock is None:
            self.stdout.write("另一个定时任务进程正在运行，本进程退出")
            return
        names = "、".join(sorted(settings.CELERY_BEAT_SCHEDULE))
        self.stdout.write(f"定时任务已启动（{names}）")
        try:
            periodic.run_forever()
        except KeyboardInterrupt:
            pass
        finally:
            lock.close()
