using System.Collections.Concurrent;
using System.Globalization;
using Crlm.Core.Cohort;
using Crlm.Core.Randomness;
using Microsoft.ML;

namespace Crlm.Tabular.Models;

/// <summary>One embedding row: its features, the binary target and the patient it belongs to.</summary>
public sealed record ModelRow(float[] Features, bool Label, string PatientId, string Site = "all");

/// <summary>Per-fold validation AUCs (null for a single-class fold), their mean, and out-of-fold probabilities in row order.</summary>
public sealed record CrossValidationResult(IReadOnlyList<double?> FoldAucs, double MeanAuc, IReadOnlyList<double> OutOfFoldProbabilities);

/// <summary>
/// The benchmark's objective: k-fold CV of one configuration on fixed folds. The rows are flattened
/// once; each fold copies its training rows into one array and predicts its validation rows from arrays.
/// Folds run in parallel (<see cref="CrossValidationOptions.MaxDegreeOfParallelism"/>) with identical results.
/// Everything in a fold that does not depend on the trial's configuration (scaler, SMOTE rows, full PCA basis) is
/// computed once per fold assignment and seed and reused by later trials (<see cref="CrossValidationOptions.ReuseFoldPreparation"/>).
/// </summary>
public sealed class BenchmarkCrossValidator
{
    private readonly CrossValidationOptions _options;

    // The ML.NET path's trainers, one (one MLContext) per concurrently running fold: ML.NET does not promise
    // that one context may train on several threads at once. Reused across folds and trials.
    private readonly ConcurrentBag<BenchmarkModelTrainer> _trainers = [];
    private readonly float[] _features;
    private readonly bool[] _labels;
    private readonly int _dimension;

    // The fold cache of the last (fold assignment, seed) evaluated: a search evaluates every trial on the same folds.
    private readonly Lock _planLock = new();
    private FoldPlan? _plan;

    public BenchmarkCrossValidator(MLContext ml, IReadOnlyList<ModelRow> rows)
        : this(ml, rows, new CrossValidationOptions())
    {
    }

