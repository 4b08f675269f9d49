namespace Crlm.Core.Radiomics;

/// <summary>
/// The 25 IBSI GLCM features. Entropies use log base 2. i and j are grey-level values 1..N_g, and N_g (the normalised
/// inverse differences) is the discretisation's level count, absent levels included.
/// </summary>
/// <remarks>
/// Undefined values are NaN: every feature of an empty matrix (no voxel pair), and, for an ROI with one grey level,
/// Correlation (zero marginal standard deviation) and Information correlation 1 (zero marginal entropy).
/// Information correlation 2 of one grey level is 0 (HXY2 = HXY).
/// </remarks>
public static class GlcmFeatures
{
    public const string Family = "glcm";

    /// <summary>Feature names in output order, exactly as the IBSI manual prints them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Joint maximum", "Joint average", "Joint variance", "Joint entropy", "Difference average",
        "Difference variance", "Difference entropy", "Sum average", "Sum variance", "Sum entropy",
        "Angular second moment", "Contrast", "Dissimilarity", "Inverse difference", "Normalised inverse difference",
        "Inverse difference moment", "Normalised inverse difference moment", "Inverse variance", "Correlation",
        "Autocorrelation", "Cluster tendency", "Cluster shade", "Cluster prominence", "Information correlation 1",
        "Information correlation 2",
    ];

    /// <summary>The 25 features of <paramref name="roi"/> under one IBSI aggregation.</summary>
    public static IReadOnlyList<RadiomicsFeature> Compute(DiscretisedRoi roi, TextureAggregation aggregation = TextureAggregation.Merged3D)
    {
        ArgumentNullException.ThrowIfNull(roi);
        roi.Validate();
        var values = DirectionalAggregation.Aggregate(
            roi,
            aggregation,
            Names.Count,
            (directions, slice) => GlcmMatrix.BuildUnchecked(roi, directions, slice),
            matrix => matrix.Total == 0 ? null : Values(matrix));
        return TextureFeatureList.Of(Family, Names, values);
    }

    /// <summary>The 25 features of one matrix (NaN for all of them when it is empty).</summary>
    public static IReadOnlyList<RadiomicsFeature> FromMatrix(GlcmMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return TextureFeatureList.Of(Family, Names, Values(matrix));
    }

    private static double[] Values(GlcmMatrix matrix)
    {
        int n = matrix.LevelCount;
        var values = new double[Names.Count];
        if (matrix.Total == 0)
        {
            Array.Fill(values, double.NaN);
            return values;
        }

        var counts = matrix.Counts;
        double total = matrix.Total;
        var rowMarginal = new double[n];
        var columnMarginal = new double[n];
        var differences = new double[n];
        var sums = new double[(2 * n) + 1];

        // First pass: marginals, diagonal distributions and the moments that need no mean.
        double jointMaximum = 0, jointAverage = 0, jointEntropy = 0, secondMoment = 0, contrast = 0, dissimilarity = 0;
        double inverseDifference = 0, normalisedInverseDifference = 0, inverseDifferenceMoment = 0;
        double normalisedInverseDifferenceMoment = 0, autocorrelation = 0;
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                long count = counts[(a * n) + b];
                if (count == 0)
                {
                    continue;
                }

                double p = count / total;
                int i = a + 1, j = b + 1;
                int difference = Math.Abs(i - j);
                rowMarginal[a] += p;
                columnMarginal[b] += p;
                differences[difference] += p;
                sums[i + j] += p;
                jointMaximum = Math.Max(jointMaximum, p);
                jointAverage += i * p;
                jointEntropy -= p * Math.Log2(p);
                secondMoment += p * p;
                contrast += difference * difference * p;
                dissimilarity += difference * p;
                inverseDifference += p / (1.0 + difference);
                normalisedInverseDifference += p / (1.0 + ((double)difference / n));
                inverseDifferenceMoment += p / (1.0 + (difference * difference));
                normalisedInverseDifferenceMoment += p / (1.0 + ((double)difference * difference / ((double)n * n)));
                autocorrelation += i * j * p;
            }
        }

        double rowMean = 0, columnMean = 0, rowEntropy = 0, columnEntropy = 0;
        for (int a = 0; a < n; a++)
        {
            rowMean += (a + 1) * rowMarginal[a];
            columnMean += (a + 1) * columnMarginal[a];
            rowEntropy -= PLog2P(rowMarginal[a]);
            columnEntropy -= PLog2P(columnMarginal[a]);
        }

        double rowVariance = 0, columnVariance = 0;
        for (int a = 0; a < n; a++)
        {
            rowVariance += (a + 1 - rowMean) * (a + 1 - rowMean) * rowMarginal[a];
            columnVariance += (a + 1 - columnMean) * (a + 1 - columnMean) * columnMarginal[a];
        }

        // Second pass: moments about the means, and the entropies of the marginal product.
        double jointVariance = 0, clusterTendency = 0, clusterShade = 0, clusterProminence = 0, crossEntropy = 0, productEntropy = 0;
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                double product = rowMarginal[a] * columnMarginal[b];
                if (product > 0)
                {
                    productEntropy -= product * Math.Log2(product);
                }

                long count = counts[(a * n) + b];
                if (count == 0)
                {
                    continue;
                }

                double p = count / total;
                double deviation = a + 1 - jointAverage;
                jointVariance += deviation * deviation * p;
                double cluster = a + 1 + b + 1 - rowMean - columnMean;
                double cluster2 = cluster * cluster;
                clusterTendency += cluster2 * p;
                clusterShade += cluster2 * cluster * p;
                clusterProminence += cluster2 * cluster2 * p;
                crossEntropy -= p * Math.Log2(product);
            }
        }

        var (differenceAverage, differenceVariance, differenceEntropy) = Distribution(differences);
        var (sumAverage, sumVariance, sumEntropy) = Distribution(sums);
        double inverseVariance = 0;
        for (int k = 1; k < n; k++)
        {
            inverseVariance += differences[k] / ((double)k * k);
        }

        double deviations = Math.Sqrt(rowVariance * columnVariance);
        double correlation = deviations > 0 ? (autocorrelation - (rowMean * columnMean)) / deviations : double.NaN;
        double marginalEntropy = Math.Max(rowEntropy, columnEntropy);
        double informationCorrelation1 = marginalEntropy > 0 ? (jointEntropy - crossEntropy) / marginalEntropy : double.NaN;

        // HXY2 >= HXY in exact arithmetic; the clamp only removes rounding below zero for independent marginals.
        double informationCorrelation2 = Math.Sqrt(Math.Max(0, 1 - Math.Exp(-2 * (productEntropy - jointEntropy))));

        values[0] = jointMaximum;
        values[1] = jointAverage;
        values[2] = jointVariance;
        values[3] = jointEntropy;
        values[4] = differenceAverage;
        values[5] = differenceVariance;
        values[6] = differenceEntropy;
        values[7] = sumAverage;
        values[8] = sumVariance;
        values[9] = sumEntropy;
        values[10] = secondMoment;
        values[11] = contrast;
        values[12] = dissimilarity;
        values[13] = inverseDifference;
        values[14] = normalisedInverseDifference;
        values[15] = inverseDifferenceMoment;
        values[16] = normalisedInverseDifferenceMoment;
        values[17] = inverseVariance;
        values[18] = correlation;
        values[19] = autocorrelation;
        values[20] = clusterTendency;
        values[21] = clusterShade;
        values[22] = clusterProminence;
        values[23] = informationCorrelation1;
        values[24] = informationCorrelation2;
        return values;
    }

    /// <summary>Mean, variance and entropy of a distribution over k = its index (|i − j| or i + j).</summary>
    private static (double Mean, double Variance, double Entropy) Distribution(double[] probabilities)
    {
        double mean = 0, entropy = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            mean += k * probabilities[k];
            entropy -= PLog2P(probabilities[k]);
        }

        double variance = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            variance += (k - mean) * (k - mean) * probabilities[k];
        }

        return (mean, variance, entropy);
    }

    /// <summary>p log2 p, with 0 log 0 = 0.</summary>
    private static double PLog2P(double p) => p > 0 ? p * Math.Log2(p) : 0;
}

/// <summary>Pairs feature names with values into the family's output list.</summary>
internal static class TextureFeatureList
{
    public static IReadOnlyList<RadiomicsFeature> Of(string family, IReadOnlyList<string> names, double[] values)
    {
        var features = new RadiomicsFeature[names.Count];
        for (int f = 0; f < features.Length; f++)
        {
            features[f] = new RadiomicsFeature(family, names[f], values[f]);
        }

        return features;
    }
}
