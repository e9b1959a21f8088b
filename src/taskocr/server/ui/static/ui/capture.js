// Capture: file picker, drag and drop, paste and a live camera; each upload shows its way
// through upload -> queued -> reading -> done, polled with backoff, no page reload.
"use strict";
(() => {
  const box = document.getElementById("capture");
  const maxBytes = Number(box.dataset.maxBytes);
  const list = document.getElementById("uploads");
  const tpl = document.getElementById("upload-item");
  const accepted = /^(image\/|application\/pdf$)/;

  function item(name) {
    const li = tpl.content.firstElementChild.cloneNode(true);
    li.querySelector(".name").textContent = name;
    list.prepend(li);
    return {
      li,
      state(text, cls) {
        li.querySelector(".state").textContent = text;
        li.dataset.state = cls || text;
      },
      progress(v) { li.querySelector("progress").value = v; },
    };
  }

  function refused(it, why) {
    it.li.querySelector("progress").hidden = true;
    it.state(`refused: ${why}`, "refused");
    it.li.classList.add("refused");
    it.li.setAttribute("role", "alert");
  }
  const refuse = (name, why) => refused(item(name), why);

  function send(file) {
    const name = file.name || "photo";
    if (file.type && !accepted.test(file.type)) return refuse(name, `${file.type} is not an image`);
    if (file.size === 0) return refuse(name, "the file is empty");
    if (file.size > maxBytes) {
      return refuse(name, `${(file.size / 2 ** 20).toFixed(1)} MB is over the ${(maxBytes / 2 ** 20).toFixed(0)} MB limit`);
    }
    const it = item(name);
    const form = new FormData();
    form.append("image", file, name);
    const people = document.getElementById("people").value.trim();
    if (people) form.append("people", people);
    const order = document.getElementById("date_order").value;
    if (order) form.append("date_order", order);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/upload/");
    xhr.setRequestHeader("X-CSRFToken", window.taskocr.csrf());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) it.progress(Math.round((e.loaded / e.total) * 30)); };
    xhr.onerror = () => refused(it, "the server could not be reached");
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status >= 400) return refused(it, (body.error && body.error.message) || `error ${xhr.status}`);
      if (xhr.status === 200) it.li.querySelector(".name").textContent += " (uploaded before)";
      follow(it, body.transaction_id);
    };
    it.state("upload");
    xhr.send(form);
  }

  async function follow(it, id) {
    let wait = 400;
    const link = it.li.querySelector(".open");
    link.href = `/jobs/${id}/`;
    for (;;) {
      let job;
      try {
        const resp = await fetch(`/api/status/${id}/`, { headers: { Accept: "application/json" } });
        if (!resp.ok) throw new Error(await window.taskocr.errorText(resp));
        job = await resp.json();
      } catch (e) {
        it.state(`checking again soon (${e.message})`, "waiting");
        await new Promise((r) => setTimeout(r, (wait = Math.min(wait * 2, 8000))));
        continue;
      }
      if (job.status === "pending") { it.state("queued"); it.progress(40); }
      else if (job.status === "processing") { it.state("reading"); it.progress(70); }
      else if (job.status === "completed") {
        const n = job.extracted_tasks.length;
        it.state(`done: ${n} task${n === 1 ? "" : "s"} (${job.engine})`, "done");
        it.progress(100);
        link.hidden = false;
        window.taskocr.announce(`${it.li.querySelector(".name").textContent} is read: ${n} tasks`);
        return;
      } else {
        it.state(`failed: ${job.error_message}`, "failed");
        it.li.classList.add("refused");
        link.hidden = false;
        return;
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 1.5, 5000);
    }
  }

  const sendAll = (files) => Array.from(files || []).forEach(send);

  const input = document.getElementById("file");
  input.addEventListener("change", () => { sendAll(input.files); input.value = ""; });

  const zone = document.getElementById("dropzone");
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (e) => { e.preventDefault(); sendAll(e.dataTransfer.files); });
  document.addEventListener("paste", (e) => {
    const files = Array.from(e.clipboardData?.files || []);
    if (files.length) { e.preventDefault(); sendAll(files); }
  });

  // the live camera, where the browser offers one (HTTPS or localhost, and permission given)
  const start = document.getElementById("camera-start");
  const panel = document.getElementById("camera");
  const video = document.getElementById("camera-video");
  let stream = null;
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) start.hidden = false;
  const stop = () => { if (stream) stream.getTracks().forEach((t) => t.stop()); stream = null; panel.hidden = true; start.focus(); };
  start.addEventListener("click", async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 3000 } } });
    } catch (e) {
      window.taskocr.announce(`The camera is not available: ${e.message}`);
      return refuse("camera", `not available (${e.name})`);
    }
    video.srcObject = stream;
    panel.hidden = false;
    await video.play();
    document.getElementById("camera-shoot").focus();
  });
  document.getElementById("camera-stop").addEventListener("click", stop);
  document.getElementById("camera-shoot").addEventListener("click", () => {
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    canvas.toBlob((blob) => send(new File([blob], `camera-${stamp}.jpg`, { type: "image/jpeg" })), "image/jpeg", 0.92);
  });
})();
