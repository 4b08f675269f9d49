using Crlm.Core.Randomness;

namespace Crlm.Core.Search;

/// <summary>
/// Independent uniform sampling (log-uniform for log parameters), as Optuna's RandomSampler:
/// ints are drawn as reals in [low - 0.5, high + 0.5] (log: [ln(low - 0.5), ln(high + 0.5)]) and
/// rounded, so every integer gets an equal share (log: a share proportional to its log-width).
/// </summary>
public sealed class RandomSampler : ISampler
{
    public string Description => "random";

    public ParameterAssignment Suggest(SearchSpace space, long seed, int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Assign((p, _) => SampleValue(p, SamplingStreams.For(seed, trialNumber, p.Name)));
    }

    /// <summary>One uniform draw of <paramref name="parameter"/> from <paramref name="rng"/>.</summary>
    public static ParameterValue SampleValue(ParameterDefinition parameter, SplitMix64 rng)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(rng);
        if (parameter is CategoricalParameter c)
        {
            return ParameterValue.FromChoice(c.Choices[rng.NextInt(c.Choices.Count)]);
        }

        var domain = NumericDomain.Of(parameter);
        double x = domain.Low + (rng.NextDouble() * (domain.High - domain.Low));
        return ParameterValue.FromNumber(domain.ToExternal(x));
    }
}
