/// The run page's one script, served as `/live.js` (the Content-Security-Policy allows scripts from
/// the server only): the charts' part (`ChartScript`), then this one. It zooms the charts when the
/// range form is sent, and follows a running run: opens the run's event stream from the step and
/// epoch the page was drawn with, updates the status, step, epoch and loss (as the server prints
/// it), appends the new epochs to the last page of the table and adds them to the charts, and swaps
/// in the parameters and gradient-check charts as the server draws them again. Text goes
/// in through `textContent` only, never parsed as markup. Without it the page is complete as drawn.
enum LiveScript {
    /// The whole script: both parts in one function, so they share its names and none is global.
    static let source = "\"use strict\";\n(function () {\n" + ChartScript.source + following + "})();\n"

    /// The part that follows the run and sends the zoom form.
    static let following = #"""
          var main = document.getElementById("run");
          if (!main) { return; }
          var form = document.getElementById("zoom");
          if (form && window.fetch && charts.length > 0) {
            form.addEventListener("submit", function (event) { if (zoom(form, main.dataset.run)) { event.preventDefault(); } });
          }
          if (main.dataset.status !== "running" || !window.EventSource) { return; }
          var set = function (id, text) { var node = document.getElementById(id); if (node) { node.textContent = text; } };
          // The parameters and gradient-check charts, drawn again by the server at most every two
          // seconds (and once at the end) and swapped in as images once loaded: never parsed here.
          var refreshed = Date.now();
          var refresh = function (force) {
            if (!force && Date.now() - refreshed < 2000) { return; }
            refreshed = Date.now();
            Array.prototype.forEach.call(document.querySelectorAll(".refresh-chart"), function (box) {
              var image = new Image();
              var step = String(Number(main.dataset.step));
              image.onload = function () { box.textContent = ""; box.appendChild(image); };
              image.setAttribute("alt", box.dataset.chart + " chart at step " + step);
              image.setAttribute("data-step", step);
              image.src = "/runs/" + Number(main.dataset.run) + "/chart.svg?chart=" + encodeURIComponent(box.dataset.chart) + "&step=" + step;
            });
          };
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
            if (progress.lossText !== null) { set("live-loss", progress.lossText); }
            refresh(false);
          });
          source.addEventListener("epochs", function (event) {
            var data = JSON.parse(event.data);
            addRows(data.columns, data.rows);
            if (main.dataset.live !== "1") { return; }
            var table = document.querySelector("#epochs table");
            if (!table) { return; }
            var body = table.tBodies.length ? table.tBodies[table.tBodies.length - 1] : table;
            data.rows.forEach(function (row, index) {
              var line = document.createElement("tr");
              row.forEach(function (value, column) {
                var cell = document.createElement("td");
                if (typeof value === "number") { cell.className = "n"; }
                cell.textContent = data.texts[index][column];
                line.appendChild(cell);
              });
              body.appendChild(line);
            });
          });
          source.addEventListener("end", function (event) {
            source.close();
            refresh(true);
            set("live-note", "(the run ended: " + JSON.parse(event.data) + "; reload for its final charts)");
          });

        """#
}
