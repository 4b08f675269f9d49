using System.Globalization;
using System.Text;
using Crlm.Core.Randomness;

namespace Crlm.Core.Evaluation;

/// <summary>
/// Resamples of row (patient) indices with replacement. Drawn from the project's SplitMix64 so the same seed gives the
/// same resamples on every machine; written and read in the format of metrics.py --indices-out / --indices-in (one
/// resample per line, n comma-separated indices), so either side can replay the other's resamples.
/// </summary>
public static class BootstrapIndices
{
    /// <summary>
    /// <paramref name="resamples"/> arrays of <paramref name="n"/> indices in [0, n): one generator seeded with
    /// <paramref name="seed"/>, drawing resample after resample, index after index (<see cref="SplitMix64.NextInt"/>).
    /// </summary>
    public static int[][] Draw(int n, int resamples, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(resamples);
        var rng = new SplitMix64(seed);
        var all = new int[resamples][];
        for (int r = 0; r < resamples; r++)
        {
            var idx = new int[n];
            for (int i = 0; i < n; i++)
            {
                idx[i] = rng.NextInt(n);
            }

            all[r] = idx;
        }

        return all;
    }

    public static string ToCsv(IReadOnlyList<int[]> resamples)
    {
        ArgumentNullException.ThrowIfNull(resamples);
        var sb = new StringBuilder();
        foreach (int[] idx in resamples)
        {
            sb.AppendJoin(',', idx).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Parses --indices-out text; every line must hold the same number of indices.</summary>
    public static int[][] ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var all = new int[lines.Length][];
        for (int r = 0; r < lines.Length; r++)
        {
            all[r] = lines[r].Split(',').Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
            if (all[r].Length != all[0].Length)
            {
                throw new FormatException($"resample {r + 1} has {all[r].Length} indices, the first has {all[0].Length}");
            }
        }

        return all;
    }
}
