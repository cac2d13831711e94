/// The page's one script, served as `/live.js` (the Content-Security-Policy allows scripts from the
/// server only). It follows a running run: opens the run's event stream from the step and epoch the
/// page was drawn with, updates the status, step, epoch and loss, and appends the new epochs to the
/// last page of the table. Text goes in through `textContent` only, never parsed as markup. Without
/// it the page is complete as drawn.
enum LiveScript {
    static let source = #"""
        "use strict";
        (function () {
          var main = document.getElementById("run");
          if (!main || main.dataset.status !== "running" || !window.EventSource) { return; }
          var set = function (id, text) { var node = document.getElementById(id); if (node) { node.textContent = text; } };
          var url = "/runs/" + main.dataset.run + "/events?after=" + main.dataset.step + "&epoch=" + main.dataset.epoch;
          var source = new EventSource(url);
          source.addEventListener("progress", function (event) {
            var progress = JSON.parse(event.data);
            main.dataset.status = progress.status;
            main.dataset.step = String(progress.step);
            main.dataset.epoch = String(progress.epochs);
            set("live-status", progress.status);
            set("live-step", String(progress.step));
            set("live-epoch", String(progress.epochs));
            if (progress.loss !== null) { set("live-loss", String(progress.loss)); }
          });
          source.addEventListener("epochs", function (event) {
            if (main.dataset.live !== "1") { return; }
            var table = document.querySelector("#epochs table");
            if (!table) { return; }
            var body = table.tBodies.length ? table.tBodies[table.tBodies.length - 1] : table;
            JSON.parse(event.data).rows.forEach(function (row) {
              var line = document.createElement("tr");
              row.forEach(function (value) {
                var cell = document.createElement("td");
                if (typeof value === "number") { cell.className = "n"; }
                cell.textContent = value === null ? "" : String(value);
                line.appendChild(cell);
              });
              body.appendChild(line);
            });
          });
          source.addEventListener("end", function (event) {
            source.close();
            set("live-note", "(the run ended: " + JSON.parse(event.data) + "; reload for its final charts)");
          });
        })();
        """#
}
