/* The registration wizard's street list follows the chosen district (portal/forms.py,
   StreetSelect): only that district's streets are offered, and a street of another district
   is cleared when the district changes. No inline script: the CSP forbids it. */
'use strict';
(function () {
  function follow(streets) {
    const form = streets.form;
    const district = form && form.querySelector('select[name$="district"]');
    if (!district) return;
    const options = Array.prototype.slice.call(streets.options);
    function filter() {
      const chosen = district.value;
      options.forEach(function (option) {
        const fits = !option.value || !chosen || option.dataset.district === chosen;
        option.hidden = !fits;
        option.disabled = !fits;
      });
      const current = streets.options[streets.selectedIndex];
      if (current && current.disabled) streets.value = '';
    }
    district.addEventListener('change', filter);
    filter();
  }
  function ready() {
    document.querySelectorAll('select[name$="street"]').forEach(function (streets) {
      if (streets.querySelector('option[data-district]')) follow(streets);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
