from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "chuangcheng.exchange"
    label = "exchange"
    verbose_name = "系统对接"

    def ready(self):
        from chuangcheng.cases import hooks
        from chuangcheng.exchange.services import triggers

        hooks.on_transition(triggers.case_transitioned)
