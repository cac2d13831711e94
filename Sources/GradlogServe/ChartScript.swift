/// The part of the run page's script that keeps its one-line charts live and zooms them (see
/// `LiveScript`, which holds it). Each chart's box carries the server's envelope (`ChartData`):
/// the x and y domains and, per pixel column, the lowest and highest finite value and a count of
/// the others. A live row adds its point to its column, as `Charts.Envelope` would; when a point
/// lies past the x domain, the domain doubles and neighbouring columns merge pairwise, so every
/// column still holds exactly the lowest and highest value of its x range (a point exactly on the
/// domain's right end is kept apart until then: that end moves into the middle of a column when
/// the domain doubles). The line, the y domain (as `LineChart.yScale` fits it), the ticks and the
/// marks of values that are not finite are then drawn again through the DOM (`setAttribute`,
/// `textContent`). A zoom fetches `/runs/ID/series` for each chart and draws its columns.
enum ChartScript {
    static let source = #"""
          var LEFT = 80, RIGHT = 700, TOP = 48, BOTTOM = 340, SVGNS = "http://www.w3.org/2000/svg";
          var fixed1 = function (value) { return (Math.round(Math.max(-1e7, Math.min(1e7, value)) * 10) / 10).toFixed(1); };
          var element = function (name, attributes) {
            var node = document.createElementNS(SVGNS, name);
            Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
            return node;
          };
          // A column's lowest and highest finite value and its count of others, as Envelope.Column.add.
          var addValue = function (column, y) {
            var out = column ? column.slice() : [null, null, 0];
            if (typeof y !== "number" || !isFinite(y)) { out[2] += 1; return out; }
            out[0] = out[0] === null ? y : Math.min(out[0], y);
            out[1] = out[1] === null ? y : Math.max(out[1], y);
            return out;
          };
          var merge = function (a, b) {
            if (!a || !b) { return a || b ? (a || b).slice() : null; }
            var out = a.slice();
            [b[0], b[1]].forEach(function (value) { if (value !== null) { out = addValue([out[0], out[1], out[2]], value); } });
            out[2] = a[2] + b[2];
            return out;
          };
          var power = function (units, exponent) { return exponent >= 0 ? units * Math.pow(10, exponent) : units / Math.pow(10, -exponent); };
          // Ticks.values on a linear scale: round steps of 1, 2 or 5 times a power of ten, at least three.
          var ticks = function (low, high, count, integers) {
            var linear = function (divisions) {
              var width = high - low;
              if (!(width > 0)) { return [low]; }
              var raw = width / divisions, exponent = Math.floor(Math.log10(raw));
              var multiple = [1, 2, 5, 10].filter(function (m) { return raw <= m * power(1, exponent) * 1.5; })[0] || 10;
              if (integers && exponent < 0) { multiple = 1; exponent = 0; }
              var unit = power(1, exponent);
              var first = Math.ceil(low / unit / multiple - 1e-9), last = Math.floor(high / unit / multiple + 1e-9);
              if (first > last || last - first > 100) { return []; }
              var out = [];
              for (var k = first; k <= last; k += 1) { out.push(power(k * multiple, exponent)); }
              return out;
            };
            var values = [];
            [count, 2 * count, 4 * count].forEach(function (d) { if (values.length < 3) { values = linear(d); } });
            return values.length >= 3 ? values : [low, (low + high) / 2, high];
          };
          var short = function (value) { return String(Math.round(value * 1e6) / 1e6); };
          // Ticks.label: plain for moderate magnitudes, else a mantissa and a power of ten.
          var label = function (value) {
            if (value === 0) { return "0"; }
            var magnitude = Math.abs(value);
            if (magnitude >= 1e5 || magnitude < 1e-3) {
              var exponent = Math.floor(Math.log10(magnitude));
              return short(value / Math.pow(10, exponent)) + "e" + exponent;
            }
            return short(Math.round(value * 1e9) / 1e9);
          };

