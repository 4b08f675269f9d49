using System.Globalization;

namespace Crlm.Core.Harmonisation;

/// <summary>
/// ComBat harmonisation of feature vectors by site (Johnson, Li &amp; Rabinovic 2007, with neuroCombat's conventions),
/// split into <see cref="Fit"/> on training rows and <see cref="Apply"/> to any rows of the training sites, so that in a
/// cross-validation it is fitted inside each training fold and applied to the held-out rows. Deterministic.
/// The model: x_ij = α_j + C_i β_j + γ_kj + δ_kj ε_ij for row i of site k and feature j; docs/combat.md has the steps.
/// </summary>
public sealed class ComBatModel
{
    private readonly string[] _sites;
    private readonly Dictionary<string, int> _siteIndex;
    private readonly ComBatCovariateSet _covariates;
    private readonly double[] _grandMean;
    private readonly double[][] _beta; // [covariate][feature], on centred covariates
    private readonly double[] _pooledVariance;
    private readonly bool[] _harmonised;
    private readonly double[][] _gammaStar; // [site][feature], standardised scale
    private readonly double[][] _deltaStar;
    private readonly bool[] _meanShiftOnly;

    private ComBatModel(
        string[] sites,
        ComBatCovariateSet covariates,
        double[] grandMean,
        double[][] beta,
        double[] pooledVariance,
        bool[] harmonised,
        double[][] gammaStar,
        double[][] deltaStar,
        bool[] meanShiftOnly,
        ComBatOptions options)
    {
        _sites = sites;
        _siteIndex = sites.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        _covariates = covariates;
        _grandMean = grandMean;
        _beta = beta;
        _pooledVariance = pooledVariance;
        _harmonised = harmonised;
        _gammaStar = gammaStar;
        _deltaStar = deltaStar;
        _meanShiftOnly = meanShiftOnly;
        Options = options;
    }

    public ComBatOptions Options { get; }

    /// <summary>Training sites in ordinal order (the order of <see cref="GammaStar"/> and <see cref="DeltaStar"/>).</summary>
    public IReadOnlyList<string> Sites => _sites;

    public int FeatureCount => _grandMean.Length;

    /// <summary>Names of the preserved covariates, training-only ones included, in the order given to <see cref="Fit"/>.</summary>
    public IReadOnlyList<string> CovariateNames => _covariates.Names;

    /// <summary>α_j: the row-weighted mean of the site intercepts (with centred covariates, the training mean of feature j).</summary>
    public IReadOnlyList<double> GrandMean => _grandMean;

    /// <summary>σ²_j: mean squared residual of the OLS fit on site indicators and covariates (divided by n, as neuroCombat).</summary>
    public IReadOnlyList<double> PooledVariance => _pooledVariance;

    /// <summary>False for features with zero pooled variance: they are left untouched.</summary>
    public IReadOnlyList<bool> IsHarmonised => _harmonised;

    /// <summary>Sites fitted with delta² = 1 (all under <see cref="ComBatVariant.MeanOnly"/>; single-row sites otherwise).</summary>
    public IReadOnlyList<string> MeanShiftOnlySites => _sites.Where((_, k) => _meanShiftOnly[k]).ToArray();

    /// <summary>γ*_kj, the shrunk additive effect of <paramref name="site"/> on the standardised scale (0 for untouched features).</summary>
    public IReadOnlyList<double> GammaStar(string site) => _gammaStar[IndexOf(site)];

    /// <summary>δ²*_kj, the shrunk multiplicative effect (variance ratio) of <paramref name="site"/> (1 for untouched features).</summary>
    public IReadOnlyList<double> DeltaStar(string site) => _deltaStar[IndexOf(site)];

