using Crlm.Core.Evaluation;

namespace Crlm.Core.Tests.Evaluation;

public class PatientBootstrapTests
{
    private static (bool[] Y, double[] P) Data()
    {
        var rng = new Crlm.Core.Randomness.SplitMix64(3L);
        var y = new bool[50];
        var p = new double[50];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = i % 3 == 0;
            p[i] = Math.Round((0.3 * (y[i] ? 1 : 0)) + (0.7 * rng.NextDouble()), 2);
        }

        return (y, p);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result_in_parallel_and_sequentially()
    {
        var (y, p) = Data();
        double t = BinaryEvaluation.Evaluate(y, p).Youden.Threshold;
        foreach (var mode in new[] { BootstrapThreshold.Fixed, BootstrapThreshold.Refit })
        {
            var parallel = PatientBootstrap.Run(y, p, t, new BootstrapOptions(Resamples: 300, Seed: 5, Threshold: mode));
            var again = PatientBootstrap.Run(y, p, t, new BootstrapOptions(Resamples: 300, Seed: 5, Threshold: mode));
            var sequential = PatientBootstrap.Run(y, p, t, new BootstrapOptions(Resamples: 300, Seed: 5, Threshold: mode, Parallel: false));
            Assert.Equal(parallel, again);
            Assert.Equal(parallel, sequential);
        }
    }

    [Fact]
    public void A_different_seed_gives_different_resamples()
    {
        var (y, p) = Data();
        double t = BinaryEvaluation.Evaluate(y, p).Youden.Threshold;
        var a = PatientBootstrap.Run(y, p, t, new BootstrapOptions(Resamples: 300, Seed: 5));
        var b = PatientBootstrap.Run(y, p, t, new BootstrapOptions(Resamples: 300, Seed: 6));
        Assert.NotEqual(a.Auc, b.Auc);
    }

    [Fact]
    public void Drawn_resamples_replay_to_the_same_result_and_survive_the_peer_file_format()
    {
        var (y, p) = Data();
        double t = BinaryEvaluation.Evaluate(y, p).Youden.Threshold;
        var options = new BootstrapOptions(Resamples: 120, Seed: 9);
        int[][] drawn = BootstrapIndices.Draw(y.Length, 120, 9);
        var parsed = BootstrapIndices.ParseCsv(BootstrapIndices.ToCsv(drawn));
        Assert.Equal(drawn, parsed);

        var run = PatientBootstrap.Run(y, p, t, options);
        var replay = PatientBootstrap.Replay(y, p, t, parsed, options);
        Assert.Equal(run with { Method = "", Seed = null }, replay with { Method = "" });
    }

    [Fact]
    public void The_method_is_named_in_the_result()
    {
        var (y, p) = Data();
        var r = PatientBootstrap.Run(y, p, 0.5, new BootstrapOptions(Resamples: 10, Seed: 42, Threshold: BootstrapThreshold.Refit));
        Assert.Equal("percentile bootstrap over patients, B=10, seed 42, threshold refit", r.Method);
        Assert.Equal(0.5, r.FullSampleThreshold);
    }

    [Fact]
    public void Single_class_resamples_are_skipped_for_auc_only()
    {
        bool[] y = [true, false, false];
        double[] p = [0.9, 0.2, 0.4];
        int[][] resamples = [[1, 2, 2], [0, 1, 2], [0, 0, 0]];
        var r = PatientBootstrap.Replay(y, p, 0.9, resamples, new BootstrapOptions());
        Assert.Equal(2, r.SkippedSingleClass);
        Assert.Equal(1, r.Auc.ValidResamples);
        Assert.Equal(2, r.Sensitivity.ValidResamples);
        Assert.Equal(2, r.Specificity.ValidResamples);
        Assert.Equal(3, r.Brier.ValidResamples);
        Assert.Equal(1.0, r.Auc.Lower);
    }

    [Fact]
    public void Replay_rejects_indices_outside_the_rows()
    {
        Assert.Throws<ArgumentException>(() =>
            PatientBootstrap.Replay([true, false], [0.9, 0.1], 0.5, [[0, 2]], new BootstrapOptions()));
    }
}
