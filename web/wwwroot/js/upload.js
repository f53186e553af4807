// Upload page: choosing or dropping files only lists them; the details above apply to every file, and each
// listed file can override them. The Upload button then sends each file in its own request, so every file
// gets a progress bar and its own result. Without JavaScript the form still posts all files at once.
(() => {
  const form = document.getElementById("upload");
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("upload-list");
  const template = document.getElementById("upload-item");
  const submit = form.querySelector("[data-upload-submit]");
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const header = document.querySelector('meta[name="csrf-header"]').content;
  const pending = new Map();
  // The page's own words, in the reader's language (data- attributes on the button).
  const say = submit.dataset;
  const uploadText = submit.textContent;
  let next = 0, busy = false;

  function refresh() {
    const count = pending.size;
    submit.textContent = count === 0 ? uploadText : callReview.plural(JSON.parse(say.files), count);
    submit.disabled = busy;
  }

  function add(files) {
    for (const file of files) {
      const id = String(next++);
      const li = template.content.firstElementChild.cloneNode(true);
      li.dataset.file = id;
      li.querySelector("[data-name]").textContent = file.name;
      li.querySelector("[data-size]").textContent = `${(file.size / 1048576).toFixed(1)} MB`;
      // Per-file fields get unique ids so their labels stay tied to them.
      for (const field of li.querySelectorAll("[data-field]")) {
        field.id = `file-${id}-${field.dataset.field}`;
        li.querySelector(`label[data-for="${field.dataset.field}"]`)?.setAttribute("for", field.id);
      }
      list.append(li);
      pending.set(id, { file, li });
    }
    refresh();
  }

  const send = ({ file, li }) => new Promise((resolve) => {
    const bar = li.querySelector("progress");
    const status = li.querySelector("[data-status]");
    const data = new FormData(form);
    data.delete("files");
    data.append("files", file);
    for (const field of li.querySelectorAll("[data-field]"))
      if (field.value.trim() !== "") data.set(field.dataset.field, field.value);
    li.querySelector("[data-overrides]")?.remove();
    li.querySelector("[data-remove]")?.remove();
    bar.hidden = false;
    status.textContent = say.uploading;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader(header, token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); status.textContent = `${bar.value}%`; } };
    xhr.onload = () => {
      let result;
      try { result = JSON.parse(xhr.responseText); } catch { result = null; }
      const r = Array.isArray(result) ? result[0] : result;
      status.textContent = "";
      if (xhr.status < 300 && r && r.callId) {
        li.classList.add("ok");
        const a = document.createElement("a");
        a.href = `/calls/${r.callId}`;
        a.textContent = r.alreadyExisted ? say.existing : say.queued;
        status.append(a);
      } else {
        li.classList.add("failed");
        status.textContent = r && r.error ? r.error : say.failed.replace("{0}", xhr.status);
      }
      bar.value = 100;
      resolve();
    };
    xhr.onerror = () => { li.classList.add("failed"); status.textContent = say.network; resolve(); };
    xhr.send(data);
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    if (pending.size === 0) { input.click(); return; }
    busy = true;
    refresh();
    const batch = [...pending.values()];
    pending.clear();
    for (const item of batch) await send(item);
    busy = false;
    refresh();
  });
  list.addEventListener("click", (e) => {
    const remove = e.target.closest("[data-remove]");
    if (!remove) return;
    const li = remove.closest("li");
    pending.delete(li.dataset.file);
    li.remove();
    refresh();
  });
  input.addEventListener("change", () => { add([...input.files]); input.value = ""; });
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => add([...e.dataTransfer.files]));
  refresh();
})();
