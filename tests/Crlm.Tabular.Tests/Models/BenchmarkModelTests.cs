using Crlm.Tabular.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Tabular.Tests.Models;

public class BenchmarkModelTests
{
    private static readonly MLContext Ml = new(0);
    private static readonly List<ModelRow> Train = ModelFixtures.ReadCsv("fm_train.csv");
    private static readonly List<ModelRow> Test = ModelFixtures.ReadCsv("fm_test.csv");

    private static BenchmarkModel Fit(BenchmarkModelConfig config, long seed = 0) =>
        new BenchmarkModelTrainer(Ml).Fit(ModelFixtures.FlatFeatures(Train), Train.Count, Train[0].Features.Length, [.. Train.Select(r => r.Label)], config, seed);

    [Fact]
    public void The_scaler_is_sklearns_StandardScaler_mean_and_population_sd()
    {
        var model = Fit(new BenchmarkModelConfig(5, 0.3, Penalty.L2, null, false, 500));
        var mean = ModelFixtures.Doubles(ModelFixtures.Components.GetProperty("scaler_mean"));
        var sd = ModelFixtures.Doubles(ModelFixtures.Components.GetProperty("scaler_scale"));
        for (int j = 0; j < mean.Length; j++)
        {
            Assert.Equal(mean[j], model.ScalerOffset[j], 1e-5);
            Assert.Equal(1 / sd[j], model.ScalerScale[j], 1e-5);
        }
    }

    [Fact]
    public void Array_predictions_equal_the_MLNET_chains_probabilities()
    {
        var model = Fit(new BenchmarkModelConfig(7, 1.0, Penalty.ElasticNet, 0.5, true, 500));
        var fast = model.PredictProbabilities(ModelFixtures.FlatFeatures(Test));
        var chain = model.Transform(ModelFixtures.ToDataView(Ml, Test)).GetColumn<float>("Probability").ToArray();
        for (int i = 0; i < Test.Count; i++)
        {
            Assert.Equal(fast[i], chain[i], 1e-5);
        }
    }

    [Fact]
    public void Fit_save_load_predicts_the_same()
    {
        using var temp = new TempFolder();
        var model = Fit(new BenchmarkModelConfig(6, 0.2, Penalty.L1, null, false, 300), 5);
        string path = Path.Combine(temp.Path, "model.zip");
        model.Save(path);
        var loaded = BenchmarkModel.Load(new MLContext(1), path);
        Assert.Equal(model.Config, loaded.Config);
        var features = ModelFixtures.FlatFeatures(Test);
        Assert.Equal(model.PredictProbabilities(features), loaded.PredictProbabilities(features));
        var before = model.Transform(ModelFixtures.ToDataView(Ml, Test)).GetColumn<float>("Probability").ToArray();
        var after = loaded.Transform(ModelFixtures.ToDataView(Ml, Test)).GetColumn<float>("Probability").ToArray();
        Assert.Equal(before, after);
        Assert.Equal(model.Pca.ExplainedVarianceRatio, loaded.Pca.ExplainedVarianceRatio);
    }

    [Fact]
    public void A_file_that_is_not_a_model_archive_is_refused_by_name()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "other.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            zip.CreateEntry("x.txt");
        }

        var e = Assert.Throws<InvalidDataException>(() => BenchmarkModel.Load(Ml, path));
        Assert.Contains("model.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fitted_model_adds_MLNETs_prediction_columns()
    {
        var model = new BenchmarkModelEstimator(Ml, new BenchmarkModelConfig(3, 1, Penalty.L2, null, false, 100), 0).Fit(ModelFixtures.ToDataView(Ml, Train));
        var schema = model.GetOutputSchema(ModelFixtures.ToDataView(Ml, Test).Schema);
        Assert.NotNull(schema.GetColumnOrNull("Probability"));
        Assert.NotNull(schema.GetColumnOrNull("PredictedLabel"));
    }

    [Fact]
    public void Same_seed_gives_the_same_model()
    {
        var config = new BenchmarkModelConfig(5, 0.3, Penalty.L2, null, false, 500);
        var features = ModelFixtures.FlatFeatures(Test);
        Assert.Equal(Fit(config, 9).PredictProbabilities(features), Fit(config, 9).PredictProbabilities(features));
    }

    [Fact]
    public void Config_validation_lists_every_problem()
    {
        var e = Assert.Throws<ArgumentException>(() => new BenchmarkModelConfig(0, -1, Penalty.ElasticNet, null, false, 0).Validate());
        Assert.Contains("PcaComponents must be at least 1, got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("C must be a positive finite number, got -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("L1Ratio is required when Penalty is ElasticNet", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxIterations must be at least 1, got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("L1Ratio must be in [0, 1], got 1.5", new BenchmarkModelConfig(1, 1, Penalty.ElasticNet, 1.5, false, 1).Problems()[0], StringComparison.Ordinal);
        Assert.Contains("L1Ratio applies only to ElasticNet", new BenchmarkModelConfig(1, 1, Penalty.L2, 0.5, false, 1).Problems()[0], StringComparison.Ordinal);
        Assert.Empty(new BenchmarkModelConfig(1, 1, Penalty.L2, null, true, 1).Problems());
    }

    [Fact]
    public void Peer_parameters_map_liblinear_to_lbfgs_and_reject_unknown_names()
    {
        var c = BenchmarkModelConfig.FromPeer(5, 0.3, "elasticnet", "saga", 0.4, "balanced", 500);
        Assert.Equal(new BenchmarkModelConfig(5, 0.3, Penalty.ElasticNet, 0.4, true, 500), c);
        Assert.Equal(Penalty.L2, BenchmarkModelConfig.FromPeer(5, 0.3, "l2", "liblinear", null, "none", 100).Penalty);
        Assert.Throws<ArgumentException>(() => BenchmarkModelConfig.FromPeer(5, 0.3, "l3", "saga", null, "none", 100));
        Assert.Throws<ArgumentException>(() => BenchmarkModelConfig.FromPeer(5, 0.3, "l2", "newton-cg", null, "none", 100));
    }

    [Fact]
    public void Too_many_PCA_components_for_the_fold_is_reported_with_the_counts()
    {
        var e = Assert.Throws<ArgumentException>(() => Fit(new BenchmarkModelConfig(25, 1, Penalty.L2, null, false, 100)));
        Assert.Contains("min(", e.Message, StringComparison.Ordinal);
    }
}