    public BenchmarkCrossValidator(MLContext ml, IReadOnlyList<ModelRow> rows, CrossValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows", nameof(rows));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxDegreeOfParallelism, nameof(options));
        ArgumentNullException.ThrowIfNull(ml);
        _options = options;
        _trainers.Add(new BenchmarkModelTrainer(ml));
        _dimension = rows[0].Features.Length;
        _features = new float[rows.Count * _dimension];
        _labels = new bool[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Features.Length != _dimension)
            {
                throw new ArgumentException($"row {i} has {rows[i].Features.Length} features, row 0 has {_dimension}", nameof(rows));
            }

            rows[i].Features.CopyTo(_features, i * _dimension);
            _labels[i] = rows[i].Label;
        }
    }

    public int RowCount => _labels.Length;

    /// <summary>
    /// Fold of each row from <see cref="PatientSplitter"/>'s stratified, patient-grouped k-fold (every row
    /// of a patient in one fold; each label spread evenly; sites spread over folds).
    /// </summary>
    public static int[] AssignFolds(IReadOnlyList<ModelRow> rows, int folds, long seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var patients = new List<PatientRecord>();
        foreach (var group in rows.GroupBy(r => r.PatientId, StringComparer.Ordinal))
        {
            if (group.Select(r => r.Label).Distinct().Count() > 1 || group.Select(r => r.Site).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                throw new ArgumentException($"patient '{group.Key}' has rows with different labels or sites", nameof(rows));
            }

            var first = group.First();
            patients.Add(new PatientRecord(group.Key, first.Site, first.Label ? CohortLabel.Crlm : CohortLabel.NonCrlm, []));
        }

        var split = PatientSplitter.Split(patients, new SplitOptions { TestFraction = 0, Folds = folds, Seed = seed });
        var foldOf = split.Patients.ToDictionary(p => p.PatientId, p => p.Fold, StringComparer.Ordinal);
        return [.. rows.Select(r => foldOf[r.PatientId])];
    }

    public CrossValidationResult Evaluate(IReadOnlyList<int> foldOfRow, BenchmarkModelConfig config, long seed)
    {
        ArgumentNullException.ThrowIfNull(foldOfRow);
        ArgumentNullException.ThrowIfNull(config);
        if (foldOfRow.Count != RowCount)
        {
            throw new ArgumentException($"{foldOfRow.Count} fold numbers for {RowCount} rows", nameof(foldOfRow));
        }

        config.Validate();
        int folds = foldOfRow.Max() + 1;
        int[] fold = [.. foldOfRow];
        var oof = new double[RowCount];
        var aucs = new double?[folds];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(_options.MaxDegreeOfParallelism, folds) };
        Parallel.For(0, folds, parallel, f => aucs[f] = EvaluateFold(fold, f, config, seed, oof));
        var defined = aucs.Where(a => a.HasValue).Select(a => a!.Value).ToArray();
        return new CrossValidationResult(aucs, defined.Length > 0 ? defined.Average() : double.NaN, oof);
    }

    /// <summary>Fits fold <paramref name="f"/>, writes its validation rows' probabilities into <paramref name="oof"/> and returns its AUC.</summary>
    private double? EvaluateFold(int[] foldOfRow, int f, BenchmarkModelConfig config, long seed, double[] oof)
    {
        FoldSplit split;
        double[] prob;
        if (_options.FitPath == FoldFitPath.Arrays && _options.ReuseFoldPreparation)
        {
            var prepared = PlanFor(foldOfRow, seed).Fold(f);
            if (prepared is null)
            {
                return null;
            }

            split = prepared.Split;
            prob = new double[split.ValidCount];
            prepared.Fit(config).PredictProbabilities(split.ValidRows, prob);
        }
        else
        {
            split = FoldSplit.Of(_features, _labels, _dimension, foldOfRow, f);
            if (split.ValidCount == 0)
            {
                return null;
            }

            prob = new double[split.ValidCount];
            long foldSeed = FoldSeed(seed, f);
            if (_options.FitPath == FoldFitPath.Arrays)
            {
                BenchmarkModelTrainer.FitFold(split.TrainRows, split.TrainCount, _dimension, split.TrainLabels, config, foldSeed).PredictProbabilities(split.ValidRows, prob);
            }
            else
            {
                var trainer = _trainers.TryTake(out var pooled) ? pooled : new BenchmarkModelTrainer(new MLContext(0));
                try
                {
                    trainer.Fit(split.TrainRows, split.TrainCount, _dimension, split.TrainLabels, config, foldSeed).PredictProbabilities(split.ValidRows, prob);
                }
                finally
                {
                    _trainers.Add(trainer);
                }
            }
        }

        for (int v = 0; v < split.ValidCount; v++)
        {
            oof[split.ValidIndex[v]] = prob[v];
        }

        return MannWhitneyAuc(split.ValidLabels, prob);
    }

    /// <summary>
    /// Fold <paramref name="f"/>'s seed: a function of (seed, fold) only, never of the configuration, which is what
    /// makes a fold's SMOTE rows (and so its scaler, resampled rows and PCA basis) shareable across trials.
    /// The peer gives SMOTE the same random_state in every fold; we give each fold its own stream.
    /// </summary>
    internal static long FoldSeed(long seed, int f) =>
        unchecked((long)SplitMix64.Derive(seed, "cv-fold", f.ToString(CultureInfo.InvariantCulture)).NextUInt64());

    /// <summary>The fold cache for this fold assignment and seed: the last one used, else a new one that replaces it.</summary>
    private FoldPlan PlanFor(int[] foldOfRow, long seed)
    {
        lock (_planLock)
        {
            if (_plan is null || !_plan.Matches(foldOfRow, seed))
            {
                _plan = new FoldPlan(this, foldOfRow, seed);
            }

            return _plan;
        }
    }

    /// <summary>
    /// Per-fold preparation (<see cref="PreparedFold"/>) for one fold assignment and seed, each fold built lazily
    /// and at most once, however many trials ask for it at the same time.
    /// </summary>
    private sealed class FoldPlan
    {
        private readonly int[] _foldOfRow;
        private readonly long _seed;
        private readonly Lazy<PreparedFold?>[] _folds;

        public FoldPlan(BenchmarkCrossValidator owner, int[] foldOfRow, long seed)
        {
            _foldOfRow = [.. foldOfRow];
            _seed = seed;
            _folds = new Lazy<PreparedFold?>[_foldOfRow.Max() + 1];
            for (int f = 0; f < _folds.Length; f++)
            {
                int fold = f;
                _folds[f] = new Lazy<PreparedFold?>(() =>
                {
                    var split = FoldSplit.Of(owner._features, owner._labels, owner._dimension, _foldOfRow, fold);
                    return split.ValidCount == 0 ? null : PreparedFold.Prepare(split, FoldSeed(_seed, fold));
                });
            }
        }

        public bool Matches(int[] foldOfRow, long seed) => seed == _seed && foldOfRow.AsSpan().SequenceEqual(_foldOfRow);

        public PreparedFold? Fold(int f) => _folds[f].Value;
    }

    /// <summary>
    /// ROC AUC as the Mann-Whitney U statistic with average ranks for ties; null when one class is absent.
    /// Private and minimal on purpose: Crlm.Core.Evaluation will own the project's metrics.
    /// </summary>
    internal static double? MannWhitneyAuc(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        int n = labels.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double rankSumPositive = 0;
        int positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
            {
                end++;
            }

            double averageRank = ((start + end) / 2.0) + 1;
            for (int t = start; t <= end; t++)
            {
                if (labels[order[t]])
                {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        int negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        return (rankSumPositive - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
