"""SMS backends over the vendors' maintained SDKs (optional extras, imported only when chosen).

Install with ``pip install -r requirements-sms.txt`` (or the ``sms-aliyun`` / ``sms-tencent`` extras).
Chinese carriers deliver only template messages: the platform's text goes into one template variable
(``SMS_TEMPLATE_PARAM``, default ``content``), so the city registers a template such as
“【签名】${content}” with its provider. Settings are read from ``SMS_OPTIONS`` (``config/env.py``).
"""

from __future__ import annotations

import importlib
import json

from chuangcheng.notifications.sms import SmsError, SmsResult, sms_setting


def _require(module: str, package: str, label: str):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise SmsError(
            f"已选择{label}短信，但未安装其 SDK：请执行 pip install {package}（或 pip install -r requirements-sms.txt）"
        ) from exc


def _required_settings(label: str, *names: str) -> list[str]:
    values = [sms_setting(name) for name in names]
    missing = [f"SMS_{name}" for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise SmsError(f"{label}短信缺少配置：{'、'.join(missing)}")
    return values


class AliyunBackend:
    """Aliyun 短信服务 (dysms) through ``alibabacloud_dysmsapi20170525``."""

    name = "aliyun"
    label = "阿里云短信"
    sends = True

    def __init__(self):
        self.client_module = _require(
            "alibabacloud_dysmsapi20170525.client", "alibabacloud_dysmsapi20170525", self.label
        )
        self.models = _require("alibabacloud_dysmsapi20170525.models", "alibabacloud_dysmsapi20170525", self.label)
        openapi = _require("alibabacloud_tea_openapi.models", "alibabacloud_tea_openapi", self.label)
        key_id, key_secret, self.sign_name, self.template = _required_settings(
            self.label, "ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SIGN_NAME", "TEMPLATE_CODE"
        )
        config = openapi.Config(
            access_key_id=key_id,
            access_key_secret=key_secret,
            endpoint=sms_setting("ENDPOINT", "dysmsapi.aliyuncs.com"),
        )
        self.client = self.client_module.Client(config)

    def send(self, *, phone: str, message: str) -> SmsResult:
        request = self.models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=self.sign_name,
            template_code=self.template,
            template_param=json.dumps({sms_setting("TEMPLATE_PARAM", "content"): message}, ensure_ascii=False),
        )
        try:
            body = self.client.send_sms(request).body
        except Exception as exc:
            raise SmsError(f"阿里云短信调用失败：{str(exc)[:300]}") from exc
        if getattr(body, "code", "") != "OK":
            raise SmsError(f"阿里云短信拒绝：{getattr(body, 'code', '')} {getattr(body, 'message', '')}".strip())
        return SmsResult(delivered=True, provider_id=str(getattr(body, "biz_id", "") or ""))


class TencentBackend:
    """Tencent Cloud 短信 through ``tencentcloud-sdk-python-sms`` (API 2021-01-11)."""

    name = "tencent"
    label = "腾讯云短信"
    sends = True

    def __init__(self):
        common = _require("tencentcloud.common.credential", "tencentcloud-sdk-python-sms", self.label)
        client_module = _require("tencentcloud.sms.v20210111.sms_client", "tencentcloud-sdk-python-sms", self.label)
        self.models = _require("tencentcloud.sms.v20210111.models", "tencentcloud-sdk-python-sms", self.label)
        secret_id, secret_key, self.app_id, self.sign_name, self.template = _required_settings(
            self.label, "ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "APP_ID", "SIGN_NAME", "TEMPLATE_CODE"
        )
        credential = common.Credential(secret_id, secret_key)
        self.client = client_module.SmsClient(credential, sms_setting("REGION", "ap-guangzhou"))

    def send(self, *, phone: str, message: str) -> SmsResult:
        request = self.models.SendSmsRequest()
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign_name
        request.TemplateId = self.template
        request.TemplateParamSet = [message]
        request.PhoneNumberSet = [phone if phone.startswith("+") else f"+86{phone}"]
        try:
            response = self.client.SendSms(request)
        except Exception as exc:
            raise SmsError(f"腾讯云短信调用失败：{str(exc)[:300]}") from exc
        statuses = getattr(response, "SendStatusSet", None) or []
        status = statuses[0] if statuses else None
        if status is None or getattr(status, "Code", "") != "Ok":
            code = getattr(status, "Code", "无返回")
            raise SmsError(f"腾讯云短信拒绝：{code} {getattr(status, 'Message', '')}".strip())
        return SmsResult(delivered=True, provider_id=str(getattr(status, "SerialNo", "") or ""))