    /// <summary>
    /// Fits the model on training rows and harmonises them. <paramref name="features"/>: one array per row, all the same
    /// length; <paramref name="sites"/>: each row's site; <paramref name="covariates"/>: effects to preserve (never the
    /// label unless marked <see cref="ComBatCovariate.TrainingOnly"/>; see docs/combat.md).
    /// </summary>
    public static ComBatFit Fit(
        IReadOnlyList<double[]> features,
        IReadOnlyList<string> sites,
        IReadOnlyList<ComBatCovariate>? covariates = null,
        ComBatOptions? options = null)
    {
        options ??= ComBatOptions.Default;
        int featureCount = FeatureRows.Check(features, sites, nameof(features));
        int n = features.Count;
        var covariateSet = ComBatCovariateSet.ForFit(covariates ?? [], n);
        var warnings = new List<string>();

        string[] siteNames = sites.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = siteNames.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        int[] siteOf = sites.Select(s => index[s]).ToArray();
        int[] counts = new int[siteNames.Length];
        foreach (int k in siteOf)
        {
            counts[k]++;
        }

        string[] singleRowSites = siteNames.Where((_, k) => counts[k] == 1).ToArray();
        if (singleRowSites.Length > 0)
        {
            string list = string.Join(", ", singleRowSites.Select(s => $"'{s}'"));
            if (options.SingleRowSites == SingleRowSitePolicy.Error)
            {
                throw new ArgumentException($"ComBat: site(s) {list} have a single training row, so no variance estimate", nameof(sites));
            }

            warnings.Add($"ComBat: site(s) {list} have a single training row; only their (shrunk) mean shift is removed (delta² = 1)");
        }

        double[][] centred = covariateSet.Centred(covariateSet.TrainingValues);
        var ols = SiteCovariateRegression.Fit(features, siteOf, counts, centred, covariateSet.Names);

        bool[] harmonised = new bool[featureCount];
        int[] active = Enumerable.Range(0, featureCount).Where(j => !IsDegenerate(features, j, ols.PooledVariance[j])).ToArray();
        foreach (int j in active)
        {
            harmonised[j] = true;
        }

        if (active.Length < featureCount)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"ComBat: feature(s) {string.Join(", ", Enumerable.Range(0, featureCount).Where(j => !harmonised[j]))} have zero pooled variance in training and are left untouched"));
        }

        if (active.Length == 1)
        {
            throw new ArgumentException("ComBat's empirical-Bayes priors pool over features: it needs at least two features with non-zero variance", nameof(features));
        }

        var gammaStar = new double[siteNames.Length][];
        var deltaStar = new double[siteNames.Length][];
        var meanShiftOnly = new bool[siteNames.Length];
        for (int k = 0; k < siteNames.Length; k++)
        {
            gammaStar[k] = new double[featureCount];
            deltaStar[k] = Enumerable.Repeat(1.0, featureCount).ToArray();
            meanShiftOnly[k] = options.Variant == ComBatVariant.MeanOnly || counts[k] == 1;
            if (active.Length == 0)
            {
                continue;
            }

            var standardised = new List<double[]>(counts[k]);
            for (int i = 0; i < n; i++)
            {
                if (siteOf[i] == k)
                {
                    standardised.Add(active.Select(j =>
                        (features[i][j] - ols.GrandMean[j] - ols.CovariateEffect(centred[i], j)) / Math.Sqrt(ols.PooledVariance[j])).ToArray());
                }
            }

            SiteEffects effects = meanShiftOnly[k]
                ? SiteEffects.MeanOnly(standardised)
                : SiteEffects.Parametric(standardised, options.Convergence, options.MaxIterations, siteNames[k]);
            for (int a = 0; a < active.Length; a++)
            {
                gammaStar[k][active[a]] = effects.Gamma[a];
                deltaStar[k][active[a]] = effects.Delta[a];
            }
        }

        var model = new ComBatModel(
            siteNames, covariateSet, ols.GrandMean, ols.Beta, ols.PooledVariance, harmonised, gammaStar, deltaStar, meanShiftOnly, options);
        double[][] output = new double[n][];
        for (int i = 0; i < n; i++)
        {
            output[i] = model.Adjust(features[i], siteOf[i], centred[i]);
        }

        return new ComBatFit(model, output, warnings);
    }

    /// <summary>
    /// Harmonises rows with the training estimates. <paramref name="covariates"/> must hold every preserved covariate of
    /// the fit by name and no training-only one (held-out labels are unknown; they take their training mean). Rows of
    /// sites unseen in training follow <see cref="ComBatOptions.UnseenSites"/>.
    /// </summary>
    public ComBatResult Apply(IReadOnlyList<double[]> rows, IReadOnlyList<string> sites, IReadOnlyList<ComBatCovariate>? covariates = null)
    {
        int featureCount = FeatureRows.Check(rows, sites, nameof(rows), allowEmpty: true);
        if (rows.Count > 0 && featureCount != FeatureCount)
        {
            throw new ArgumentException($"rows have {featureCount} features, the model {FeatureCount}", nameof(rows));
        }

        double[][] centred = _covariates.Centred(_covariates.ApplyValues(covariates ?? [], rows.Count));
        string[] unseen = sites.Where(s => !_siteIndex.ContainsKey(s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var warnings = new List<string>();
        if (unseen.Length > 0)
        {
            string list = string.Join(", ", unseen.Select(s => $"'{s}'"));
            if (Options.UnseenSites == UnseenSitePolicy.Error)
            {
                throw new ArgumentException($"ComBat: site(s) {list} were not in the training data, so their effects are unknown", nameof(sites));
            }

            warnings.Add($"ComBat: site(s) {list} were not in the training data; their rows are passed through un-harmonised");
        }

        var output = new double[rows.Count][];
        for (int i = 0; i < rows.Count; i++)
        {
            output[i] = _siteIndex.TryGetValue(sites[i], out int k) ? Adjust(rows[i], k, centred[i]) : (double[])rows[i].Clone();
        }

        return new ComBatResult(output, warnings);
    }

    /// <summary>x* = (x − μ_i − σγ*)/√δ²* + μ_i with μ_i = α + C_i β: the site effect removed, the covariate effect kept.</summary>
    private double[] Adjust(double[] row, int site, double[] centredCovariates)
    {
        var result = (double[])row.Clone();
        for (int j = 0; j < result.Length; j++)
        {
            if (!_harmonised[j])
            {
                continue;
            }

            double mean = _grandMean[j];
            for (int c = 0; c < centredCovariates.Length; c++)
            {
                mean += centredCovariates[c] * _beta[c][j];
            }

            double sd = Math.Sqrt(_pooledVariance[j]);
            double standardised = (row[j] - mean) / sd;
            result[j] = (standardised - _gammaStar[site][j]) / Math.Sqrt(_deltaStar[site][j]) * sd + mean;
        }

        return result;
    }

    /// <summary>Zero pooled variance, up to rounding: σ² ≤ (1e-12 · max|x|)², e.g. a constant feature.</summary>
    private static bool IsDegenerate(IReadOnlyList<double[]> features, int j, double pooledVariance)
    {
        double largest = features.Max(row => Math.Abs(row[j]));
        double floor = 1e-12 * largest;
        return pooledVariance <= floor * floor;
    }

    private int IndexOf(string site) =>
        _siteIndex.TryGetValue(site, out int k) ? k : throw new ArgumentException($"site '{site}' was not in the training data", nameof(site));
}
