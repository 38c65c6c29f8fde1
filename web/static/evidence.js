// The index self-assessment's pages (web/templates/_evidence_panel.html, _criteria_scores.html). Loaded once
// (the CSP allows no inline script); the server checks everything again.
(() => {
  if (window.cchcEvidence) return;
  window.cchcEvidence = true;

  // Evidence upload forms: say at once when a file is over the limit, instead of sending megabytes the server
  // will refuse. The file input may sit outside its form (form="…" on the self-score page): form.elements.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("form.evidence-upload")) return;
    const input = Array.from(form.elements).find((e) => e.type === "file");
    const limit = Number(input && input.dataset.maxBytes);
    const file = input && input.files && input.files[0];
    if (!file || !limit || file.size <= limit) return;
    event.preventDefault();
    let note = input.parentElement.querySelector(".error");
    if (!note) {
      note = document.createElement("div");
      note.className = "error";
      note.setAttribute("role", "alert");
      input.after(note);
    }
    const mb = (n) => (n / 1024 / 1024).toFixed(1).replace(".", ",");
    note.textContent = `Tệp "${file.name}" quá lớn (${mb(file.size)} MB); tối đa ${Math.round(limit / 1024 / 1024)} MB mỗi tệp.`;
  });

  // The one number rule of engine/runtime/numbers.py (a decimal field): decimal comma; points group thousands
  // in threes; one point is a decimal point only where it cannot group thousands ("1.500" is refused).
  // Returns null for nothing typed, NaN for what the server would refuse.
  const PLAIN = /^[+-]?\d+$/;
  const GROUPED = /^[+-]?[1-9]\d{0,2}(\.\d{3})+$/;
  const COMMA = /^([+-]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)),(\d+)$/;
  const POINT = /^[+-]?\d+\.\d+$/;
  const parseVn = (raw) => {
    const text = raw.replace(/\u00a0/g, " ").trim();
    if (!text) return null;
    if (PLAIN.test(text)) return Number(text);
    if (GROUPED.test(text)) return text.split(".").length === 2 ? NaN : Number(text.replace(/\./g, ""));
    const m = COMMA.exec(text);
    if (m) return Number(`${m[1].replace(/\./g, "")}.${m[2]}`);
    if (POINT.test(text)) return Number(text);
    return NaN;
  };
  // As the server shows a total: rounded to 0,01, decimal comma, no trailing zeros ("12,5").
  const formatVn = (x) => String(Math.round(x * 100) / 100).replace(".", ",");

  const total = document.getElementById("live-total");
  if (!total) return;
  const widget = total.closest(".criteria-scores");
  const update = () => {
    let sum = 0;
    let invalid = 0;
    widget.querySelectorAll("details.score-area").forEach((area) => {
      let areaSum = 0;
      area.querySelectorAll("input.score-input").forEach((input) => {
        const value = parseVn(input.value);
        if (Number.isNaN(value)) invalid += 1;
        else if (value !== null) areaSum += value;
      });
      area.querySelector("output.area-sum").textContent = formatVn(areaSum);
      sum += areaSum;
    });
    total.textContent = formatVn(sum);
    widget.querySelector(".invalid-count").textContent = String(invalid);
    widget.querySelector(".invalid-note").hidden = invalid === 0;
  };
  widget.addEventListener("input", (event) => {
    if (event.target.matches("input.score-input")) update();
  });
  update();
})();
