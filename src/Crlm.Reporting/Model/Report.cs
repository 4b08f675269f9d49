namespace Crlm.Reporting.Model;

/// <summary>A whole report: a title and its sections in reading order. Rendered by <see cref="Rendering.HtmlReportRenderer"/>.</summary>
public sealed record Report(string Title, IReadOnlyList<ReportSection> Sections);

/// <summary>
/// One section: an anchor id (unique in the report, linked from the table of contents), a title and its
/// blocks in reading order. A section whose inputs are missing keeps its place with <see cref="OmittedBecause"/>
/// set, so a reader sees what the run did not produce instead of wondering whether the report forgot it.
/// </summary>
public sealed record ReportSection(string Id, string Title, IReadOnlyList<ReportBlock> Blocks, string? OmittedBecause = null)
{
    public static ReportSection Omitted(string id, string title, string reason) => new(id, title, [], reason);
}

/// <summary>One piece of a section's content. Every string in a block is plain text; the renderer escapes it.</summary>
public abstract record ReportBlock;

/// <summary>A paragraph of plain text.</summary>
public sealed record TextBlock(string Text) : ReportBlock;

/// <summary>A table: header cells and rows of cells (rows may be shorter or longer than the header; the renderer pads).</summary>
public sealed record TableBlock(string? Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

/// <summary>A plot as SVG markup, made by <see cref="Plotting.ReportPlots"/> (the only producer of markup a report trusts).</summary>
public sealed record FigureBlock(string Caption, SvgMarkup Svg) : ReportBlock;

/// <summary>A raster picture (PNG bytes), embedded as a data: URI.</summary>
public sealed record ImageBlock(string Caption, string AltText, byte[] Png, int Width, int Height) : ReportBlock;

/// <summary>A gallery of images shown side by side (sample slices).</summary>
public sealed record ImageRowBlock(IReadOnlyList<ImageBlock> Images) : ReportBlock;
