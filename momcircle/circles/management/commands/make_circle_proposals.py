import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momcircle.circles.seekers import Area
from momcircle.circles.services import proposals_make
from momcircle.rules import RuleBroken


class Command(BaseCommand):
    help = "Propose circles now: to everyone looking for one, or in the area around a ZIP code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zip", dest="zip_code", help="only around this ZIP code")
        parser.add_argument("--miles", type=float, default=10.0, help="radius around --zip")

    def handle(self, *args, zip_code: str | None, miles: float, **options) -> None:
        try:
            area = Area.around_zip(zip_code, miles) if zip_code else None
        except RuleBroken as broken:
            raise CommandError(str(broken)) from broken
        started = time.perf_counter()
        made = proposals_make(area=area, progress=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(made)} circles proposed in {time.perf_counter() - started:.1f} s."
            )
        )
