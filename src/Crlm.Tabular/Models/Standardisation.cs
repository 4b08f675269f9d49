namespace Crlm.Tabular.Models;

/// <summary>
/// scikit-learn's StandardScaler on arrays, with the numbers ML.NET's <c>NormalizeMeanVariance(fixZero: false)</c>
/// fits: offset = mean and scale = 1 / population sd (ddof = 0), both rounded to float; a constant column gets
/// scale 0, as ML.NET's affine normaliser gives it. The cross-validation uses this instead of fitting ML.NET's
/// normaliser per fold (an IDataView, a cursor pass and a transformer each time); the saved model keeps ML.NET's.
/// </summary>
internal static class Standardisation
{
    /// <param name="features">Row-major, <paramref name="count"/> × <paramref name="dimension"/>.</param>
    public static (float[] Offset, float[] Scale) Fit(ReadOnlySpan<float> features, int count, int dimension)
    {
        var mean = new double[dimension];
        for (int i = 0; i < count; i++)
        {
            var row = features.Slice(i * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                mean[j] += row[j];
            }
        }

        for (int j = 0; j < dimension; j++)
        {
            mean[j] /= count;
        }

        // Two passes in double: the sum of squared deviations, not E[x²] − E[x]², which cancels badly.
        var squares = new double[dimension];
        for (int i = 0; i < count; i++)
        {
            var row = features.Slice(i * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                double deviation = row[j] - mean[j];
                squares[j] += deviation * deviation;
            }
        }

        var offset = new float[dimension];
        var scale = new float[dimension];
        for (int j = 0; j < dimension; j++)
        {
            double sd = Math.Sqrt(squares[j] / count);
            offset[j] = (float)mean[j];
            scale[j] = sd > 0 ? (float)(1 / sd) : 0;
        }

        return (offset, scale);
    }

    /// <summary>(x − offset)·scale, computed in float as ML.NET's transform does, widened to double.</summary>
    public static double[] Apply(ReadOnlySpan<float> features, int count, int dimension, float[] offset, float[] scale)
    {
        var scaled = new double[count * dimension];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                scaled[(i * dimension) + j] = (features[(i * dimension) + j] - offset[j]) * scale[j];
            }
        }

        return scaled;
    }
}
