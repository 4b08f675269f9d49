using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// Applies an IBSI <see cref="TextureAggregation"/> to a directional matrix family (GLCM, GLRLM): which matrices to
/// build, and whether features are averaged over them. A matrix of in-plane directions built over the whole volume
/// equals the sum of its per-slice matrices (in-plane steps never cross a slice), so 2.5D needs no per-slice pass.
/// </summary>
internal static class DirectionalAggregation
{
    /// <param name="build">Builds one matrix merging the given directions, over one slice or (null) the whole volume.</param>
    /// <param name="features">Feature values of a matrix, or null when it is empty (it is then left out of averages).</param>
    public static double[] Aggregate<TMatrix>(
        DiscretisedRoi roi,
        TextureAggregation aggregation,
        int featureCount,
        Func<IReadOnlyList<Int3>, int?, TMatrix> build,
        Func<TMatrix, double[]?> features)
    {
        var inPlane = TextureDirections.InPlane;
        var averager = new FeatureAverager(featureCount);
        switch (aggregation)
        {
            case TextureAggregation.Averaged2D:
                for (int k = 0; k < roi.Size.Z; k++)
                {
                    foreach (var direction in inPlane)
                    {
                        averager.Add(features(build([direction], k)));
                    }
                }

                break;
            case TextureAggregation.SliceMerged2D:
                for (int k = 0; k < roi.Size.Z; k++)
                {
                    averager.Add(features(build(inPlane, k)));
                }

                break;
            case TextureAggregation.DirectionMerged25D:
                foreach (var direction in inPlane)
                {
                    averager.Add(features(build([direction], null)));
                }

                break;
            case TextureAggregation.Merged25D:
                averager.Add(features(build(inPlane, null)));
                break;
            case TextureAggregation.Averaged3D:
                foreach (var direction in TextureDirections.Volume)
                {
                    averager.Add(features(build([direction], null)));
                }

                break;
            case TextureAggregation.Merged3D:
                averager.Add(features(build(TextureDirections.Volume, null)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null);
        }

        return averager.Mean();
    }
}

/// <summary>Mean of feature vectors; NaN for every feature when none was added (an ROI with no matrix entries).</summary>
internal sealed class FeatureAverager(int featureCount)
{
    private readonly double[] _sum = new double[featureCount];
    private int _count;

    public void Add(double[]? values)
    {
        if (values is null)
        {
            return;
        }

        for (int f = 0; f < _sum.Length; f++)
        {
            _sum[f] += values[f];
        }

        _count++;
    }

    public double[] Mean()
    {
        var mean = new double[_sum.Length];
        for (int f = 0; f < mean.Length; f++)
        {
            mean[f] = _count == 0 ? double.NaN : _sum[f] / _count;
        }

        return mean;
    }
}
