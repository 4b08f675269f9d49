using Crlm.Core.Randomness;

namespace Crlm.Tabular.Models;

/// <summary>Rows after oversampling: the original rows first, then <see cref="SyntheticCount"/> synthetic minority rows.</summary>
public sealed record ResampledRows(double[] Features, bool[] Labels, int Count, int Dimension, int SyntheticCount);

/// <summary>
/// SMOTE as imbalanced-learn 0.10's <c>SMOTE(k_neighbors=k, sampling_strategy='auto')</c>: the minority
/// class gets (n_major − n_minor) synthetic rows, each <c>x + gap·(neighbour − x)</c> for a minority row
/// x drawn uniformly, one of its k nearest minority neighbours (Euclidean, itself excluded) drawn
/// uniformly, and gap uniform in [0, 1). As in imbalanced-learn, all (row, neighbour) picks are drawn
/// first, then all gaps. The draws come from <see cref="SplitMix64"/>, not numpy, so the synthetic rows
/// differ from the peer's for the same seed; their distribution is the same.
/// </summary>
public static class Smote
{
    /// <param name="features">Row-major, <paramref name="count"/> × <paramref name="dimension"/>.</param>
    public static ResampledRows Resample(ReadOnlySpan<double> features, ReadOnlySpan<bool> labels, int count, int dimension, int neighbours, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(neighbours);
        if (features.Length != count * dimension || labels.Length != count)
        {
            throw new ArgumentException($"expected {count} rows of {dimension} features and {count} labels, got {features.Length} values and {labels.Length} labels");
        }

        int positives = 0;
        foreach (bool label in labels)
        {
            positives += label ? 1 : 0;
        }

        int negatives = count - positives;
        bool minorityLabel = positives < negatives;
        int minority = Math.Min(positives, negatives);
        int majority = count - minority;
        int synthetic = majority - minority;
        var outFeatures = new double[(count + synthetic) * dimension];
        var outLabels = new bool[count + synthetic];
        features.CopyTo(outFeatures);
        labels.CopyTo(outLabels);
        if (synthetic == 0)
        {
            return new ResampledRows(outFeatures, outLabels, count, dimension, 0);
        }

        if (minority < neighbours + 1)
        {
            throw new InvalidOperationException(
                $"SMOTE with k_neighbors={neighbours} needs at least {neighbours + 1} rows of the minority class, but this training set has " +
                $"{minority} {(minorityLabel ? "positive" : "negative")} and {majority} {(minorityLabel ? "negative" : "positive")} rows");
        }

        var members = new int[minority];
        for (int i = 0, m = 0; i < count; i++)
        {
            if (labels[i] == minorityLabel)
            {
                members[m++] = i;
            }
        }

        int[] nearest = NearestNeighbours(features, dimension, members, neighbours);
        var picks = new int[synthetic];
        for (int s = 0; s < synthetic; s++)
        {
            picks[s] = random.NextInt(minority * neighbours);
        }

        for (int s = 0; s < synthetic; s++)
        {
            double gap = random.NextDouble();
            var from = features.Slice(members[picks[s] / neighbours] * dimension, dimension);
            var to = features.Slice(members[nearest[picks[s]]] * dimension, dimension);
            var target = outFeatures.AsSpan((count + s) * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                target[j] = from[j] + (gap * (to[j] - from[j]));
            }

            outLabels[count + s] = minorityLabel;
        }

        return new ResampledRows(outFeatures, outLabels, count + synthetic, dimension, synthetic);
    }

    /// <summary>For each member, its k nearest other members (indices into <paramref name="members"/>), nearest first, ties to the lower index.</summary>
    private static int[] NearestNeighbours(ReadOnlySpan<double> features, int dimension, int[] members, int k)
    {
        int m = members.Length;
        var result = new int[m * k];
        var distances = new double[m];
        var order = new int[m];
        for (int a = 0; a < m; a++)
        {
            var xa = features.Slice(members[a] * dimension, dimension);
            for (int b = 0; b < m; b++)
            {
                var xb = features.Slice(members[b] * dimension, dimension);
                double d2 = 0;
                for (int j = 0; j < dimension; j++)
                {
                    double diff = xa[j] - xb[j];
                    d2 += diff * diff;
                }

                // The row itself is excluded by index (imbalanced-learn drops the first neighbour, which is the row).
                distances[b] = b == a ? double.PositiveInfinity : d2;
                order[b] = b;
            }

            // Partial selection: k passes over m candidates, cheap for the study's k = 5.
            for (int n = 0; n < k; n++)
            {
                int best = n;
                for (int c = n + 1; c < m; c++)
                {
                    int oc = order[c];
                    int ob = order[best];
                    if (distances[oc] < distances[ob] || (distances[oc] == distances[ob] && oc < ob))
                    {
                        best = c;
                    }
                }

                (order[n], order[best]) = (order[best], order[n]);
                result[(a * k) + n] = order[n];
            }
        }

        return result;
    }
}
