// Review: a task and its box on the photo light up together (hover or focus, both ways);
// zoom buttons for the photo; a field a person changed loses its "check" mark.
"use strict";
(() => {
  const rects = () => document.querySelectorAll("svg rect[data-task]");
  const light = (id, on) => {
    document.querySelectorAll(`[data-task="${id}"]`).forEach((el) => el.classList.toggle("lit", on));
  };
  const taskOf = (el) => el.closest && el.closest("li.task[data-task]");

  ["mouseover", "focusin"].forEach((type) => document.addEventListener(type, (e) => {
    const li = taskOf(e.target);
    if (li) light(li.dataset.task, true);
  }));
  ["mouseout", "focusout"].forEach((type) => document.addEventListener(type, (e) => {
    const li = taskOf(e.target);
    if (li && !li.contains(e.relatedTarget)) light(li.dataset.task, false);
  }));

  function bindBoxes() {
    rects().forEach((r) => {
      r.addEventListener("mouseenter", () => light(r.dataset.task, true));
      r.addEventListener("mouseleave", () => light(r.dataset.task, false));
      r.addEventListener("click", () => {
        const li = document.getElementById(`task-${r.dataset.task}`);
        if (li) { li.scrollIntoView({ block: "center", behavior: "smooth" }); li.querySelector("input.title").focus(); }
      });
    });
  }
  bindBoxes();

  // A task was added: empty the form, drop the "no tasks yet" note. (Here, not in an
  // hx-on attribute: the Content-Security-Policy allows no eval.)
  document.addEventListener("htmx:afterRequest", (e) => {
    const form = e.detail.elt;
    if (form.matches && form.matches("form.add") && e.detail.successful) {
      form.reset();
      document.getElementById("no-tasks")?.remove();
      form.querySelector("input[name=task_name]").focus();  // ready for the next one
    }
  });

  // zoom: the figure grows inside its scroll box; pinch-zoom of the page works as well
  let zoom = 1;
  const figure = document.getElementById("photo");
  document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => {
    const step = Number(b.dataset.zoom);
    zoom = step === 0 ? 1 : Math.min(4, Math.max(1, zoom * (step > 0 ? 1.5 : 1 / 1.5)));
    figure.style.width = `${zoom * 100}%`;
    window.taskocr.announce(`Zoom ${Math.round(zoom * 100)}%`);
  }));

  document.addEventListener("change", (e) => {
    e.target.classList && e.target.classList.remove("doubt");
    const li = taskOf(e.target);
    if (li) {
      li.classList.remove("low");
      if (e.target.name === "done") li.classList.toggle("is-done", e.target.checked);
      if (e.target.name === "priority") e.target.className = `prio-${e.target.value}`;
    }
  });
  if (location.hash) document.querySelector(location.hash)?.classList.add("lit");
})();
