using Crlm.Core.Harmonisation;
using Xunit.Abstractions;

namespace Crlm.Core.Tests.Harmonisation;

/// <summary>
/// Our ComBat against the independent numpy reference (tests/reference/combat_reference.py) on its committed fixtures:
/// estimates and harmonised training and held-out rows to 1e-8 absolute. Cases: parametric EB with age, without
/// covariates, mean-only, with the label as a training-only covariate, and with a single-row site.
/// </summary>
public class ComBatReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-8;

    public static TheoryData<string, string> Cases => new()
    {
        { "parametric_age", "train.csv" },
        { "parametric_plain", "train.csv" },
        { "mean_only_age", "train.csv" },
        { "parametric_age_label", "train.csv" },
        { "parametric_age_single", "train_single.csv" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Estimates_and_harmonised_rows_match_the_reference(string name, string trainFile)
    {
        var train = ComBatTable.Read(trainFile);
        var heldout = ComBatTable.Read("heldout.csv");
        var expected = ComBatExpected.Read(name);

        var fit = ComBatModel.Fit(
            train.Features,
            train.Sites,
            expected.Covariates.Select(c => new ComBatCovariate(c.Name, train.Column(c.Name), c.TrainingOnly)).ToArray(),
            new ComBatOptions { Variant = expected.Variant });
        var applied = fit.Model.Apply(
            heldout.Features,
            heldout.Sites,
            expected.Covariates.Where(c => !c.TrainingOnly).Select(c => ComBatCovariate.Preserved(c.Name, heldout.Column(c.Name))).ToArray());

        Assert.Equal(expected.Sites, fit.Model.Sites);
        var worst = new Dictionary<string, double>
        {
            ["grand mean"] = MaxDifference([expected.GrandMean], [fit.Model.GrandMean.ToArray()]),
            ["pooled variance"] = MaxDifference([expected.PooledVariance], [fit.Model.PooledVariance.ToArray()]),
            ["gamma*"] = MaxDifference(expected.GammaStar, expected.Sites.Select(s => fit.Model.GammaStar(s).ToArray()).ToArray()),
            ["delta*"] = MaxDifference(expected.DeltaStar, expected.Sites.Select(s => fit.Model.DeltaStar(s).ToArray()).ToArray()),
            ["training rows"] = MaxDifference(expected.Train, fit.Harmonised),
            ["held-out rows"] = MaxDifference(expected.Heldout, applied.Harmonised),
        };

        foreach ((string what, double difference) in worst)
        {
            output.WriteLine($"{name}: {what} max |ours - reference| = {difference:E2}");
        }

        Assert.All(worst, w => Assert.True(w.Value <= Tolerance, $"{w.Key}: max difference {w.Value:E3} > {Tolerance:E0}"));
    }

    [Fact]
    public void The_single_row_site_is_mean_shift_only_with_a_warning()
    {
        var train = ComBatTable.Read("train_single.csv");

        var fit = ComBatModel.Fit(train.Features, train.Sites, [ComBatCovariate.Preserved("age", train.Age)]);

        Assert.Equal(["siteZ"], fit.Model.MeanShiftOnlySites);
        Assert.All(fit.Model.DeltaStar("siteZ"), d => Assert.Equal(1.0, d));
        Assert.Contains(fit.Warnings, w => w.Contains("'siteZ'", StringComparison.Ordinal) && w.Contains("single training row", StringComparison.Ordinal));
    }

    [Fact]
    public void The_constant_feature_is_left_untouched_with_a_warning()
    {
        var train = ComBatTable.Read("train.csv");

        var fit = ComBatModel.Fit(train.Features, train.Sites, [ComBatCovariate.Preserved("age", train.Age)]);

        Assert.False(fit.Model.IsHarmonised[6]);
        Assert.All(fit.Harmonised, row => Assert.Equal(3.25, row[6]));
        Assert.Contains(fit.Warnings, w => w.Contains("feature(s) 6 have zero pooled variance", StringComparison.Ordinal));
    }

    private static double MaxDifference(double[][] expected, double[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int j = 0; j < expected[i].Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(expected[i][j] - actual[i][j]));
            }
        }

        return worst;
    }
}
