/* The scoring page (templates/admin/evaluation/evaluation/score.html): the total of the points
   entered so far, and the Party-building part, updated as the evaluator types. A box above its
   maximum is marked at once; the server checks again when the scores are saved. */
'use strict';
(function () {
  function ready() {
    const table = document.getElementById('score-form-table');
    const total = document.getElementById('running-total');
    const party = document.getElementById('running-total-party');
    if (!table || !total) return;
    const inputs = Array.prototype.slice.call(table.querySelectorAll('input[type=number]'));
    function update() {
      let sum = 0, partySum = 0, partyMax = 0;
      inputs.forEach(function (input) {
        const value = parseInt(input.value, 10);
        const max = parseInt(input.getAttribute('max'), 10);
        const row = input.closest('tr');
        const isParty = row && row.classList.contains('party-building-row');
        if (isParty) partyMax += isNaN(max) ? 0 : max;
        const over = !isNaN(value) && !isNaN(max) && (value > max || value < 0);
        input.classList.toggle('over-maximum', over);
        input.setAttribute('aria-invalid', over ? 'true' : 'false');
        if (!isNaN(value)) {
          sum += value;
          if (isParty) partySum += value;
        }
      });
      total.textContent = String(sum);
      if (party) party.textContent = partyMax ? (party.dataset.label || '') + ' ' + partySum + ' / ' + partyMax : '';
    }
    inputs.forEach(function (input) { input.addEventListener('input', update); });
    update();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
