using System.Text;

namespace Crlm.Core.Cohort;

/// <summary>One data row of a CSV file with the 1-based line number it starts on (for error messages).</summary>
public sealed record CsvRow(int LineNumber, IReadOnlyList<string> Cells);

/// <summary>
/// A parsed CSV file (RFC 4180: comma separated, double-quoted fields may hold commas, quotes
/// doubled, and line breaks). Small and strict on purpose: manifests are hand-edited, so a
/// malformed line is reported with its line number instead of being guessed at.
/// </summary>
public sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows)
{
    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    public static CsvTable Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new List<CsvRow>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        int line = 1;
        int recordStart = 1;
        bool inQuotes = false;
        bool cellWasQuoted = false;
        bool anyContent = false;

        void EndCell()
        {
            cells.Add(cellWasQuoted ? cell.ToString() : cell.ToString().Trim());
            cell.Clear();
            cellWasQuoted = false;
        }

        void EndRecord()
        {
            EndCell();
            // Blank lines (a single empty cell) separate nothing in a manifest: skip them.
            if (!(cells.Count == 1 && cells[0].Length == 0))
            {
                records.Add(new CsvRow(recordStart, cells.ToArray()));
            }

            cells.Clear();
        }

        int c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            anyContent = true;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    cell.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when cell.ToString().Trim().Length == 0 && !cellWasQuoted:
                    cell.Clear();
                    inQuotes = true;
                    cellWasQuoted = true;
                    break;
                case '"':
                    throw new FormatException($"{sourceName}:{line}: stray double quote inside an unquoted field");
                case ',':
                    EndCell();
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordStart = line;
                    break;
                default:
                    if (cellWasQuoted && !char.IsWhiteSpace(ch))
                    {
                        throw new FormatException($"{sourceName}:{line}: text after a closing double quote");
                    }

                    cell.Append(ch);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new FormatException($"{sourceName}:{recordStart}: a quoted field is never closed");
        }

        if (anyContent && (cell.Length > 0 || cells.Count > 0 || cellWasQuoted))
        {
            EndRecord();
        }

        if (records.Count == 0)
        {
            throw new FormatException($"{sourceName}: the file is empty (a header line is required)");
        }

        return new CsvTable(records[0].Cells, records.Skip(1).ToArray());
    }

    /// <summary>Quotes a cell when it needs it, so <see cref="Parse"/> reads it back unchanged.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool needsQuotes = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value != value.Trim();
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
