"""What the portal's wizards share: the draft lives in the database, not the session. Each step
the form accepts is saved at once through a service, every page is built from the saved object,
and the URL names the step, so closing the browser or logging in elsewhere loses nothing. Each
page carries the draft's version in the management form: the services refuse a post made from
a page older than someone else's change (core.concurrency.StaleEdit)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.forms import BaseFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView


class StepNotSaved(Exception):
    """The service refused a step the form had accepted (say, a race with a clerk's decision);
    the form, with the service's messages added, is shown again."""

    def __init__(self, form):
        super().__init__("step not saved")
        self.form = form


def add_service_errors(form, error: ValidationError) -> None:
    if isinstance(form, BaseFormSet):
        form.non_form_errors().extend(error.messages)
    else:
        form.add_error(None, error.messages)


class DraftManagementForm(ManagementForm):
    """formtools' management form plus the version of the draft the page was built from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class DatabaseDraftWizard(NamedUrlSessionWizardView):
    """Subclasses set `wizard_prefix` and give `draft` (the saved object) and `resume_step()`
    (where a visitor without a step in the URL starts)."""

    wizard_prefix: str

    @property
    def draft(self):
        raise NotImplementedError

    def resume_step(self) -> str:
        raise NotImplementedError

    def get_prefix(self, request, *args, **kwargs):
        return self.wizard_prefix

    @property
    def posted_version(self) -> int | None:
        """The draft's version the posted page was built from (None when the post has none);
        the saving services refuse the post if the draft has changed since."""
        field = DraftManagementForm.base_fields["version"]
        try:
            return field.clean(self.request.POST.get(f"{self.wizard_prefix}-version"))
        except ValidationError as error:
            raise SuspiciousOperation("malformed wizard version") from error

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        # A refused post is shown again with the version it was made from, so sending it once
        # more is refused too: the visitor reopens the page and sees the other person's change.
        version = self.posted_version if self.request.method == "POST" else None
        context["wizard"]["management_form"] = DraftManagementForm(
            prefix=self.prefix,
            initial={
                "current_step": self.steps.current,
                "version": self.draft.version if version is None else version,
            },
        )
        return context

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"pk": self.draft.pk, "step": step})

    def get(self, request, *args, **kwargs):
        """Render the step named in the URL from the database; an unknown one resumes."""
        step = kwargs.get("step")
        if step not in self.get_form_list():
            return redirect(self.get_step_url(self.resume_step()))
        self.storage.current_step = step
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        # The URL names the step, so a post works in a session that never saw this wizard;
        # formtools still prefers the step named by the posted management form.
        if kwargs.get("step") in self.get_form_list():
            self.storage.current_step = kwargs["step"]
        posted_step = request.POST.get(f"{self.wizard_prefix}-current_step")
        if posted_step is not None and posted_step not in self.get_form_list():
            # formtools would look the name up and fail with a server error.
            raise SuspiciousOperation("unknown wizard step")
        try:
            return super().post(request, *args, **kwargs)
        except StepNotSaved as refused:
            return self.render(refused.form)

    def render_next_step(self, form, **kwargs):
        if self.request.POST.get("wizard_stay"):  # "Save" rather than "Save and continue"
            messages.success(self.request, _("Saved."))
            return redirect(self.get_step_url(self.steps.current))
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        """Submit. The other steps are not revalidated from the session (a new login has none
        of them): they are in the database, and the submitting service checks it whole."""
        response = self.done([form], form_dict={self.steps.current: form}, **kwargs)
        self.storage.reset()
        return response
