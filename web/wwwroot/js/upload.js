// Upload page: sends each chosen or dropped file in its own request so every file gets a progress bar
// and its own result. Without JavaScript the form still posts all files at once.
(() => {
  const form = document.getElementById("upload");
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("upload-list");
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const header = document.querySelector('meta[name="csrf-header"]').content;

  const row = (name) => {
    const li = document.createElement("li");
    const label = document.createElement("strong");
    label.textContent = name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const status = document.createElement("span");
    status.textContent = " waiting";
    li.append(label, " ", bar, status);
    list.append(li);
    return { li, bar, status };
  };

  const send = (file) => new Promise((resolve) => {
    const { li, bar, status } = row(file.name);
    const data = new FormData(form);
    data.delete("files");
    data.append("files", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader(header, token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); status.textContent = ` ${bar.value}%`; } };
    xhr.onload = () => {
      let result;
      try { result = JSON.parse(xhr.responseText); } catch { result = null; }
      const r = Array.isArray(result) ? result[0] : result;
      status.textContent = " ";
      if (xhr.status < 300 && r && r.callId) {
        li.className = "ok";
        const a = document.createElement("a");
        a.href = `/calls/${r.callId}`;
        a.textContent = r.alreadyExisted ? "already uploaded — open the existing call" : "queued for transcription — open";
        status.append(a);
      } else {
        li.className = "failed";
        status.textContent = ` ${r && r.error ? r.error : `upload failed (${xhr.status})`}`;
      }
      bar.value = 100;
      resolve();
    };
    xhr.onerror = () => { li.className = "failed"; status.textContent = " network error"; resolve(); };
    xhr.send(data);
  });

  const uploadAll = async (files) => { for (const f of files) await send(f); };

  form.addEventListener("submit", (e) => { e.preventDefault(); uploadAll([...input.files]); input.value = ""; });
  input.addEventListener("change", () => { uploadAll([...input.files]); input.value = ""; });
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => uploadAll([...e.dataTransfer.files]));
})();
