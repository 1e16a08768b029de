// invert's own script: draws Plotly charts from JSON blocks, keeps "run" disabled until a
// prediction is made, and locks the prediction from the click until its run ends. No inline
// scripts anywhere (the pages' CSP forbids them).
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-plotly]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.plotly);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      el.dataset.drawn = "1";
      Plotly.newPlot(el, spec.data, spec.layout, { responsive: true, displaylogo: false });
    });
  }

  function predictionMade(form) {
    var shape = form.querySelector("input[name=shape]:checked");
    var sure = form.querySelector("input[name=confidence]");
    return Boolean(shape) && sure && sure.value !== "" && sure.checkValidity();
  }

  function guardRun(form) {
    var button = form.querySelector("#run-button");
    var hint = form.querySelector("#run-hint");
    var ready = predictionMade(form);
    button.disabled = !ready || form.dataset.locked === "1";
    if (hint) hint.hidden = ready;
  }

  // From the click until the run ends, the prediction, the knob and Run are disabled: a
  // prediction is locked before its run starts, and one click records one prediction.
  function lock(form, locked) {
    if (locked) form.dataset.locked = "1"; else delete form.dataset.locked;
    form.querySelectorAll("fieldset").forEach(function (set) { set.disabled = locked; });
    form.querySelector("#run-button").disabled = locked;
  }

  function running() {
    return Boolean(document.querySelector("#run-area .job[data-state=running]"));
  }

  // Unlock once nothing is running; a finished result carries the token for the next run.
  function unlockIfDone() {
    if (running()) return;
    document.querySelectorAll("form[data-needs-prediction]").forEach(function (form) {
      if (form.dataset.locked !== "1") return;
      var result = document.querySelector("#run-area [data-next-once]");
      var once = form.querySelector("input[name=once]");
      if (result && once) once.value = result.dataset.nextOnce;
      lock(form, false);
      guardRun(form);
    });
  }

  // While the learner predicts, a changed knob starts its sweep on the server (after a pause in
  // the typing): the answer is empty, so nothing of the result reaches the page before the run.
  var preparing = null;
  function prepareLater(form) {
    if (!form.dataset.prepare || form.dataset.locked === "1") return;
    clearTimeout(preparing);
    preparing = setTimeout(function () {
      var csrf = form.querySelector("input[name=csrf]");
      fetch(form.dataset.prepare, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
        credentials: "same-origin"
      }).catch(function () { /* a refused value: Run says why */ });
    }, 300);
  }

  // A slider shows its value as it moves; its form re-runs when it is let go (htmx, on change).
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[type=range][data-shows]")) {
      var shown = document.getElementById(target.dataset.shows);
      if (shown) shown.textContent = target.value;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    document.querySelectorAll("form[data-needs-prediction]").forEach(function (form) {
      guardRun(form);
      var knob = form.querySelector("#knob");
      if (knob) knob.addEventListener("change", function () { prepareLater(form); });
      form.addEventListener("input", function () { guardRun(form); });
      form.addEventListener("change", function () { guardRun(form); });
      // Capture phase: locked before htmx sends, so a second click finds Run disabled.
      form.addEventListener("submit", function (event) {
        if (form.dataset.locked === "1") {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
      }, true);
    });
  });
  // The form's values are read before this event: disabling the controls now sends them all.
  document.addEventListener("htmx:beforeSend", function (event) {
    var form = event.target.closest && event.target.closest("form[data-needs-prediction]");
    if (form) lock(form, true);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    drawCharts(event.target);
    unlockIfDone();
  });
  document.addEventListener("htmx:afterRequest", unlockIfDone);
  document.addEventListener("htmx:sendError", unlockIfDone);
})();