          function Chart(box) {
            this.box = box;
            this.svg = box.querySelector("svg");
            this.name = box.dataset.chart;
            this.yFixed = box.dataset.yFixed === "1";
            var legend = this.svg.querySelector("line.line");
            this.stroke = legend ? legend.getAttribute("stroke") : "#000000";
            this.dash = legend ? legend.getAttribute("stroke-dasharray") : null;
            var range = box.dataset.from !== undefined ? [Number(box.dataset.from), Number(box.dataset.to)] : null;
            this.load(JSON.parse(box.dataset.x), JSON.parse(box.dataset.y), JSON.parse(box.dataset.columns), range);
            this.serverDrawn = true;
          }
          Chart.prototype.load = function (x, y, columns, range) {
            this.x0 = x[0]; this.x1 = x[1]; this.y0 = y[0]; this.y1 = y[1];
            this.cols = columns.map(function (c) { return c === 0 ? null : c.slice(); });
            this.end = null;
            this.range = range;
          };
          // Envelope.column(of:), in the same double arithmetic.
          Chart.prototype.column = function (x) {
            var fraction = (x - this.x0) / (this.x1 - this.x0), n = this.cols.length;
            if (!(fraction > 0)) { return 0; }
            if (!(fraction < 1)) { return n - 1; }
            return Math.min(Math.floor(fraction * n), n - 1);
          };
          // Twice the x span: columns 2k and 2k + 1 become column k, exactly the values of its range.
          Chart.prototype.widen = function () {
            var n = this.cols.length, merged = [], end = this.end;
            for (var i = 0; i < n; i += 2) { merged.push(merge(this.cols[i], i + 1 < n ? this.cols[i + 1] : null)); }
            while (merged.length < n) { merged.push(null); }
            this.cols = merged;
            this.x1 = this.x0 + 2 * (this.x1 - this.x0);
            this.end = null;
            if (end) { var at = this.column(end.x); this.cols[at] = merge(this.cols[at], end.column); }
          };
          // Adds a point; false when the chart shows a range it lies outside.
          Chart.prototype.add = function (x, y) {
            if (this.range) {
              if (x < this.range[0] || x > this.range[1]) { return false; }
            } else {
              while (x > this.x1) { this.widen(); }
            }
            if (!this.range && x === this.x1) {
              this.end = { x: x, column: addValue(this.end ? this.end.column : null, y) };
            } else {
              var at = this.column(x);
              this.cols[at] = addValue(this.cols[at], y);
            }
            this.box.dataset.last = String(Math.max(Number(this.box.dataset.last || 0), x));
            return true;
          };
          // The columns as drawn: the point on the right end, if any, in the last column.
          Chart.prototype.drawn = function () {
            var cols = this.cols.slice();
            if (this.end) { cols[cols.length - 1] = merge(cols[cols.length - 1], this.end.column); }
            return cols;
          };
          // LineChart.yScale: the values' range (or the fixed one), widened when a single value, plus 4% either side.
          Chart.prototype.fitY = function (cols) {
            var low = null, high = null;
            cols.forEach(function (c) {
              if (!c || c[0] === null) { return; }
              low = low === null ? c[0] : Math.min(low, c[0]);
              high = high === null ? c[1] : Math.max(high, c[1]);
            });
            if (this.yFixed) { low = 0; high = 1; }
            if (low === null) { low = 0; high = 1; }
            if (low === high) { if (low === 0) { low = -1; high = 1; } else { var half = Math.abs(low) / 2; high = low + half; low -= half; } }
            var width = high - low;
            this.y0 = low - 0.04 * width;
            this.y1 = high + 0.04 * width;
          };
          Chart.prototype.yPosition = function (value) { return BOTTOM + (value - this.y0) / (this.y1 - this.y0) * (TOP - BOTTOM); };
          Chart.prototype.xPosition = function (value) { return LEFT + (value - this.x0) / (this.x1 - this.x0) * (RIGHT - LEFT); };
          // Removes what the server drew that a redraw replaces: the first time by its attributes, after that its own groups.
          Chart.prototype.clear = function () {
            var svg = this.svg;
            var selectors = this.serverDrawn ? ["line.grid", "text[text-anchor='end'][x='74.0']", "line.axis[y1='340.0'][y2='345.0']",
              "text[text-anchor='middle'][y='358.0']", "polyline.line", "circle.dot"] : ["g.live-axes", "g.live-line"];
            selectors.forEach(function (selector) {
              Array.prototype.slice.call(svg.querySelectorAll(selector)).forEach(function (node) { node.parentNode.removeChild(node); });
            });
            Array.prototype.slice.call(svg.querySelectorAll("path")).forEach(function (node) {
              if (node.querySelector("title") && node.parentNode === svg) { svg.removeChild(node); }
            });
            this.serverDrawn = false;
          };
          Chart.prototype.axes = function () {
            var self = this, group = element("g", { "class": "live-axes" });
            ticks(this.y0, this.y1, 5, false).forEach(function (value) {
              var y = fixed1(self.yPosition(value));
              group.appendChild(element("line", { "class": "grid", x1: "80.0", y1: y, x2: "700.0", y2: y }));
              var text = element("text", { x: "74.0", y: fixed1(self.yPosition(value) + 4), "text-anchor": "end" });
              text.textContent = label(value);
              group.appendChild(text);
            });
            ticks(this.x0, this.x1, 6, true).forEach(function (value) {
              var x = fixed1(self.xPosition(value));
              group.appendChild(element("line", { "class": "axis", x1: x, y1: "340.0", x2: x, y2: "345.0" }));
              var text = element("text", { x: x, y: "358.0", "text-anchor": "middle" });
              text.textContent = String(value);
              group.appendChild(text);
            });
            return group;
          };
          // LineChart's polylines: each column adds its lowest and highest value, entered at the one nearer
          // the line's last point; a column of values that are not finite breaks the line, a lone column is a dot.
          Chart.prototype.line = function (cols) {
            var self = this, group = element("g", { "class": "live-line" }), points = [], single = null, lastY = null;
            var flush = function () {
              if (points.length === 1 && single) {
                group.appendChild(element("circle", { "class": "dot", fill: self.stroke, cx: fixed1(single[0]), cy: fixed1(single[1]), r: "3" }));
              } else if (points.length > 0) {
                var attributes = { "class": "line", stroke: self.stroke, points: points.join(" ") };
                if (self.dash) { attributes["stroke-dasharray"] = self.dash; }
                group.appendChild(element("polyline", attributes));
              }
              points = []; lastY = null;
            };
            cols.forEach(function (c, index) {
              var px = LEFT + index + 0.5;
              if (c && c[2] > 0) {
                group.appendChild(element("path", { fill: self.stroke, d: "M" + fixed1(px - 4) + " " + fixed1(TOP - 8) + "h8l-4 6z" }));
              }
              if (!c || c[0] === null) { if (c) { flush(); } return; }
              var first = self.yPosition(c[0]), last = self.yPosition(c[1]);
              var ordered = lastY === null || Math.abs(lastY - first) <= Math.abs(lastY - last) ? [first, last] : [last, first];
              (first === last ? [first] : ordered).forEach(function (py) { points.push(fixed1(px) + "," + fixed1(py)); });
              single = [px, first];
              lastY = first === last ? first : ordered[1];
            });
            flush();
            return group;
          };
          Chart.prototype.draw = function () {
            var cols = this.drawn();
            this.fitY(cols);
            this.clear();
            var frame = this.svg.querySelector("path.axis"), legend = this.svg.querySelector("line.line");
            this.svg.insertBefore(this.axes(), frame);
            this.svg.insertBefore(this.line(cols), legend);
            // What is drawn, for a reader of the page (the browser test compares it with the server's envelope).
            this.box.dataset.x = JSON.stringify([this.x0, this.x1]);
            this.box.dataset.columns = JSON.stringify(cols.map(function (c) { return c || 0; }));
          };

