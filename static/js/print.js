// Print pages (portal/print_views.py): the "Print" button opens the browser's print dialog.
// A static file, not an inline script, so a strict Content-Security-Policy can stay strict.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
