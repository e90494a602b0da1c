from django import forms

from chuangcheng.org.forms import UnitTreeChoiceField


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，3～150位字母、数字或 _ . @ + -")
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="邮箱", required=False)
    unit = UnitTreeChoiceField(label="单位", queryset=None)
    role = forms.ChoiceField(label="角色")

    def __init__(self, *args, units, **kwargs):
        from chuangcheng.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [("", "---------"), *Role.choices]


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="邮箱", required=False)


class RoleForm(forms.Form):
    unit = UnitTreeChoiceField(label="单位", queryset=None)
    role = forms.ChoiceField(label="角色")

    def __init__(self, *args, units, **kwargs):
        from chuangcheng.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [("", "---------"), *Role.choices]


class ServiceAccountForm(forms.Form):
    username = forms.CharField(
        label="账号名", max_length=150, help_text="3～150位字母、数字或 _ . @ + -，如 szcg-bridge"
    )
    full_name = forms.CharField(label="名称", max_length=50, help_text="对接的系统，如 数字城管平台")
    unit = UnitTreeChoiceField(label="所属单位", queryset=None, help_text="决定数据范围：本单位及下级单位")
    role = forms.ChoiceField(label="角色")

    def __init__(self, *args, units, **kwargs):
        from chuangcheng.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [("", "---------"), *(c for c in Role.choices if c[0] != Role.OFFICE_ADMIN)]


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=100)
    scopes = forms.MultipleChoiceField(label="权限范围", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from chuangcheng.accounts.models import TokenScope

        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(value, f"{label}（{value}）") for value, label in TokenScope.choices]
