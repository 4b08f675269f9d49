using Crlm.Core.Cohort;

namespace Crlm.Core.Tests.Cohort;

public class CsvTableTests
{
    [Fact]
    public void Reads_quoted_fields_with_commas_quotes_and_line_breaks_and_tracks_line_numbers()
    {
        var table = CsvTable.Parse(new StringReader("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",2\n3,4"), "t.csv");
        Assert.Equal(["a", "b"], table.Header);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(["x, y", "say \"hi\""], table.Rows[0].Cells);
        Assert.Equal(2, table.Rows[0].LineNumber);
        Assert.Equal("multi\nline", table.Rows[1].Cells[0]);
        Assert.Equal(4, table.Rows[1].LineNumber);
        Assert.Equal(6, table.Rows[2].LineNumber);
    }

    [Theory]
    [InlineData("a\n\"open", "t.csv:2: a quoted field is never closed")]
    [InlineData("a\nx\"y", "t.csv:2: stray double quote")]
    [InlineData("a\n\"x\"y", "t.csv:2: text after a closing double quote")]
    public void Malformed_lines_are_reported_with_their_line(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CsvTable.Parse(new StringReader(text), "t.csv"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with,comma")]
    [InlineData("with \"quote\"")]
    [InlineData(" padded ")]
    public void Escape_round_trips(string value)
    {
        var table = CsvTable.Parse(new StringReader("h\n" + CsvTable.Escape(value) + "\n"), "t.csv");
        Assert.Equal(value, table.Rows[0].Cells[0]);
    }
}
