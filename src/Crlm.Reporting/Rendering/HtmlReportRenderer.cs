using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Rendering;

/// <summary>
/// Renders a <see cref="Report"/> to one self-contained HTML page: the style sheet inline, plots as inline SVG,
/// pictures as data: URIs, no script and no reference to anything outside the file, so it opens offline and
/// archives as one file. Every piece of text goes through <see cref="Escape"/>; the only markup taken as is is the
/// <see cref="SvgMarkup"/> that the plotting code vetted.
/// </summary>
public static partial class HtmlReportRenderer
{
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(1 << 16);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Escape(report.Title)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(Escape(report.Title)).Append("</h1></header>\n");

        var ids = UniqueIds(report.Sections);
        html.Append("<nav id=\"toc\"><h2>Contents</h2>\n<ol>\n");
        for (int s = 0; s < report.Sections.Count; s++)
        {
            var section = report.Sections[s];
            html.Append("<li><a href=\"#").Append(ids[s]).Append("\">").Append(Escape(section.Title)).Append("</a>");
            if (section.OmittedBecause is not null)
            {
                html.Append(" <span class=\"omitted\">(omitted)</span>");
            }

            html.Append("</li>\n");
        }

        html.Append("</ol>\n</nav>\n<main>\n");
        int figure = 0;
        for (int s = 0; s < report.Sections.Count; s++)
        {
            var section = report.Sections[s];
            html.Append("<section id=\"").Append(ids[s]).Append("\">\n<h2>").Append(Escape(section.Title)).Append("</h2>\n");
            if (section.OmittedBecause is { } reason)
            {
                html.Append("<p class=\"note\">Omitted: ").Append(Escape(reason)).Append("</p>\n");
            }

            foreach (var block in section.Blocks)
            {
                AppendBlock(html, block, ref figure);
            }

            html.Append("</section>\n");
        }

        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>HTML-escapes text for element content and quoted attribute values (&amp; &lt; &gt; " ').</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static void AppendBlock(StringBuilder html, ReportBlock block, ref int figure)
    {
        switch (block)
        {
            case TextBlock text:
                html.Append("<p>").Append(Escape(text.Text)).Append("</p>\n");
                break;
            case TableBlock table:
                AppendTable(html, table);
                break;
            case FigureBlock plot:
                figure++;
                html.Append("<figure class=\"plot\">")
                    .Append(InlineSvg(plot.Svg, string.Create(CultureInfo.InvariantCulture, $"fig{figure}-")))
                    .Append("<figcaption>").Append(Escape(plot.Caption)).Append("</figcaption></figure>\n");
                break;
            case ImageBlock image:
                AppendImage(html, image);
                break;
            case ImageRowBlock row:
                html.Append("<div class=\"gallery\">\n");
                foreach (var image in row.Images)
                {
                    AppendImage(html, image);
                }

                html.Append("</div>\n");
                break;
            default:
                throw new NotSupportedException($"no HTML for report block {block.GetType().Name}");
        }
    }

    private static void AppendTable(StringBuilder html, TableBlock table)
    {
        int columns = Math.Max(table.Header.Count, table.Rows.Count == 0 ? 0 : table.Rows.Max(r => r.Count));
        html.Append("<div class=\"table-wrap\"><table>\n");
        if (table.Caption is not null)
        {
            html.Append("<caption>").Append(Escape(table.Caption)).Append("</caption>\n");
        }

        html.Append("<thead><tr>");
        for (int c = 0; c < columns; c++)
        {
            html.Append("<th>").Append(Escape(c < table.Header.Count ? table.Header[c] : "")).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        if (table.Rows.Count == 0)
        {
            html.Append("<tr><td class=\"empty\" colspan=\"").Append(Math.Max(1, columns)).Append("\">no rows</td></tr>\n");
        }

        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < columns; c++)
            {
                html.Append("<td>").Append(Escape(c < row.Count ? row[c] : "")).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n");
    }

    private static void AppendImage(StringBuilder html, ImageBlock image)
    {
        html.Append("<figure class=\"image\"><img alt=\"").Append(Escape(image.AltText))
            .Append("\" width=\"").Append(image.Width.ToString(CultureInfo.InvariantCulture))
            .Append("\" height=\"").Append(image.Height.ToString(CultureInfo.InvariantCulture))
            .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(image.Png)).Append("\">")
            .Append("<figcaption>").Append(Escape(image.Caption)).Append("</figcaption></figure>\n");
    }

    /// <summary>
    /// The SVG without its XML declaration (not allowed inside HTML), with every id given the figure's prefix: each
    /// exported plot numbers its clip paths from the same start, and in one page the first "#cl_4" would clip them all.
    /// </summary>
    internal static string InlineSvg(SvgMarkup svg, string idPrefix)
    {
        string xml = XmlDeclaration().Replace(svg.Xml, "");
        xml = IdAttribute().Replace(xml, m => $"{m.Groups[1].Value}=\"{idPrefix}{m.Groups[2].Value}\"");
        xml = UrlReference().Replace(xml, m => $"url(#{idPrefix}{m.Groups[1].Value})");
        xml = HrefReference().Replace(xml, m => $"{m.Groups[1].Value}=\"#{idPrefix}{m.Groups[2].Value}\"");
        return xml.Trim();
    }

    /// <summary>Section ids as anchors: only [a-z0-9-], never empty, unique (a repeated id gets "-2", "-3", ...).</summary>
    internal static IReadOnlyList<string> UniqueIds(IReadOnlyList<ReportSection> sections)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>(sections.Count);
        foreach (var section in sections)
        {
            string id = AnchorUnsafe().Replace(section.Id.ToLowerInvariant(), "-").Trim('-');
            id = id.Length == 0 ? "section" : id;
            string unique = id;
            for (int n = 2; !used.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{id}-{n}");
            }

            ids.Add(unique);
        }

        return ids;
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\b(id)=""([^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex(@"\b((?:xlink:)?href)=""#([^""]+)""")]
    private static partial Regex HrefReference();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex AnchorUnsafe();

    private const string Style = """
        :root { --ink: #1d2430; --muted: #5b6472; --rule: #d8dde5; --accent: #1f5fa8; --band: #f4f6f9; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
        header { padding: 18px 32px; border-bottom: 3px solid var(--accent); background: var(--band); }
        h1 { margin: 0; font-size: 24px; }
        nav#toc { padding: 8px 32px; border-bottom: 1px solid var(--rule); }
        nav#toc h2 { font-size: 16px; margin: 8px 0 4px; }
        nav#toc ol { margin: 0 0 8px; padding-left: 22px; columns: 2; }
        nav#toc a { color: var(--accent); text-decoration: none; }
        main { padding: 0 32px 48px; max-width: 1200px; }
        section { padding-top: 12px; border-bottom: 1px solid var(--rule); padding-bottom: 16px; }
        section h2 { font-size: 20px; margin: 12px 0 8px; }
        .note, .omitted { color: var(--muted); font-style: italic; }
        .table-wrap { overflow-x: auto; margin: 8px 0 14px; }
        table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        th { background: var(--band); white-space: nowrap; }
        td.empty { color: var(--muted); font-style: italic; }
        figure { margin: 8px 16px 14px 0; display: inline-block; vertical-align: top; }
        figure.plot svg { max-width: 100%; height: auto; border: 1px solid var(--rule); }
        figcaption { font-size: 13px; color: var(--muted); max-width: 560px; }
        .gallery { display: flex; flex-wrap: wrap; gap: 8px; }
        .gallery img { image-rendering: pixelated; border: 1px solid var(--rule); }
        """;
}
