from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chuangcheng.cases"
    label = "cases"
    verbose_name = "问题整改"

    def ready(self):
        from chuangcheng.cases.chain import verify_case_timelines
        from chuangcheng.core.chains import register_chain

        register_chain("问题处置记录", verify_case_timelines)
        _connect_kept()


def _connect_kept() -> None:
    """Intake keeps rules and area rows per process (``routing.KEPT_RULES``, ``routing.KEPT_AREAS``): any
    change of a rule, a unit (the rules carry their units) or an area renews them."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from chuangcheng.cases import routing
    from chuangcheng.cases.models import DeadlineRule, RoutingRule
    from chuangcheng.org.models import Unit
    from chuangcheng.places.models import Area

    for model, receiver in ((RoutingRule, routing.rules_changed), (DeadlineRule, routing.rules_changed),
                            (Unit, routing.rules_changed), (Area, routing.areas_changed)):  # fmt: skip
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"cases.kept.{signal is post_save}.{model.__name__}")
    m2m_changed.connect(
        routing.rules_changed, sender=RoutingRule.cooperating_units.through, dispatch_uid="cases.kept.cooperating"
    )
