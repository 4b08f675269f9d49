namespace Crlm.Reporting.Model;

/// <summary>
/// SVG markup that goes into the page unescaped. Only <see cref="Plotting.ReportPlots"/> makes these (the constructor is
/// internal), and it checks the markup holds no script, event handler or external reference, so data that reaches a
/// plot label cannot become active content.
/// </summary>
public sealed record SvgMarkup
{
    internal SvgMarkup(string xml) => Xml = xml;

    public string Xml { get; }
}
