using Crlm.Core.Randomness;
using Crlm.Tabular.Models;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Tests.Models;

public class SmoteTests
{
    private static (double[] X, bool[] Y) Imbalanced(int negatives, int positives, int d, ulong seed)
    {
        var rng = new SplitMix64(seed);
        int n = negatives + positives;
        var x = new double[n * d];
        var y = new bool[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i >= negatives;
            for (int j = 0; j < d; j++)
            {
                x[(i * d) + j] = rng.NextDouble() + (y[i] ? 1 : 0);
            }
        }

        return (x, y);
    }

    [Fact]
    public void Resampling_balances_the_classes_exactly_and_keeps_the_original_rows_first()
    {
        var (x, y) = Imbalanced(40, 12, 3, 1);
        var r = Smote.Resample(x, y, 52, 3, 5, new SplitMix64(7));
        Assert.Equal(80, r.Count);
        Assert.Equal(28, r.SyntheticCount);
        Assert.Equal(40, r.Labels.Count(l => l));
        Assert.Equal(40, r.Labels.Count(l => !l));
        Assert.Equal(x, r.Features.AsSpan(0, x.Length).ToArray());
        Assert.Equal(y, r.Labels.AsSpan(0, 52).ToArray());
    }

    [Fact]
    public void Minority_can_be_either_class()
    {
        var (x, y) = Imbalanced(10, 30, 2, 2);
        var r = Smote.Resample(x, y, 40, 2, 5, new SplitMix64(3));
        Assert.Equal(20, r.SyntheticCount);
        Assert.All(r.Labels.Skip(40), l => Assert.False(l));
    }

    [Fact]
    public void Synthetic_rows_lie_on_segments_between_a_minority_row_and_one_of_its_five_nearest_minority_neighbours()
    {
        const int d = 3;
        var (x, y) = Imbalanced(30, 9, d, 4);
        var r = Smote.Resample(x, y, 39, d, 5, new SplitMix64(5));
        var minority = Enumerable.Range(0, 39).Where(i => y[i]).ToArray();
        double Dist(int a, int b) => Enumerable.Range(0, d).Sum(j => Math.Pow(x[(a * d) + j] - x[(b * d) + j], 2));
        for (int s = 39; s < r.Count; s++)
        {
            var p = r.Features.AsSpan(s * d, d).ToArray();
            bool found = false;
            foreach (int a in minority)
            {
                foreach (int b in minority.Where(b => b != a).OrderBy(b => Dist(a, b)).Take(5))
                {
                    // p = xa + g (xb - xa) with one g in [0, 1) for every coordinate.
                    double g = (p[0] - x[a * d]) / (x[b * d] - x[a * d]);
                    if (g >= 0 && g < 1 && Enumerable.Range(0, d).All(j => Math.Abs(x[(a * d) + j] + (g * (x[(b * d) + j] - x[(a * d) + j])) - p[j]) < 1e-12))
                    {
                        found = true;
                    }
                }
            }

            Assert.True(found, $"synthetic row {s} is on no minority neighbour segment");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_rows_and_another_seed_different_ones()
    {
        var (x, y) = Imbalanced(30, 10, 4, 6);
        var a = Smote.Resample(x, y, 40, 4, 5, new SplitMix64(11));
        var b = Smote.Resample(x, y, 40, 4, 5, new SplitMix64(11));
        var c = Smote.Resample(x, y, 40, 4, 5, new SplitMix64(12));
        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(a.Features, c.Features);
    }

    [Fact]
    public void Too_few_minority_rows_is_a_clear_error_naming_the_counts()
    {
        var (x, y) = Imbalanced(20, 5, 2, 7);
        var e = Assert.Throws<InvalidOperationException>(() => Smote.Resample(x, y, 25, 2, 5, new SplitMix64(1)));
        Assert.Contains("k_neighbors=5", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 6", e.Message, StringComparison.Ordinal);
        Assert.Contains("5 positive and 20 negative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Balanced_input_is_returned_unchanged()
    {
        var (x, y) = Imbalanced(3, 3, 2, 8);
        var r = Smote.Resample(x, y, 6, 2, 5, new SplitMix64(1));
        Assert.Equal(0, r.SyntheticCount);
        Assert.Equal(x, r.Features);
    }

    [Fact]
    public void The_estimator_hands_resampled_rows_to_training_but_transforms_as_the_identity()
    {
        var ml = new MLContext(0);
        var rows = ModelFixtures.ReadCsv("fm_train.csv");
        var data = ModelFixtures.ToDataView(ml, rows);
        var smote = new SmoteEstimator(ml, 3).Fit(data);
        int positives = rows.Count(r => r.Label);
        Assert.Equal(2 * Math.Max(positives, rows.Count - positives), smote.TrainingData.GetRowCount() ?? smote.TrainingData.GetColumn<bool>("Label").Count());
        Assert.Same(data, smote.Transform(data));
    }

    [Fact]
    public void Predicting_with_a_fitted_model_keeps_the_validation_row_count()
    {
        var ml = new MLContext(0);
        var train = ModelFixtures.ReadCsv("fm_train.csv");
        var test = ModelFixtures.ReadCsv("fm_test.csv");
        var model = new BenchmarkModelEstimator(ml, new BenchmarkModelConfig(5, 0.3, Penalty.L2, null, false, 500), 0)
            .Fit(ModelFixtures.ToDataView(ml, train));
        Assert.True(model.SyntheticTrainingRows > 0);
        var scored = model.Transform(ModelFixtures.ToDataView(ml, test));
        Assert.Equal(test.Count, scored.GetColumn<float>("Probability").Count());
    }
}
