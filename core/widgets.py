"""Form widgets drawn in Python. Django draws a select's every option through two template
includes (the option and its attributes): the dashboard's and the ledger's scope form, with the
province's 288 supervisory units, spent more time drawing its options than the page spent in
the database. These draw the same HTML, character for character, without the templates."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A `forms.Select` that writes what django/forms/widgets/select.html writes."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                # select_option.html ends with a line break.
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}"
                    "</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part escaped


def _attributes(attrs: dict) -> str:
    """attrs.html: ` name="value"` in the dictionary's order, a bare ` name` for True,
    nothing for False."""
    if not attrs:
        return ""
    return mark_safe(  # every part escaped by format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )
