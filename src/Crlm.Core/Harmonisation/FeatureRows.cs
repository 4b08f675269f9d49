namespace Crlm.Core.Harmonisation;

/// <summary>Checks a feature matrix given as rows, with one site per row.</summary>
internal static class FeatureRows
{
    /// <summary>The common row length; every value must be finite (ComBat has no missing-value handling here).</summary>
    public static int Check(IReadOnlyList<double[]> rows, IReadOnlyList<string> sites, string parameter, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(rows, parameter);
        ArgumentNullException.ThrowIfNull(sites);
        if (sites.Count != rows.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {sites.Count} sites", nameof(sites));
        }

        if (rows.Count == 0)
        {
            return allowEmpty ? 0 : throw new ArgumentException("no rows", parameter);
        }

        int width = rows[0]?.Length ?? throw new ArgumentException("row 0 is null", parameter);
        if (width == 0)
        {
            throw new ArgumentException("rows have no features", parameter);
        }

        for (int i = 0; i < rows.Count; i++)
        {
            double[] row = rows[i] ?? throw new ArgumentException($"row {i} is null", parameter);
            if (row.Length != width)
            {
                throw new ArgumentException($"row {i} has {row.Length} features, row 0 has {width}", parameter);
            }

            for (int j = 0; j < width; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException($"row {i}, feature {j} is not finite ({row[j]})", parameter);
                }
            }

            if (string.IsNullOrEmpty(sites[i]))
            {
                throw new ArgumentException($"row {i} has no site", nameof(sites));
            }
        }

        return width;
    }
}
