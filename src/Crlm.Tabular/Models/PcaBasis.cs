using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Crlm.Tabular.Models;

/// <summary>How <see cref="PcaBasis"/> decomposes the centred rows X (n × d).</summary>
internal enum PcaSolver
{
    /// <summary>
    /// Symmetric eigendecomposition of the smaller Gram matrix: XXᵀ (n × n, components Xᵀu/‖Xᵀu‖) when n &lt; d,
    /// else XᵀX (d × d, components its eigenvectors). About 3–10× cheaper than the SVD route in MathNet's managed
    /// code, but it squares the condition number, so it only keeps components with λ ≥ <see cref="PcaBasis.ReliableEigenvalueRatio"/> · λ_max.
    /// </summary>
    Eigen,

    /// <summary>SVD of the square R of a thin QR of X (or of Xᵀ when n &lt; d): every one of min(n, d) components, at full precision.</summary>
    Svd,
}

/// <summary>
/// Every component one solver resolves for a set of rows, sorted by variance and sign-fixed as scikit-learn's
/// svd_flip (u-based: the largest-|score| entry of each component's scores is positive, the first on ties),
/// with the rows' scores on all of them. <see cref="PrincipalComponents.Leading"/> of it is exactly the
/// <see cref="PrincipalComponents.Fit(ReadOnlySpan{double}, int, int, int)"/> of the same rows, and
/// <see cref="Scores"/> holds exactly what <see cref="PrincipalComponents.Project"/> returns for them, which is
/// what lets the cross-validation compute it once per fold and only slice it per trial.
/// </summary>
/// <param name="Scores">Row-major count × <c>Components.ComponentCount</c>.</param>
internal sealed record PcaBasis(PrincipalComponents Components, double[] Scores)
{
    /// <summary>
    /// The eigen route's floor: an eigenvector's error grows like ε·λ_max / gap, so below λ_max · 1e-6 it could be
    /// off by more than ~1e-10 and the fit falls back to the SVD. The components this drops are the near-null
    /// directions, e.g. the ≥ n − rank ones SMOTE's synthetic rows (convex combinations of real ones) add.
    /// </summary>
    public const double ReliableEigenvalueRatio = 1e-6;

    public int Count => Components.ComponentCount;

