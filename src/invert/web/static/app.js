// invert's own script: draws Plotly charts from JSON blocks and keeps "run" disabled until a
// prediction is made. No inline scripts anywhere (the pages' CSP forbids them).
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
    button.disabled = !ready;
    if (hint) hint.hidden = ready;
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    document.querySelectorAll("form[data-needs-prediction]").forEach(function (form) {
      guardRun(form);
      form.addEventListener("input", function () { guardRun(form); });
      form.addEventListener("change", function () { guardRun(form); });
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
  // htmx disables the run button while a request is out; re-check the prediction afterwards.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-needs-prediction]");
    if (form) guardRun(form);
  });
})();
