using System.Globalization;

namespace Crlm.Core.Search;

/// <summary>TPE settings; the defaults are Optuna 3.1's TPESampler defaults.</summary>
public sealed record TpeOptions
{
    /// <summary>Completed trials sampled at random before TPE starts modelling.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from the "good" estimator l(x); the one maximising l(x)/g(x) wins.</summary>
    public int Candidates { get; init; } = 24;

    /// <summary>Weight of the prior component in every Parzen estimator.</summary>
    public double PriorWeight { get; init; } = 1.0;

    internal void Validate()
    {
        if (StartupTrials < 0 || Candidates < 1 || !(PriorWeight > 0) || !double.IsFinite(PriorWeight))
        {
            throw new ArgumentException(
                "TPE needs startup trials >= 0, candidates >= 1 and a positive finite prior weight.");
        }
    }
}

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011) in the form of Optuna 3.1's
/// TPESampler with default settings: independent (univariate) sampling per parameter.
/// <list type="number">
/// <item>Fewer than <see cref="TpeOptions.StartupTrials"/> completed trials: random sampling (the very draws of <see cref="RandomSampler"/>).</item>
/// <item>Otherwise split the n completed trials by score: the best gamma(n) = min(ceil(0.1 n), 25) are "below" (good), the rest "above"; ties keep the earlier trial in front.</item>
/// <item>For each active parameter, fit l(x) on the good trials and g(x) on the others — only trials in which the parameter was active — in internal coordinates (log space for log parameters).</item>
/// <item>Draw <see cref="TpeOptions.Candidates"/> values from l(x), round ints, keep the first one maximising ln l(x) - ln g(x).</item>
/// </list>
/// Failed trials are ignored, as Optuna ignores FAIL trials.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private readonly TpeOptions _options;

    public TpeSampler(TpeOptions? options = null)
    {
        _options = options ?? new TpeOptions();
        _options.Validate();
    }

    public TpeOptions Options => _options;

    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"tpe(startup={_options.StartupTrials},candidates={_options.Candidates},prior={_options.PriorWeight:R})");

    /// <summary>Optuna's default gamma: the size of the good set for n completed trials.</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public ParameterAssignment Suggest(SearchSpace space, long seed, int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(history);
        List<TrialRecord> completed = history.Where(t => t.IsComplete).OrderBy(t => t.Number).ToList();
        if (completed.Count < _options.StartupTrials || completed.Count == 0)
        {
            return space.Assign((p, _) => RandomSampler.SampleValue(p, SamplingStreams.For(seed, trialNumber, p.Name)));
        }

        bool[] isGood = SplitGoodFromBad(completed);
        return space.Assign((p, _) => SampleParameter(p, completed, isGood, SamplingStreams.For(seed, trialNumber, p.Name)));
    }

    /// <summary>True for the best gamma(n) trials (higher score is better; the earlier trial wins a tie).</summary>
    private static bool[] SplitGoodFromBad(List<TrialRecord> completed)
    {
        int[] byScore = Enumerable.Range(0, completed.Count)
            .OrderByDescending(i => completed[i].Score!.Value)
            .ThenBy(i => i)
            .ToArray();
        var isGood = new bool[completed.Count];
        foreach (int i in byScore.Take(Gamma(completed.Count)))
        {
            isGood[i] = true;
        }

        return isGood;
    }

    private ParameterValue SampleParameter(ParameterDefinition p, List<TrialRecord> completed, bool[] isGood, Randomness.SplitMix64 rng)
    {
        var good = new List<ParameterValue>();
        var bad = new List<ParameterValue>();
        for (int i = 0; i < completed.Count; i++)
        {
            // A conditional parameter's estimators see only the trials in which it was active.
            if (completed[i].Parameters.Values.TryGetValue(p.Name, out ParameterValue v))
            {
                (isGood[i] ? good : bad).Add(v);
            }
        }

        return p is CategoricalParameter c
            ? SampleCategorical(c, good, bad, rng)
            : SampleNumeric(NumericDomain.Of(p), good, bad, rng);
    }

    private ParameterValue SampleNumeric(NumericDomain domain, List<ParameterValue> good, List<ParameterValue> bad, Randomness.SplitMix64 rng)
    {
        var l = new NumericParzenEstimator(good.Select(v => domain.ToInternal(v.Number)).ToList(), domain, _options.PriorWeight);
        var g = new NumericParzenEstimator(bad.Select(v => domain.ToInternal(v.Number)).ToList(), domain, _options.PriorWeight);
        double best = double.NaN, bestScore = double.NegativeInfinity;
        for (int j = 0; j < _options.Candidates; j++)
        {
            double value = domain.ToExternal(l.Sample(rng));
            double x = domain.ToInternal(value);
            double score = l.LogPdf(x) - g.LogPdf(x);
            if (double.IsNaN(best) || score > bestScore)
            {
                best = value;
                bestScore = score;
            }
        }

        return ParameterValue.FromNumber(best);
    }

    private ParameterValue SampleCategorical(CategoricalParameter c, List<ParameterValue> good, List<ParameterValue> bad, Randomness.SplitMix64 rng)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < c.Choices.Count; i++)
        {
            index[c.Choices[i]] = i;
        }

        var l = new CategoricalParzenEstimator(good.Select(v => index[v.Choice!]).ToList(), c.Choices.Count, _options.PriorWeight);
        var g = new CategoricalParzenEstimator(bad.Select(v => index[v.Choice!]).ToList(), c.Choices.Count, _options.PriorWeight);
        int best = -1;
        double bestScore = double.NegativeInfinity;
        for (int j = 0; j < _options.Candidates; j++)
        {
            int candidate = l.Sample(rng);
            double score = l.LogPdf(candidate) - g.LogPdf(candidate);
            if (best < 0 || score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return ParameterValue.FromChoice(c.Choices[best]);
    }
}
