using Crlm.Core.Evaluation;

namespace Crlm.Core.Tests.Evaluation;

public class MetricHandCaseTests
{
    [Fact]
    public void Auc_with_every_score_tied_is_one_half()
    {
        Assert.Equal(0.5, RocAuc.Compute([true, false, true, false, false], [0.3, 0.3, 0.3, 0.3, 0.3]));
    }

    [Fact]
    public void Auc_with_a_single_class_is_undefined()
    {
        Assert.Null(RocAuc.Compute([true, true, true], [0.1, 0.5, 0.9]));
        Assert.Null(RocAuc.Compute([false, false], [0.1, 0.5]));
        Assert.Null(YoudenThreshold.Find([false, false], [0.1, 0.5]));
        Assert.Null(RocCurve.Compute([true], [0.1]));
    }

    [Fact]
    public void Auc_of_reversed_scores_is_zero_and_of_separated_scores_is_one()
    {
        Assert.Equal(0.0, RocAuc.Compute([true, true, false, false], [0.1, 0.2, 0.3, 0.4]));
        Assert.Equal(1.0, RocAuc.Compute([true, true, false, false], [0.9, 0.8, 0.3, 0.4]));
    }

    [Fact]
    public void Auc_counts_a_tied_pair_as_one_half()
    {
        // Pairs (pos, neg): (0.8, 0.5) win, (0.8, 0.2) win, (0.5, 0.5) tie, (0.5, 0.2) win: 3.5 of 4.
        Assert.Equal(0.875, RocAuc.Compute([true, true, false, false], [0.8, 0.5, 0.5, 0.2]));
    }

    [Fact]
    public void Youden_ties_pick_the_highest_threshold()
    {
        // Thresholds 0.9, 0.7, 0.5, 0.3: J = 0.5, 0.5, 0, 0.5 (cut after each positive). The first maximum is 0.9.
        bool[] y = [true, false, true, false];
        double[] p = [0.9, 0.7, 0.5, 0.3];
        var youden = YoudenThreshold.Find(y, p)!;
        Assert.Equal(0.9, youden.Threshold);
        Assert.Equal(0.5, youden.J);
    }

    [Fact]
    public void Youden_without_any_useful_threshold_is_above_every_score_as_in_sklearn_1_2()
    {
        var youden = YoudenThreshold.Find([true, true, false, false], [0.1, 0.2, 0.3, 0.4])!;
        Assert.Equal(1.4, youden.Threshold);
        Assert.Equal(0.0, youden.J);
    }

    [Fact]
    public void Operating_point_counts_a_probability_equal_to_the_threshold_as_positive()
    {
        var op = OperatingPoint.At([true, false, true, false, true], [0.6, 0.6, 0.4, 0.1, 0.9], 0.6);
        Assert.Equal(new ConfusionMatrix(Tn: 1, Fp: 1, Fn: 1, Tp: 2), op.Confusion);
        Assert.Equal(2.0 / 3, op.Sensitivity);
        Assert.Equal(0.5, op.Specificity);
        Assert.Equal(((2.0 / 3) + 0.5) / 2, op.BalancedAccuracy);
        Assert.Equal(2.0 / 3, op.Precision);
        Assert.Equal(4.0 / 6, op.F1);
        Assert.Equal(3.0 / 5, op.Accuracy);
    }

    [Fact]
    public void Undefined_ratios_are_null_rather_than_zero()
    {
        // Nothing called positive and no positives: precision 0/0, sensitivity 0/0, F1 0/0.
        var op = OperatingPoint.At([false, false], [0.1, 0.2], 0.5);
        Assert.Null(op.Precision);
        Assert.Null(op.Sensitivity);
        Assert.Null(op.BalancedAccuracy);
        Assert.Null(op.F1);
        Assert.Equal(1.0, op.Specificity);
    }

    [Fact]
    public void Roc_curve_has_one_point_per_distinct_score_after_the_origin()
    {
        var curve = RocCurve.Compute([true, false, true, false], [0.8, 0.5, 0.5, 0.2])!;
        Assert.Equal([1.8, 0.8, 0.5, 0.2], curve.Thresholds);
        Assert.Equal([0.0, 0.5, 1.0, 1.0], curve.TruePositiveRates);
        Assert.Equal([0.0, 0.0, 0.5, 1.0], curve.FalsePositiveRates);
    }

    [Fact]
    public void Brier_is_the_mean_squared_error()
    {
        Assert.Equal((0.01 + 0.04 + 0.25) / 3, BrierScore.Compute([true, false, true], [0.9, 0.2, 0.5])!.Value, 15);
        Assert.Null(BrierScore.Compute([], []));
    }

    [Fact]
    public void Percentiles_interpolate_like_numpy()
    {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) = 1.075, 2.5, 3.925.
        double[] v = [4, 1, 3, 2];
        Assert.Equal(1.075, Percentile.Type7(v, 2.5)!.Value, 14);
        Assert.Equal(2.5, Percentile.Type7(v, 50));
        Assert.Equal(3.925, Percentile.Type7(v, 97.5)!.Value, 14);
        Assert.Equal(4.0, Percentile.Type7(v, 100));
        Assert.Equal(7.0, Percentile.Type7([7.0], 2.5));
        Assert.Null(Percentile.Type7([], 50));
    }

    [Fact]
    public void Mismatched_or_non_finite_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([true, false], [0.5]));
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([true, false], [0.5, double.NaN]));
        Assert.Throws<ArgumentException>(() => BinaryEvaluation.Evaluate([true, true], [0.5, 0.6]));
    }
}
