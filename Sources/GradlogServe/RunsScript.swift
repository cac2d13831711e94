/// The runs page's script, served as `/runs.js` (the Content-Security-Policy allows scripts from the
/// server only). It opens the page's event stream (`RunsEventStream`, its address in the table's
/// `data-events`) and applies each `run` event: a row on the page gets its new cells and status; a
/// new run is inserted where the page's order puts it (`data-insert`: `top` or `bottom`, when the
/// page is ordered by id and is the page where new runs go), else counted in a "N new runs — show"
/// link that reloads the page; the run count follows, and a row whose run no longer passes the
/// page's filter (`leaves`: a run that ended on a page of running runs) is taken out. Text goes in
/// through `textContent` and `setAttribute` only, never parsed as markup. Without it the page is
/// complete as drawn.
enum RunsScript {
    static let source = #"""
        "use strict";
        (function () {
          var table = document.getElementById("runs");
          if (!table || !table.dataset.events || !window.EventSource) { return; }
          var body = table.tBodies.length ? table.tBodies[table.tBodies.length - 1] : table;
          var columns = Array.prototype.map.call(table.querySelectorAll("th[data-col]"), function (th) { return th.dataset.col; });
          var fresh = 0;
          var link = function (href, text) {
            var anchor = document.createElement("a");
            anchor.setAttribute("href", href);
            anchor.textContent = text;
            return anchor;
          };
          var tag = function (pair) {
            var text = pair[0] + "=" + pair[1];
            var anchor = link("/compare?tag=" + encodeURIComponent(text), text.length > 40 ? text.slice(0, 39) + "\u2026" : text);
            anchor.className = "tag";
            anchor.setAttribute("title", text);
            return anchor;
          };
          var fill = function (cell, column, run) {
            var text = run.cells[column] === undefined ? "" : run.cells[column];
            cell.className = run.numeric.indexOf(column) >= 0 || column === "id" ? "n" : "";
            cell.textContent = "";
            if (column === "id") {
              var box = document.createElement("input");
              box.setAttribute("type", "checkbox");
              box.setAttribute("name", "run");
              box.setAttribute("value", String(run.id));
              box.setAttribute("aria-label", "compare run " + run.id);
              cell.appendChild(box);
              cell.appendChild(document.createTextNode(" "));
              cell.appendChild(link("/runs/" + run.id, text));
            } else if (column === "name") {
              cell.appendChild(link("/runs/" + run.id, text));
            } else if (column === "tags") {
              cell.className = "tags";
              var box = document.createElement("div");
              box.className = "tagbox";
              run.tags.forEach(function (pair) { box.appendChild(tag(pair)); });
              cell.appendChild(box);
            } else {
              cell.textContent = text;
            }
          };
          var update = function (line, run) {
            line.dataset.status = run.status;
            Array.prototype.forEach.call(line.querySelectorAll("td[data-col]"), function (cell) {
              var column = cell.dataset.col;
              if (column === "id" || column === "name" || run.cells[column] === undefined) { return; }
              cell.textContent = run.cells[column];
              cell.removeAttribute("title");
              cell.className = run.numeric.indexOf(column) >= 0 ? "n" : "";
            });
          };
          var insert = function (run) {
            var line = document.createElement("tr");
            line.dataset.run = String(run.id);
            line.dataset.status = run.status;
            columns.forEach(function (column) {
              var cell = document.createElement("td");
              if (column !== "tags") { cell.dataset.col = column; }
              fill(cell, column, run);
              line.appendChild(cell);
            });
            var rows = body.querySelectorAll("tr[data-run]");
            if (table.dataset.insert === "top") {
              var first = rows.length ? rows[0] : null;
              body.insertBefore(line, first);
              if (rows.length + 1 > Number(table.dataset.pageSize)) { rows[rows.length - 1].remove(); }
            } else {
              body.appendChild(line);
            }
          };
          var count = document.getElementById("runs-count");
          var recount = function (change) {
            if (!count) { return; }
            var runs = Math.max(0, Number(count.dataset.count) + change);
            count.dataset.count = String(runs);
            count.textContent = runs + " run" + (runs === 1 ? "" : "s");
          };
          var announce = function () {
            var note = document.getElementById("runs-new");
            if (!note) { return; }
            note.hidden = false;
            note.firstElementChild.textContent = fresh + " new run" + (fresh === 1 ? "" : "s") + " \u2014 show";
          };
          var source = new EventSource(table.dataset.events);
          var live = document.getElementById("runs-live");
          source.addEventListener("open", function () { if (live) { live.textContent = "Live."; } });
          source.addEventListener("error", function () { if (live) { live.textContent = "Reconnecting\u2026"; } });
          source.addEventListener("run", function (event) {
            var run = JSON.parse(event.data);
            var line = body.querySelector("tr[data-run='" + Number(run.id) + "']");
            if (run.leaves) {
              if (line) { line.remove(); }
              recount(-1);
              return;
            }
            if (run.new) { recount(1); }
            if (line) {
              update(line, run);
            } else if (!run.new) {
              return;
            } else if (table.dataset.insert === "top" ||
                       (table.dataset.insert === "bottom" && body.querySelectorAll("tr[data-run]").length < Number(table.dataset.pageSize))) {
              insert(run);
            } else {
              fresh += 1;
              announce();
            }
          });
        })();
        """#
}
