// Evidence upload forms (web/templates/_evidence_panel.html): say at once when a file is over the limit,
// instead of sending megabytes the server will refuse. The server checks everything again.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches || !form.matches("form.evidence-upload")) return;
  const input = form.querySelector("input[type=file]");
  const limit = Number(input && input.dataset.maxBytes);
  const file = input && input.files && input.files[0];
  if (!file || !limit || file.size <= limit) return;
  event.preventDefault();
  let note = form.querySelector(".error");
  if (!note) {
    note = document.createElement("div");
    note.className = "error";
    note.setAttribute("role", "alert");
    input.after(note);
  }
  const mb = (n) => (n / 1024 / 1024).toFixed(1).replace(".", ",");
  note.textContent = `Tệp "${file.name}" quá lớn (${mb(file.size)} MB); tối đa ${Math.round(limit / 1024 / 1024)} MB mỗi tệp.`;
});
