/* The annual check's 党员登记表 step (portal/annual_check/wizard.html): "Add a member" copies the
   blank row of the <template> into the form and counts it in the management form, so a member
   is added without saving and reloading the page. Without scripts, "Save" still brings new
   blank rows. */
'use strict';
(function () {
  function ready() {
    const rows = document.getElementById('register-rows');
    const template = document.getElementById('register-row-template');
    const button = document.getElementById('add-register-row');
    if (!rows || !template || !button) return;
    const prefix = rows.dataset.prefix;
    const total = document.getElementById('id_' + prefix + '-TOTAL_FORMS');
    const maximum = document.getElementById('id_' + prefix + '-MAX_NUM_FORMS');
    if (!total) return;
    button.hidden = false;
    const hint = document.querySelector('.no-script-hint');
    if (hint) hint.hidden = true;
    button.addEventListener('click', function () {
      const index = parseInt(total.value, 10);
      if (maximum && index >= parseInt(maximum.value, 10)) return;
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      const holder = document.createElement('div');
      holder.innerHTML = html;
      const row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      const first = row.querySelector('input, select, textarea');
      if (first) first.focus();
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
