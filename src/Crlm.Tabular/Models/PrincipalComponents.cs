using MathNet.Numerics.LinearAlgebra;

namespace Crlm.Tabular.Models;

/// <summary>
/// Exact PCA as scikit-learn 1.2's <c>PCA(svd_solver='full')</c>: centre on the training mean, take the
/// top right-singular vectors of the centred matrix, fix each sign so that the largest-magnitude entry
/// of the matching left-singular vector (equivalently of the projected scores) is positive (svd_flip
/// with u_based_decision=True).
/// </summary>
/// <remarks>
/// ML.NET's ProjectToPrincipalComponents is a randomized PCA (Halko et al.) with an oversampling and a
/// seed: its components are approximate and change with the seed, so fold results would not match the
/// peer's LAPACK SVD and would not be exactly reproducible across ML.NET versions. The SVD here is
/// MathNet's, taken of the small square R of a thin QR of the centred matrix (or of its transpose when
/// there are more features than rows), so the cost is O(n·d·min(n, d)) instead of a full n × n U.
/// </remarks>
public sealed class PrincipalComponents
{
    private readonly double[] _mean;
    private readonly double[] _components;

    internal PrincipalComponents(double[] mean, double[] components, int count, double[] explainedVariance, double[] explainedVarianceRatio)
    {
        _mean = mean;
        _components = components;
        ComponentCount = count;
        ExplainedVariance = explainedVariance;
        ExplainedVarianceRatio = explainedVarianceRatio;
    }

    public int Dimension => _mean.Length;

    public int ComponentCount { get; }

    /// <summary>The training mean that is subtracted before projecting.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Row-major ComponentCount × Dimension, like scikit-learn's <c>components_</c>.</summary>
    public IReadOnlyList<double> Components => _components;

    /// <summary>Variance along each component, with the n − 1 denominator (scikit-learn's <c>explained_variance_</c>).</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Share of the total variance along each component (scikit-learn's <c>explained_variance_ratio_</c>).</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    internal ReadOnlySpan<double> MeanSpan => _mean;

    internal ReadOnlySpan<double> ComponentSpan => _components;

    /// <param name="rows">Row-major, <paramref name="count"/> × <paramref name="dimension"/>.</param>
    public static PrincipalComponents Fit(ReadOnlySpan<double> rows, int count, int dimension, int components)
    {
        if (rows.Length != count * dimension)
        {
            throw new ArgumentException($"expected {count} × {dimension} values, got {rows.Length}", nameof(rows));
        }

        int rank = Math.Min(count, dimension);
        if (components < 1 || components > rank)
        {
            throw new ArgumentOutOfRangeException(nameof(components),
                $"PCA components must be in [1, min(rows, features)] = [1, {rank}] (rows {count}, features {dimension}), got {components}");
        }

        var mean = new double[dimension];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                mean[j] += rows[(i * dimension) + j];
            }
        }

        for (int j = 0; j < dimension; j++)
        {
            mean[j] /= count;
        }

        var centred = Matrix<double>.Build.Dense(count, dimension);
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                centred[i, j] = rows[(i * dimension) + j] - mean[j];
            }
        }

        (double[] singular, Matrix<double> right) = ThinSvd(centred);
        double total = 0;
        foreach (double s in singular)
        {
            total += s * s;
        }

        var comps = new double[components * dimension];
        var variance = new double[components];
        var ratio = new double[components];
        for (int c = 0; c < components; c++)
        {
            // svd_flip: the sign that makes the largest |score| on this component positive (first on ties).
            double largest = -1;
            double sign = 1;
            for (int i = 0; i < count; i++)
            {
                double score = 0;
                for (int j = 0; j < dimension; j++)
                {
                    score += centred[i, j] * right[j, c];
                }

                if (Math.Abs(score) > largest)
                {
                    largest = Math.Abs(score);
                    sign = score < 0 ? -1 : 1;
                }
            }

            for (int j = 0; j < dimension; j++)
            {
                comps[(c * dimension) + j] = sign * right[j, c];
            }

            variance[c] = singular[c] * singular[c] / Math.Max(count - 1, 1);
            ratio[c] = total > 0 ? singular[c] * singular[c] / total : 0;
        }

        return new PrincipalComponents(mean, comps, components, variance, ratio);
    }

    /// <summary>Scores of one row: (row − mean) · componentsᵀ.</summary>
    public void Project(ReadOnlySpan<double> row, Span<double> scores)
    {
        if (row.Length != Dimension || scores.Length != ComponentCount)
        {
            throw new ArgumentException($"expected a row of {Dimension} and room for {ComponentCount} scores");
        }

        for (int c = 0; c < ComponentCount; c++)
        {
            var component = _components.AsSpan(c * Dimension, Dimension);
            double s = 0;
            for (int j = 0; j < row.Length; j++)
            {
                s += (row[j] - _mean[j]) * component[j];
            }

            scores[c] = s;
        }
    }

    /// <summary>Singular values (descending, min(n, d) of them) and the matching right-singular vectors as columns.</summary>
    private static (double[] Singular, Matrix<double> Right) ThinSvd(Matrix<double> a)
    {
        if (a.RowCount >= a.ColumnCount)
        {
            // A = Q R, R = U S Vᵀ  =>  A = (Q U) S Vᵀ: A's right-singular vectors are R's.
            var r = a.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).R;
            var svd = r.Svd(computeVectors: true);
            return (svd.S.ToArray(), svd.VT.Transpose());
        }

        // Aᵀ = Q R, R = U S Vᵀ  =>  A = V S (Q U)ᵀ: A's right-singular vectors are Q U.
        var qr = a.Transpose().QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var svdT = qr.R.Svd(computeVectors: true);
        return (svdT.S.ToArray(), qr.Q * svdT.U);
    }
}
