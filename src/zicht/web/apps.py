from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zicht.web"
    label = "web"

    def ready(self) -> None:
        from zicht.web import middleware  # noqa: F401  (starts the clock of a login when one begins)
