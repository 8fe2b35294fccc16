"""Forms of the annual-check wizard (R-AC-1) and of the rectification answers (R-AC-5).

Forms validate and lay out; the wizard calls the annualcheck services (style §11). Errors the
organization must act on are Chinese, like the services' own."""

from crispy_forms.layout import Column, Field, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from annualcheck.models import PartyBuildingReport, RegisterEntry
from annualcheck.services import REGISTER_FIELDS
from core import calendar
from partybuilding.choices import FormationMode

from .forms import MemberRowForm, _date_widget, _helper

MAX_ITEM_LENGTH = 5000
MAX_REGISTER_ROWS = 500
PARTY_BUILDING_FIELDS = (
    "full_time_staff",
    "party_organization_name",
    "formation_mode",
    "secretary",
    "full_members",
    "probationary_members",
    "floating_members",
    "part_time_members",
    "joined_this_year",
    "left_this_year",
    "activities_held",
    "activities",
    "instructor",
    "charter_has_clause",
    "no_party_organization_reason",
    "work_coverage",
)


def display_value(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value in (None, ""):
        return "（空）"
    return str(FormationMode(value).label) if value in FormationMode.values else str(value)


# --- Item 1: 《社会组织党建情况年报表》 -------------------------------------------------------


class PartyBuildingReportForm(forms.ModelForm):
    """Item 1, prefilled from the Party-building records; where the saved value differs from
    what the records say, the field says so (the reviewer sees the same differences)."""

    formation_mode = forms.ChoiceField(
        label=PartyBuildingReport._meta.get_field("formation_mode").verbose_name,
        choices=[("", "---------"), *FormationMode.choices],
        required=False,
    )

    class Meta:
        model = PartyBuildingReport
        fields = PARTY_BUILDING_FIELDS
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 3}),
            "no_party_organization_reason": forms.Textarea(attrs={"rows": 3}),
            "work_coverage": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = self.instance.known or {}
        for name, on_record in known.items():
            field = self.fields.get(name)
            if field is not None and getattr(self.instance, name) != on_record:
                # Escaped here: crispy renders help texts as HTML.
                field.help_text = escape(f"登记记录：{display_value(on_record)}")
                field.widget.attrs["class"] = "differs-from-records"
        for name in ("activities", "no_party_organization_reason", "work_coverage"):
            self.fields[name].max_length = MAX_ITEM_LENGTH
            self.fields[name].widget.attrs["maxlength"] = MAX_ITEM_LENGTH
        self.helper = _helper(
            Row(
                Column("full_time_staff"),
                Column("party_organization_name", css_class="col-md-6"),
                Column("formation_mode"),
            ),
            Row(Column("secretary"), Column("instructor")),
            Row(
                Column("full_members"),
                Column("probationary_members"),
                Column("floating_members"),
                Column("part_time_members"),
            ),
            Row(Column("joined_this_year"), Column("left_this_year"), Column("activities_held")),
            "activities",
            Field("charter_has_clause"),
            "no_party_organization_reason",
            "work_coverage",
        )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("party_organization_name") or "").strip():
            if not (cleaned.get("no_party_organization_reason") or "").strip():
                self.add_error("no_party_organization_reason", "没有党组织的，请说明原因。")
            if not (cleaned.get("work_coverage") or "").strip():
                self.add_error("work_coverage", "没有党组织的，请说明党的工作覆盖情况。")
        return cleaned

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTY_BUILDING_FIELDS}


# --- Item 1: 《党员登记表》 ---------------------------------------------------------------------


class RegisterRowForm(MemberRowForm):
    """One row of the member register: the member form's checks, plus leaving."""

    class Meta(MemberRowForm.Meta):
        model = RegisterEntry
        fields = (*REGISTER_FIELDS, "left_on", "left_reason")
        widgets = {**MemberRowForm.Meta.widgets, "left_on": _date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_party_on"].required = False
        self.fields["left_on"].help_text = _(
            "Only for a member who left the organization: the date and the reason."
        )
        self.helper = _helper(
            Row(Column("name"), Column("sex"), Column("id_number", css_class="col-md-5")),
            Row(Column("status"), Column("full_membership_due_on"), Column("joined_party_on")),
            Row(Column("role"), Column("relationship"), Column("phone")),
            Row(Column("certificate_letter_on"), Column("certificate_letter_issuer")),
            Row(Column("left_on"), Column("left_reason", css_class="col-md-8")),
        )
        self.helper.render_unmentioned_fields = True  # the formset's DELETE box

    def clean(self):
        cleaned = super().clean()
        left_on, reason = cleaned.get("left_on"), (cleaned.get("left_reason") or "").strip()
        if left_on and left_on > calendar.today():
            self.add_error("left_on", "离开日期不能晚于今天。")
        if left_on and not reason:
            self.add_error("left_reason", "请填写离开原因。")
        if reason and not left_on and "left_on" not in self.errors:
            self.add_error("left_on", "请填写离开日期。")
        return cleaned


class BaseRegisterFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": "党员登记表最多填写%(num)d行。"}

    def filled_forms(self):
        return [
            (number, form)
            for number, form in enumerate(self.forms, start=1)
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def rows(self) -> list[dict]:
        """The rows as register_replace takes them."""
        fields = (*REGISTER_FIELDS, "left_on", "left_reason")
        return [
            {name: form.cleaned_data.get(name) for name in fields}
            for _number, form in self.filled_forms()
        ]

    def clean(self):
        if any(self.errors):
            return
        first_row, duplicates = {}, []
        for number, form in self.filled_forms():
            id_number = form.cleaned_data["id_number"]
            if id_number in first_row:
                duplicates.append(f"第{number}行与第{first_row[id_number]}行的身份证号重复。")
            else:
                first_row[id_number] = number
        if duplicates:
            raise ValidationError(duplicates, code="duplicate")


RegisterFormSet = forms.formset_factory(
    RegisterRowForm,
    formset=BaseRegisterFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_REGISTER_ROWS,
    validate_max=True,
    absolute_max=MAX_REGISTER_ROWS,
)


# --- Items 2 to 10 ----------------------------------------------------------------------------


class ItemForm(forms.Form):
    """One of items 2–10: what the organization reports, in its own words."""

    report = forms.CharField(
        max_length=MAX_ITEM_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": "请填写本项情况；没有变化的，请写明“无变化”。",
            "max_length": "本项最多%(limit_value)d个字符，当前为%(show_value)d个。",
        },
    )

    def __init__(self, *args, title: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].label = title
        self.fields["report"].widget.attrs["maxlength"] = MAX_ITEM_LENGTH
        self.helper = _helper("report")


# --- Review -----------------------------------------------------------------------------------


class AnnualCheckReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that the information above is true and complete."),
        error_messages={"required": "请确认所填内容真实、完整后再提交。"},
    )

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        self.helper = _helper("confirm")

    def clean(self):
        cleaned = super().clean()
        if self.problems:
            raise ValidationError(
                "年检报告还有%(count)d处需要补充，请按上方列出的提示处理后再提交。",
                code="incomplete",
                params={"count": len(self.problems)},
            )
        return cleaned


# --- Rectification answers (R-AC-5) -----------------------------------------------------------


class RectificationAnswerForm(forms.Form):
    # The item's version the page was built from (core.concurrency): an answer from an old tab
    # is refused instead of overwriting a newer answer or a clerk's decision.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    answer = forms.CharField(
        label=_("What has been done"),
        max_length=MAX_ITEM_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写整改情况。",
            "max_length": "整改情况最多%(limit_value)d个字符，当前为%(show_value)d个。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("answer", "version")