          var charts = Array.prototype.slice.call(document.querySelectorAll(".live-chart")).map(function (box) { return new Chart(box); });
          // The value of a chart in a row of the per-epoch report: NaN and the infinities come as strings.
          var valueIn = function (chart, columns, row) {
            var index = chart.name === "loss" ? columns.indexOf("mean_loss") : columns.lastIndexOf(chart.name);
            if (index < 0) { return undefined; }
            var value = row[index];
            if (value === null) { return chart.box.dataset.nullIsNan === "1" ? NaN : undefined; }
            return typeof value === "string" ? Number(value) : value;
          };
          // New rows of the per-epoch report (the event stream's `epochs`) into every chart, each drawn once.
          var addRows = function (columns, rows) {
            var epochAt = columns.indexOf("epoch");
            charts.forEach(function (chart) {
              var changed = false;
              rows.forEach(function (row) {
                var y = valueIn(chart, columns, row);
                if (y !== undefined && chart.add(row[epochAt], y)) { changed = true; }
              });
              if (changed) { chart.draw(); }
            });
          };
          // A zoom: every chart refetched over the epochs asked for at full resolution.
          var zoom = function (form, runID) {
            var from = form.elements.from.value.trim(), to = form.elements.to.value.trim();
            if (from === "" && to === "") { return false; }
            var note = document.getElementById("zoom-note");
            var query = (from === "" ? "" : "&from=" + encodeURIComponent(from)) + (to === "" ? "" : "&to=" + encodeURIComponent(to));
            var pending = charts.map(function (chart) {
              return fetch("/runs/" + runID + "/series?chart=" + encodeURIComponent(chart.name) + query, { credentials: "same-origin" })
                .then(function (response) {
                  if (!response.ok) { return response.text().then(function (text) { throw new Error(text.trim()); }); }
                  return response.json();
                })
                .then(function (data) {
                  chart.load(data.x, data.y, data.columns, [data.from, data.to]);
                  chart.box.dataset.from = String(data.from);
                  chart.box.dataset.to = String(data.to);
                  chart.draw();
                  return data;
                });
            });
            Promise.all(pending).then(function (answers) {
              var first = answers[0];
              if (note) { note.textContent = first ? "epochs " + first.from + " to " + first.to : ""; }
              if (first && window.history && history.replaceState) {
                history.replaceState(null, "", "/runs/" + runID + "?from=" + first.from + "&to=" + first.to);
              }
            }).catch(function (error) { if (note) { note.textContent = error.message; } });
            return true;
          };

        """#
}
