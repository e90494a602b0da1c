"""OpenAPI (drf-spectacular) description of the service-account token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "chuangcheng.accounts.authentication.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cct_<前缀>_<密钥>",
            "description": (
                "集成账号的 API 令牌：请求头 `Authorization: Bearer cct_…`（也接受 `Token cct_…`）。"
                "令牌由创建办管理员在“账号 → 集成账号”签发，只显示一次；可轮换、吊销。"
                "每个令牌有权限范围（cases:read 读取问题、cases:write 写入问题、exchange 案件交换、"
                "hotline:push 12345 工单推送）：接口需要而令牌没有的范围返回 403；"
                "令牌所属账号的单位范围之外的对象返回 404；无效、已吊销或已过期的令牌返回 401。"
            ),
        }
