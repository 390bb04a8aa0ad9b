from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zicht.web"
    label = "web"