    /// <summary>The rows' scores on the first <paramref name="components"/> components, in float as the classifier's input holds them.</summary>
    public float[] LeadingScores(int components)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, Count);
        int n = Scores.Length / Count;
        var leading = new float[n * components];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < components; c++)
            {
                leading[(i * components) + c] = (float)Scores[(i * Count) + c];
            }
        }

        return leading;
    }

    public static PcaBasis Fit(ReadOnlySpan<double> rows, int count, int dimension, PcaSolver solver)
    {
        if (rows.Length != count * dimension || count < 1 || dimension < 1)
        {
            throw new ArgumentException($"expected {count} × {dimension} values, got {rows.Length}", nameof(rows));
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

        // Row-major for the scores below (the same differences Project takes), and as a MathNet matrix.
        var centred = new double[count * dimension];
        var x = Matrix<double>.Build.Dense(count, dimension);
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                double v = rows[(i * dimension) + j] - mean[j];
                centred[(i * dimension) + j] = v;
                x[i, j] = v;
                total += v * v;
            }
        }

        var (squares, right) = solver == PcaSolver.Eigen ? EigenRoute(x) : SvdRoute(x);
        int rank = squares.Length;
        var components = new double[rank * dimension];
        var variance = new double[rank];
        var ratio = new double[rank];
        var scores = new double[count * rank];
        for (int c = 0; c < rank; c++)
        {
            var component = components.AsSpan(c * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                component[j] = right[j, c];
            }

            // svd_flip: the sign that makes the largest |score| on this component positive (first on ties).
            // Negating every term negates the sum exactly, so the flipped scores are Project's to the bit.
            double largest = -1;
            double sign = 1;
            for (int i = 0; i < count; i++)
            {
                double score = Dot(centred.AsSpan(i * dimension, dimension), component);
                scores[(i * rank) + c] = score;
                if (Math.Abs(score) > largest)
                {
                    largest = Math.Abs(score);
                    sign = score < 0 ? -1 : 1;
                }
            }

            if (sign < 0)
            {
                for (int j = 0; j < dimension; j++)
                {
                    component[j] = -component[j];
                }

                for (int i = 0; i < count; i++)
                {
                    scores[(i * rank) + c] = -scores[(i * rank) + c];
                }
            }

            variance[c] = squares[c] / Math.Max(count - 1, 1);
            ratio[c] = total > 0 ? squares[c] / total : 0;
        }

        return new PcaBasis(new PrincipalComponents(mean, components, rank, variance, ratio), scores);
    }

    /// <summary>In <see cref="PrincipalComponents.Project"/>'s order: sequential, scalar, so the two agree to the bit.</summary>
    private static double Dot(ReadOnlySpan<double> centredRow, ReadOnlySpan<double> component)
    {
        double s = 0;
        for (int j = 0; j < centredRow.Length; j++)
        {
            s += centredRow[j] * component[j];
        }

        return s;
    }

    /// <summary>Squared singular values (descending) and the matching right-singular vectors as columns, the reliable ones only.</summary>
    private static (double[] Squares, Matrix<double> Right) EigenRoute(Matrix<double> x)
    {
        bool wide = x.RowCount < x.ColumnCount;
        var gram = wide ? x.TransposeAndMultiply(x) : x.TransposeThisAndMultiply(x);
        var evd = gram.Evd(Symmetricity.Symmetric);
        int size = gram.RowCount;
        var values = new double[size];
        for (int i = 0; i < size; i++)
        {
            values[i] = evd.EigenValues[i].Real;
        }

        // Descending; the index breaks ties so the order never depends on the sort's stability.
        int[] order = [.. Enumerable.Range(0, size).OrderByDescending(i => values[i]).ThenBy(i => i)];
        double floor = values[order[0]] * ReliableEigenvalueRatio;
        int kept = 0;
        while (kept < size && values[order[kept]] > 0 && values[order[kept]] >= floor)
        {
            kept++;
        }

        var vectors = Matrix<double>.Build.Dense(size, kept);
        for (int c = 0; c < kept; c++)
        {
            vectors.SetColumn(c, evd.EigenVectors.Column(order[c]));
        }

        if (!wide)
        {
            return ([.. order.Take(kept).Select(i => values[i])], vectors);
        }

        // XXᵀu = λu  =>  v = Xᵀu / ‖Xᵀu‖ is a right-singular vector with σ² = ‖Xᵀu‖² = λ.
        var right = x.TransposeThisAndMultiply(vectors);
        var squares = new double[kept];
        for (int c = 0; c < kept; c++)
        {
            double norm = right.Column(c).L2Norm();
            squares[c] = norm * norm;
            right.SetColumn(c, right.Column(c) / norm);
        }

        return (squares, right);
    }

    /// <summary>Squared singular values (descending, min(n, d) of them) and the matching right-singular vectors as columns.</summary>
    private static (double[] Squares, Matrix<double> Right) SvdRoute(Matrix<double> x)
    {
        if (x.RowCount >= x.ColumnCount)
        {
            // A = Q R, R = U S Vᵀ  =>  A = (Q U) S Vᵀ: A's right-singular vectors are R's.
            var r = x.QR(QRMethod.Thin).R;
            var svd = r.Svd(computeVectors: true);
            return ([.. svd.S.Select(s => s * s)], svd.VT.Transpose());
        }

        // Aᵀ = Q R, R = U S Vᵀ  =>  A = V S (Q U)ᵀ: A's right-singular vectors are Q U.
        var qr = x.Transpose().QR(QRMethod.Thin);
        var svdT = qr.R.Svd(computeVectors: true);
        return ([.. svdT.S.Select(s => s * s)], qr.Q * svdT.U);
    }
}
