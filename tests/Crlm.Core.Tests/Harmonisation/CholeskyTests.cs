using Crlm.Core.Harmonisation;

namespace Crlm.Core.Tests.Harmonisation;

public class CholeskyTests
{
    [Fact]
    public void Solves_a_symmetric_positive_definite_system()
    {
        // A = Lᵀ-free example: A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]], x = [1, -2, 0.5].
        double[,] a = { { 4, 2, 0.4 }, { 2, 5, 1 }, { 0.4, 1, 3 } };
        double[] x = [1, -2, 0.5];
        double[] b = [(4 * 1) + (2 * -2) + (0.4 * 0.5), (2 * 1) + (5 * -2) + (1 * 0.5), (0.4 * 1) + (1 * -2) + (3 * 0.5)];

        var factor = Cholesky.TryFactor(a, out int failed);

        Assert.NotNull(factor);
        Assert.Equal(-1, failed);
        double[] solved = factor.Solve(b);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(x[i], solved[i], 12);
        }
    }

    [Fact]
    public void Reports_the_first_dependent_column_of_a_singular_matrix()
    {
        // Column 2 = column 0 + column 1 in the Gram matrix of [[1,0,1],[0,1,1],[1,1,2]].
        double[,] gram = { { 2, 1, 3 }, { 1, 2, 3 }, { 3, 3, 6 } };

        var factor = Cholesky.TryFactor(gram, out int failed);

        Assert.Null(factor);
        Assert.Equal(2, failed);
    }

    [Fact]
    public void Refuses_a_right_hand_side_of_the_wrong_length()
    {
        var factor = Cholesky.TryFactor(new double[,] { { 1 } }, out _)!;

        Assert.Throws<ArgumentException>(() => factor.Solve([1, 2]));
    }
}
