namespace Crlm.Core.Harmonisation;

/// <summary>
/// The covariates of a fit: names, which are training-only, training means. Covariates are centred on the training means
/// before the regression; that leaves the harmonised output unchanged (the site intercepts absorb the shift) and keeps the
/// normal equations well conditioned.
/// </summary>
internal sealed class ComBatCovariateSet
{
    private readonly string[] _names;
    private readonly bool[] _trainingOnly;
    private readonly double[] _means;

    private ComBatCovariateSet(string[] names, bool[] trainingOnly, double[] means, double[][] trainingValues)
    {
        _names = names;
        _trainingOnly = trainingOnly;
        _means = means;
        TrainingValues = trainingValues;
    }

    public IReadOnlyList<string> Names => _names;

    /// <summary>[row][covariate] as given to the fit.</summary>
    public double[][] TrainingValues { get; }

    public static ComBatCovariateSet ForFit(IReadOnlyList<ComBatCovariate> covariates, int rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ComBatCovariate c in covariates)
        {
            if (string.IsNullOrEmpty(c.Name) || !seen.Add(c.Name))
            {
                throw new ArgumentException($"covariate names must be non-empty and unique ('{c.Name}')", nameof(covariates));
            }

            CheckValues(c, rows);
        }

        double[][] values = Rows(covariates, rows);
        double[] means = covariates.Select(c => c.Values.Average()).ToArray();
        return new ComBatCovariateSet(
            covariates.Select(c => c.Name).ToArray(), covariates.Select(c => c.TrainingOnly).ToArray(), means, values);
    }

    /// <summary>
    /// [row][covariate] for rows to apply the model to: preserved covariates from <paramref name="given"/> by name;
    /// training-only ones at their training mean, i.e. no label information enters the adjustment of held-out rows.
    /// </summary>
    public double[][] ApplyValues(IReadOnlyList<ComBatCovariate> given, int rows)
    {
        var byName = new Dictionary<string, ComBatCovariate>(StringComparer.Ordinal);
        foreach (ComBatCovariate c in given)
        {
            int index = Array.IndexOf(_names, c.Name);
            if (index < 0)
            {
                throw new ArgumentException($"covariate '{c.Name}' was not part of the fit", nameof(given));
            }

            if (_trainingOnly[index])
            {
                throw new ArgumentException(
                    $"covariate '{c.Name}' is training-only (e.g. the label): held-out rows are adjusted without it", nameof(given));
            }

            if (!byName.TryAdd(c.Name, c))
            {
                throw new ArgumentException($"covariate '{c.Name}' given twice", nameof(given));
            }

            CheckValues(c, rows);
        }

        var result = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            result[i] = new double[_names.Length];
            for (int c = 0; c < _names.Length; c++)
            {
                if (_trainingOnly[c])
                {
                    result[i][c] = _means[c];
                }
                else if (byName.TryGetValue(_names[c], out ComBatCovariate? covariate))
                {
                    result[i][c] = covariate.Values[i];
                }
                else
                {
                    throw new ArgumentException($"covariate '{_names[c]}' is missing: the model preserves it", nameof(given));
                }
            }
        }

        return result;
    }

    public double[][] Centred(double[][] values) =>
        values.Select(row => row.Select((v, c) => v - _means[c]).ToArray()).ToArray();

    private static double[][] Rows(IReadOnlyList<ComBatCovariate> covariates, int rows)
    {
        var result = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            result[i] = covariates.Select(c => c.Values[i]).ToArray();
        }

        return result;
    }

    private static void CheckValues(ComBatCovariate c, int rows)
    {
        if (c.Values is null || c.Values.Count != rows)
        {
            throw new ArgumentException($"covariate '{c.Name}' has {c.Values?.Count ?? 0} values for {rows} rows", nameof(c));
        }

        if (c.Values.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException($"covariate '{c.Name}' has a non-finite value", nameof(c));
        }
    }
}
