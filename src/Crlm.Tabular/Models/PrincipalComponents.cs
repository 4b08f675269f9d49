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
/// peer's LAPACK SVD and would not be exactly reproducible across ML.NET versions. The decomposition here is
/// taken from the symmetric eigendecomposition of the smaller of XXᵀ and XᵀX, with the SVD as the
/// fallback for components that route cannot resolve (see <see cref="PcaBasis"/>).
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
    /// <remarks>
    /// The leading components come from the symmetric eigendecomposition (<see cref="PcaSolver.Eigen"/>); when
    /// <paramref name="components"/> reaches past the ones that route resolves reliably, from the SVD
    /// (<see cref="PcaSolver.Svd"/>). The rule is the same one the cross-validation's fold cache applies, so a
    /// cached fold and this fit give the same components.
    /// </remarks>
    public static PrincipalComponents Fit(ReadOnlySpan<double> rows, int count, int dimension, int components)
    {
        CheckShape(rows, count, dimension, components);
        var basis = PcaBasis.Fit(rows, count, dimension, PcaSolver.Eigen);
        if (components > basis.Components.ComponentCount)
        {
            basis = PcaBasis.Fit(rows, count, dimension, PcaSolver.Svd);
        }

        return basis.Components.Leading(components);
    }

    /// <summary>One solver's fit, all components it resolves (see <see cref="PcaBasis"/>).</summary>
    internal static PrincipalComponents Fit(ReadOnlySpan<double> rows, int count, int dimension, int components, PcaSolver solver)
    {
        CheckShape(rows, count, dimension, components);
        var basis = PcaBasis.Fit(rows, count, dimension, solver);
        if (components > basis.Components.ComponentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(components), $"the {solver} route resolves {basis.Components.ComponentCount} components, {components} asked");
        }

        return basis.Components.Leading(components);
    }

    /// <summary>The first <paramref name="components"/> components; the mean and the explained-variance ratios (shares of the same total) carry over.</summary>
    internal PrincipalComponents Leading(int components)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(components);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, ComponentCount);
        if (components == ComponentCount)
        {
            return this;
        }

        return new PrincipalComponents(
            _mean,
            _components.AsSpan(0, components * Dimension).ToArray(),
            components,
            [.. ExplainedVariance.Take(components)],
            [.. ExplainedVarianceRatio.Take(components)]);
    }

    private static void CheckShape(ReadOnlySpan<double> rows, int count, int dimension, int components)
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
}
