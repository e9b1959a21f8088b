// Shared bits: the CSRF token for fetch/XHR calls, a polite announcer, htmx error messages.
"use strict";
window.taskocr = {
  csrf: () => document.body.dataset.csrf,
  announce(text) {
    const el = document.getElementById("announce");
    if (el) { el.textContent = ""; setTimeout(() => { el.textContent = text; }, 30); }
  },
  async errorText(resp) {
    try {
      const body = await resp.json();
      if (body && body.error) return body.error.message;
    } catch (e) { /* not JSON */ }
    return `the server answered ${resp.status}`;
  },
};
document.addEventListener("htmx:responseError", (e) => {
  const text = e.detail.xhr.responseText.replace(/<[^>]*>/g, "").trim() || `Error ${e.detail.xhr.status}`;
  window.taskocr.announce(text);
  const saved = e.detail.elt.closest("form")?.querySelector(".saved");
  if (saved) { saved.textContent = text; saved.className = "saved error"; }
});
document.addEventListener("htmx:sendError", () => window.taskocr.announce("The server could not be reached."));
