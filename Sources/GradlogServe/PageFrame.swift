import Charts
import HTMLPages

/// The frame of every page: the style sheet of `report --html`, a few rules of the app's own, the
/// title, and the live script as a file of the server (the Content-Security-Policy allows no inline script).
enum PageFrame {
    /// The headers of every answer: no resource from elsewhere, no inline script, no framing, no caching.
    static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]

    /// Rules beyond the report's: the filter form, the pager, links in tables and tags, the runs table's rows on
    /// one line each (but for the name; the table scrolls in its box) and the live status.
    static let appStyle = """
        <style>
        nav { margin: 0 0 12px; } nav a { margin-right: 12px; }
        form.filter { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 8px 0; }
        form.filter label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
        .pager a, .pager span { margin-right: 12px; }
        th a, a.tag { color: inherit; }
        .tag { display: inline-block; border: 1px solid var(--rule); border-radius: 3px; padding: 0 4px; margin: 0 2px 2px 0; white-space: nowrap; }
        #runs td { white-space: nowrap; } #runs td:nth-child(2) { white-space: normal; min-width: 8em; }
        #live { font-variant-numeric: tabular-nums; }
        </style>
        """

    /// A whole page: `title` (escaped here), then `body` (markup already escaped), then the script.
    static func page(title: String, body: String, script: Bool) -> String {
        HTMLPageStyle.head(title: title, extraStyle: appStyle) + """
        <nav><a href="/">All runs</a></nav>
        <h1>\(LineChart.escaped(title))</h1>
        \(body)\(script ? "<script src=\"/live.js\" defer></script>\n" : "")</body>
        </html>

        """
    }
}
