import Charts

/// The style sheet of the `--html` page, inline so that the page needs nothing from elsewhere.
///
/// Charts sit in a grid of as many columns of at least 440 px as the window holds (two on a
/// 1,200 px window, one on a phone) and shrink with their column. A table wider than the page
/// scrolls inside its own box with its first column held in place (`position: sticky` needs the
/// separate border model and an opaque background), and a number never breaks (a 1e-05 split at
/// its "e-" reads as two numbers). Both schemes follow the reader's system; the charts carry their
/// own styles for both.
public enum HTMLPageStyle {
    /// A page's beginning up to and including `<body>`: its `title` (escaped here) and the style
    /// sheet, followed by `extraStyle` (a `<style>` element of the page's own, or nothing).
    public static func head(title: String, extraStyle: String = "") -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(LineChart.escaped(title))</title>
        \(sheet)
        \(extraStyle.isEmpty ? "" : extraStyle + "\n")</head>
        <body>

        """
    }

    public static let sheet = """
        <style>
        :root { color-scheme: light dark; --fg: #222; --bg: #fff; --rule: #ddd; --muted: #666; }
        @media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #111; --rule: #444; --muted: #aaa; } }
        body { font: 14px/1.4 sans-serif; margin: 16px 24px; color: var(--fg); background: var(--bg); }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 12px 0 4px; }
        .scroll { overflow-x: auto; max-width: 100%; margin: 8px 0 20px; }
        table { border-collapse: separate; border-spacing: 0; }
        td, th { padding: 2px 10px; border-bottom: 1px solid var(--rule); background: var(--bg); text-align: left; }
        th { white-space: nowrap; }
        td { overflow-wrap: break-word; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr > :first-child { position: sticky; left: 0; z-index: 1; border-right: 1px solid var(--rule); }
        td.gap { color: var(--muted); padding: 6px 10px; border-right: 0; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr)); gap: 16px 24px; }
        .charts svg { display: block; width: 100%; height: auto; }
        .summaries { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 320px), 1fr)); gap: 0 24px; align-items: start; }
        .summaries > * { min-width: 0; }
        .note { color: var(--muted); }
        </style>
        """
}
