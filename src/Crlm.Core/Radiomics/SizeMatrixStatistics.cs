namespace Crlm.Core.Radiomics;

/// <summary>
/// The 16 features that GLRLM and GLSZM share, written once over (grey level i, run length or zone size j, count)
/// entries: IBSI defines them identically with runs in one and zones in the other. N_s is the number of runs (zones),
/// N_v the voxel count the percentage divides by. Order: short/small emphasis, long/large emphasis, low grey level,
/// high grey level, short-low, short-high, long-low, long-high, grey level non-uniformity (plain, normalised),
/// size non-uniformity (plain, normalised), percentage, grey level variance, size variance, entropy (log2).
/// </summary>
internal static class SizeMatrixStatistics
{
    public const int FeatureCount = 16;

    /// <param name="entries">Non-zero entries sorted by size (so each size's entries are contiguous).</param>
    /// <param name="levelCount">N_g.</param>
    /// <param name="voxelCount">N_v, multiplied by the number of merged matrices.</param>
    /// <returns>The 16 values, or null when there is no run (zone).</returns>
    public static double[]? Compute(ReadOnlySpan<SizeCount> entries, int levelCount, long voxelCount)
    {
        double runs = 0;
        foreach (var entry in entries)
        {
            runs += entry.Count;
        }

        if (runs == 0)
        {
            return null;
        }

        var levelMarginal = new double[levelCount + 1];
        double shortEmphasis = 0, longEmphasis = 0, lowEmphasis = 0, highEmphasis = 0;
        double shortLow = 0, shortHigh = 0, longLow = 0, longHigh = 0;
        double sizeNonUniformity = 0, levelMean = 0, sizeMean = 0, entropy = 0;
        double sizeMarginal = 0;
        for (int e = 0; e < entries.Length; e++)
        {
            var entry = entries[e];
            double count = entry.Count;
            double i2 = (double)entry.Level * entry.Level;
            double j2 = (double)entry.Size * entry.Size;
            shortEmphasis += count / j2;
            longEmphasis += count * j2;
            lowEmphasis += count / i2;
            highEmphasis += count * i2;
            shortLow += count / (i2 * j2);
            shortHigh += count * i2 / j2;
            longLow += count * j2 / i2;
            longHigh += count * i2 * j2;
            levelMarginal[entry.Level] += count;
            double p = count / runs;
            levelMean += entry.Level * p;
            sizeMean += entry.Size * p;
            entropy -= p * Math.Log2(p);

            // Entries come sorted by size, so a size's marginal is complete when the next entry has another size.
            sizeMarginal += count;
            if (e == entries.Length - 1 || entries[e + 1].Size != entry.Size)
            {
                sizeNonUniformity += sizeMarginal * sizeMarginal;
                sizeMarginal = 0;
            }
        }

        double levelNonUniformity = 0;
        foreach (double marginal in levelMarginal)
        {
            levelNonUniformity += marginal * marginal;
        }

        double levelVariance = 0, sizeVariance = 0;
        foreach (var entry in entries)
        {
            double p = entry.Count / runs;
            levelVariance += (entry.Level - levelMean) * (entry.Level - levelMean) * p;
            sizeVariance += (entry.Size - sizeMean) * (entry.Size - sizeMean) * p;
        }

        return
        [
            shortEmphasis / runs, longEmphasis / runs, lowEmphasis / runs, highEmphasis / runs,
            shortLow / runs, shortHigh / runs, longLow / runs, longHigh / runs,
            levelNonUniformity / runs, levelNonUniformity / (runs * runs),
            sizeNonUniformity / runs, sizeNonUniformity / (runs * runs),
            runs / voxelCount, levelVariance, sizeVariance, entropy,
        ];
    }
}
