// Article view: clicking a highlighted stretch lights up every record covering it (and their other
// spans); clicking a record lights up its spans in the text. DOM only, no innerHTML: text stays inert.
"use strict";
(function () {
  const text = document.getElementById("article-text");
  if (!text) { return; }
  const records = Array.from(document.querySelectorAll("[data-record-marks]"));

  function clear() {
    document.querySelectorAll(".hl.active").forEach((el) => el.classList.remove("active"));
    records.forEach((el) => el.classList.remove("selected"));
  }

  function light(ids) {
    const wanted = new Set(ids);
    document.querySelectorAll("#article-text .hl").forEach((el) => {
      if (el.dataset.marks.split(" ").some((id) => wanted.has(id))) { el.classList.add("active"); }
    });
  }

  text.addEventListener("click", (event) => {
    const segment = event.target.closest(".hl");
    if (!segment) { return; }
    clear();
    const ids = segment.dataset.marks.split(" ");
    const hit = records.filter((el) => el.dataset.recordMarks.split(" ").some((id) => ids.includes(id)));
    hit.forEach((el) => el.classList.add("selected"));
    light(hit.flatMap((el) => el.dataset.recordMarks.split(" ")).concat(ids));
    if (hit.length > 0) { hit[0].scrollIntoView({ block: "nearest" }); }
  });

  records.forEach((el) => {
    el.addEventListener("click", (event) => {
      if (event.target.closest("a")) { return; }
      clear();
      el.classList.add("selected");
      light(el.dataset.recordMarks.split(" "));
      const first = text.querySelector(".hl.active");
      if (first) { first.scrollIntoView({ block: "center" }); }
    });
  });
})();
