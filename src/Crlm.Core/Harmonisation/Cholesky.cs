namespace Crlm.Core.Harmonisation;

/// <summary>
/// The Cholesky factor L (A = L Lᵀ) of a small symmetric positive-definite matrix, used to solve the OLS normal equations
/// XᵀX b = Xᵀy once per feature with one factorisation. The normal equations square X's condition number; ComBat's
/// design is a site one-hot block plus centred covariates, which keeps it well conditioned (docs/combat.md).
/// </summary>
internal sealed class Cholesky
{
    /// <summary>A pivot below this fraction of its original diagonal entry means the column is (nearly) a combination of earlier ones.</summary>
    private const double RelativePivotTolerance = 1e-12;

    private readonly double[,] _lower;

    private Cholesky(double[,] lower) => _lower = lower;

    public int Size => _lower.GetLength(0);

    /// <summary>Factors <paramref name="a"/> (only its lower triangle is read); null when it is not positive definite, and then
    /// <paramref name="failedColumn"/> is the first column found dependent on the earlier ones.</summary>
    public static Cholesky? TryFactor(double[,] a, out int failedColumn)
    {
        int n = a.GetLength(0);
        if (a.GetLength(1) != n)
        {
            throw new ArgumentException("matrix must be square", nameof(a));
        }

        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double pivot = a[j, j];
            for (int k = 0; k < j; k++)
            {
                pivot -= l[j, k] * l[j, k];
            }

            if (!(pivot > RelativePivotTolerance * Math.Abs(a[j, j])) || pivot <= 0)
            {
                failedColumn = j;
                return null;
            }

            double diagonal = Math.Sqrt(pivot);
            l[j, j] = diagonal;
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = sum / diagonal;
            }
        }

        failedColumn = -1;
        return new Cholesky(l);
    }

    /// <summary>x with A x = b: forward substitution with L, then back substitution with Lᵀ.</summary>
    public double[] Solve(ReadOnlySpan<double> b)
    {
        int n = Size;
        if (b.Length != n)
        {
            throw new ArgumentException($"right-hand side has {b.Length} entries, the matrix {n}", nameof(b));
        }

        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++)
            {
                sum -= _lower[i, k] * y[k];
            }

            y[i] = sum / _lower[i, i];
        }

        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= _lower[k, i] * x[k];
            }

            x[i] = sum / _lower[i, i];
        }

        return x;
    }
}
