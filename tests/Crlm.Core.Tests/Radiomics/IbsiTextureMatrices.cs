using System.Globalization;
using System.Text.RegularExpressions;
using Crlm.Core.Imaging;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Radiomics;

/// <summary>One printed matrix of the IBSI manual: its family, layout, slice (0-based k, or null) and direction.</summary>
public sealed record IbsiMatrixKey(string Matrix, string Layout, int? Slice, Int3? Direction);

/// <summary>
/// The digital phantom's texture matrices as the IBSI manual prints them
/// (../shared/data/ibsi/reference_values/ibsi1_digital_phantom_texture_matrices.csv), as (row, column) → count per
/// printed matrix. Rows are grey levels; columns are j (GLCM), run length r (GLRLM) or zone size s (GLSZM).
/// </summary>
public static partial class IbsiTextureMatrices
{
    public static IReadOnlyDictionary<IbsiMatrixKey, Dictionary<(int Row, int Column), long>> Read(string family)
    {
        var path = Path.Combine(IbsiReference.Directory!, "reference_values", "ibsi1_digital_phantom_texture_matrices.csv");
        var lines = File.ReadAllLines(path);
        var header = Cells(lines[0]);
        int Column(string name) => header.IndexOf(name);
        var result = new Dictionary<IbsiMatrixKey, Dictionary<(int, int), long>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = Cells(line);
            if (cells[Column("matrix")] != family)
            {
                continue;
            }

            string slice = cells[Column("slice_z")], direction = cells[Column("direction_xyz")];
            var key = new IbsiMatrixKey(
                family,
                cells[Column("layout")],
                slice.Length == 0 ? null : int.Parse(slice, CultureInfo.InvariantCulture) - 1,
                direction.Length == 0 ? null : ParseDirection(direction));
            if (!result.TryGetValue(key, out var counts))
            {
                result[key] = counts = [];
            }

            counts[(Int(cells[Column("i")]), Int(cells[Column("col_value")]))] = Int(cells[Column("count_value")]);
        }

        return result;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static Int3 ParseDirection(string text)
    {
        var parts = text.Trim('(', ')').Replace('−', '-').Split(',').Select(Int).ToArray();
        return new Int3(parts[0], parts[1], parts[2]);
    }

    /// <summary>CSV cells; the direction column is quoted because it holds commas.</summary>
    private static List<string> Cells(string line) =>
        CellPattern().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();

    [GeneratedRegex("(?:^|,)(?:\"([^\"]*)\"|([^,]*))")]
    private static partial Regex CellPattern();
}
