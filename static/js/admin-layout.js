/* Every admin page (templates/admin/base_site.html); no inline script (the CSP forbids it).
   1. Narrow screens: the change list's filters sit above the table (admin-layout.css) as
      groups that start closed, unless the clerk opened one in this tab; a closed group shows
      the value chosen in it.
   2. Sticky columns (.sticky-col, and the change list's checkbox and name columns) are placed
      where the header puts them, whatever widths the browser gave the columns before them.
   3. The ledger's scroll box ends at the bottom of the window. */
'use strict';
(function () {
  const NARROW = window.matchMedia('(max-width: 1599px)');

  function collapseFilters() {
    const filter = document.getElementById('changelist-filter');
    if (!filter) return;
    let remembered = {};
    try { remembered = JSON.parse(sessionStorage.getItem('django.admin.filtersState')) || {}; } catch (e) { remembered = {}; }
    filter.querySelectorAll('details[data-filter-title]').forEach(function (details) {
      const title = details.dataset.filterTitle;
      const items = details.querySelectorAll('li');
      const selected = details.querySelector('li.selected');
      if (selected && items.length && selected !== items[0]) {
        details.classList.add('filter-active');
        const summary = details.querySelector('summary');
        if (summary && !summary.querySelector('.filter-choice')) {
          const choice = document.createElement('span');
          choice.className = 'filter-choice';
          choice.textContent = '：' + selected.textContent.trim();
          summary.appendChild(choice);
        }
      }
      if (NARROW.matches && remembered[title] !== true) details.removeAttribute('open');
    });
  }

  function placeStickyColumns() {
    document.querySelectorAll('table').forEach(function (table) {
      const head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      const sticky = [];
      Array.prototype.forEach.call(head.cells, function (th, index) {
        const isSticky = th.classList.contains('sticky-col') ||
          th.classList.contains('action-checkbox-column') ||
          th.classList.contains('column-name') || th.classList.contains('column-organization');
        if (isSticky && !(table.id === 'result_list' && index > 1)) sticky.push([th, index]);
      });
      // Measure every column first (from where the table starts, with no offsets applied),
      // then place them: a placed column would shift the measure of the next.
      sticky.forEach(function (pair) { pair[0].style.left = ''; });
      const start = table.getBoundingClientRect().left;
      sticky.map(function (pair) {
        return [pair[1], (pair[0].getBoundingClientRect().left - start) + 'px', pair[0]];
      }).forEach(function (placed) {
        const index = placed[0], left = placed[1];
        placed[2].style.left = left;
        Array.prototype.forEach.call(table.tBodies, function (body) {
          Array.prototype.forEach.call(body.rows, function (row) {
            if (row.cells[index]) row.cells[index].style.left = left;
          });
        });
      });
    });
  }

  // The ledger's scroll box ends at the bottom of the window, so its sideways scroll bar is in
  // view on arrival (CSS alone gives it the window's height less the page header).
  function fitScrollBoxes() {
    document.querySelectorAll('.ledger-scroll').forEach(function (box) {
      const room = window.innerHeight - (box.getBoundingClientRect().top + window.scrollY) - 16;
      box.style.maxHeight = room >= 320 ? room + 'px' : '';
    });
  }

  function ready() {
    fitScrollBoxes();
    collapseFilters();
    placeStickyColumns();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
  window.addEventListener('resize', function () { fitScrollBoxes(); placeStickyColumns(); });
})();
