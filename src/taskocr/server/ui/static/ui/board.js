// Board: notes are dragged with the pointer (mouse, touch, pen) or moved with the arrow
// keys; each new place is stored on the server (PATCH /api/tasks/{id}/) as it is dropped.
"use strict";
(() => {
  const board = document.getElementById("board");
  if (!board) return;

  async function save(note) {
    const body = { board_x: parseFloat(note.style.left), board_y: parseFloat(note.style.top) };
    const resp = await fetch(`/api/tasks/${note.dataset.task}/`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.taskocr.csrf() },
      body: JSON.stringify(body),
    });
    if (!resp.ok) window.taskocr.announce(`Could not save the place: ${await window.taskocr.errorText(resp)}`);
    else note.dataset.saved = `${Math.round(body.board_x)},${Math.round(body.board_y)}`;
  }

  // places come as data attributes (no inline styles, so a strict CSP can forbid them)
  board.querySelectorAll(".note").forEach((n) => { n.style.left = `${n.dataset.x}px`; n.style.top = `${n.dataset.y}px`; });
  const clamp = (v) => Math.max(0, v);
  function grow() {
    // the board is as tall as its lowest note, plus room to drag further down
    let bottom = 0;
    board.querySelectorAll(".note").forEach((n) => { bottom = Math.max(bottom, n.offsetTop + n.offsetHeight); });
    board.style.minHeight = `${bottom + 200}px`;
  }
  grow();

  board.addEventListener("pointerdown", (e) => {
    const note = e.target.closest(".note");
    if (!note || e.target.closest("input, label, a, button")) return;
    e.preventDefault();
    note.setPointerCapture(e.pointerId);
    note.classList.add("dragging");
    const startX = e.clientX, startY = e.clientY;
    const left = parseFloat(note.style.left), top = parseFloat(note.style.top);
    const move = (ev) => {
      note.style.left = `${clamp(left + ev.clientX - startX)}px`;
      note.style.top = `${clamp(top + ev.clientY - startY)}px`;
    };
    const up = () => {
      note.removeEventListener("pointermove", move);
      note.removeEventListener("pointerup", up);
      note.removeEventListener("pointercancel", up);
      note.classList.remove("dragging");
      grow();
      save(note);
    };
    note.addEventListener("pointermove", move);
    note.addEventListener("pointerup", up);
    note.addEventListener("pointercancel", up);
  });

  board.addEventListener("keydown", (e) => {
    const note = e.target.classList && e.target.classList.contains("note") ? e.target : null;
    const step = e.shiftKey ? 50 : 10;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!note || !d) return;
    e.preventDefault();
    note.style.left = `${clamp(parseFloat(note.style.left) + d[0])}px`;
    note.style.top = `${clamp(parseFloat(note.style.top) + d[1])}px`;
    clearTimeout(note._t);
    note._t = setTimeout(() => { grow(); save(note); }, 300);
  });

  // a ticked note fades out: the board shows open tasks
  document.addEventListener("change", (e) => {
    if (e.target.name !== "done") return;
    const note = e.target.closest(".note, .board-list li");
    if (note) note.classList.toggle("ticked", e.target.checked);
  });
})();
