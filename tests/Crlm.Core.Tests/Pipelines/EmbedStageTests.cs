using System.Globalization;
using Crlm.Core.Embedding;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Embedding;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>
/// The embed stage with a stand-in encoder (mean and maximum of the box inside the liver): every scan gets its
/// vector, the peer-format tables follow the splits, a second run does no encoder work, and a profile other
/// than the study's gets its own boxes.
/// </summary>
public sealed class EmbedStageTests
{
    private sealed class LiverStatsEncoder(string identity) : IVolumeEncoder
    {
        public int Calls;
        public readonly List<Int3> Sizes = [];

        public string Identity => identity;

        public int Dimension => 2;

        public int PreferredBatch => 3;

        public bool RunsInParallel => true;

        public IReadOnlyList<string> Warnings { get; } = ["stand-in encoder"];

        public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> scans)
        {
            Interlocked.Add(ref Calls, scans.Count);
            lock (Sizes)
            {
                Sizes.AddRange(scans.Select(s => s.Image.Size));
            }

            return scans.Select(s =>
            {
                var inside = s.Image.Voxels.Where((_, n) => s.Liver.Voxels[n] != 0).ToArray();
                return new[] { inside.Average(), inside.Max() };
            }).ToArray();
        }

        public void Dispose()
        {
        }
    }

    private sealed class Factory(LiverStatsEncoder encoder) : IVolumeEncoderFactory
    {
        public IVolumeEncoder Create(EncoderSpec spec, long seed) => encoder;
    }

    private static PipelineSpec Spec(TempFolder folder, string manifest, string encoders) =>
        PipelineSpecReader.Read(folder.Write("spec.yaml", $"""
            name: t
            seed: 3
            dataset:
              manifest: {manifest}
            splits:
              folds: 2
            preprocess:
              spacing: [1, 1, 2.5]
              box: [6, 6, 3]
              norm: none
            profiles:
              wide:
                box: [8, 8, 4]
            encoders:
            {encoders}
            stages: [cohort, split, preprocess, embed]
            output: out
            cache: cache
            """), PipelineRunner.DefaultStageNames());

    private static RunRecord Run(PipelineSpec spec, LiverStatsEncoder encoder) =>
        new PipelineRunner(PipelineRunner.DefaultStages(new Factory(encoder)), new SilentRunObserver(), TimeProvider.System).Run(spec);

    [Fact]
    public void Every_scan_is_embedded_once_and_a_second_run_reuses_them_all()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A", "B"], 2);
        var spec = Spec(folder, manifest, "  - {name: stats, kind: cnn3d}");
        var encoder = new LiverStatsEncoder("stats-v1");

        var first = Run(spec, encoder);
        Assert.True(first.Status == "completed", first.Stages[^1].Error);
        Assert.Equal("completed", first.Stages[^1].Outcome);
        Assert.Equal(12, encoder.Calls);
        Assert.All(encoder.Sizes, s => Assert.Equal(new Int3(6, 6, 3), s));

        string[] table = File.ReadAllLines(folder.File("out/embeddings/stats.csv"));
        Assert.Equal("patient_id,label,site,scan_id,phase,class,set,fold,f0,f1", table[0]);
        Assert.Equal(13, table.Length);
        Assert.All(table.Skip(1), row => Assert.Equal(row.Split(',')[5] == "crlm" ? "1" : "0", row.Split(',')[1]));

        // The vector is the liver's mean and maximum of the preprocessed box, as stored by the preprocess stage.
        string[] row0 = table[1].Split(',');
        string[] scanRow = File.ReadAllLines(folder.File("out/preprocess/scans.csv")).Single(l => l.Split(',')[1] == row0[3]).Split(',');
        var image = NiftiReader.Read<float>(folder.File($"cache/preprocess/{scanRow[2]}/image.nii.gz"));
        var liver = NiftiReader.Read<byte>(folder.File($"cache/preprocess/{scanRow[2]}/liver.nii.gz"));
        var inside = image.Voxels.Where((_, n) => liver.Voxels[n] != 0).ToArray();
        Assert.Equal(inside.Average(), float.Parse(row0[8], CultureInfo.InvariantCulture));
        Assert.Equal(inside.Max(), float.Parse(row0[9], CultureInfo.InvariantCulture));

        // The peer's train/test tables split the rows by the run's patient split.
        string[] splits = File.ReadAllLines(folder.File("out/splits.csv"));
        var train = File.ReadAllLines(folder.File("out/embeddings/stats/train.csv")).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        var test = File.ReadAllLines(folder.File("out/embeddings/stats/test.csv")).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        Assert.Equal(12, train.Count + test.Count);
        Assert.Empty(train.Intersect(test));
        Assert.All(test, p => Assert.Contains(splits, l => l.StartsWith(p + ",", StringComparison.Ordinal) && l.Contains(",test,", StringComparison.Ordinal)));

        var again = new LiverStatsEncoder("stats-v1");
        var second = Run(spec, again);
        Assert.Equal("cached", second.Stages[^1].Outcome);
        Assert.Equal(0, again.Calls);
        Assert.Equal(table, File.ReadAllLines(folder.File("out/embeddings/stats.csv")));

        // A different encoder identity (new weights, new code) recomputes everything.
        var changed = new LiverStatsEncoder("stats-v2");
        Run(spec, changed);
        Assert.Equal(12, changed.Calls);
    }

    [Fact]
    public void A_profile_other_than_the_studys_gets_its_own_boxes()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 1);
        var encoder = new LiverStatsEncoder("stats");
        var record = Run(Spec(folder, manifest, "  - {name: wide_stats, kind: cnn3d, profile: wide}"), encoder);
        Assert.True(record.Status == "completed", record.Stages[^1].Error);
        Assert.Equal(3, encoder.Calls);
        Assert.All(encoder.Sizes, s => Assert.Equal(new Int3(8, 8, 4), s));
    }

    [Fact]
    public void An_encoder_that_fails_fails_the_stage_naming_the_encoder_and_the_scans()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 1);
        var record = new PipelineRunner(PipelineRunner.DefaultStages(new ThrowingFactory()), new SilentRunObserver(), TimeProvider.System)
            .Run(Spec(folder, manifest, "  - {name: broken, kind: cnn3d}"));
        Assert.Equal("failed", record.Status);
        Assert.Contains("encoder 'broken' failed on scan(s) A-", record.Stages[^1].Error, StringComparison.Ordinal);
        Assert.Contains("(manifest line 2)", record.Stages[^1].Error, StringComparison.Ordinal);
        Assert.Contains("out of memory, say", record.Stages[^1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_encoders_or_a_factory_the_stage_says_what_is_missing()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 1);
        var spec = Spec(folder, manifest, "  - {name: s, kind: cnn3d}");
        var none = new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System).Run(spec);
        Assert.Contains("built without encoders", none.Stages[^1].Error, StringComparison.Ordinal);
        var empty = Run(spec with { Encoders = [] }, new LiverStatsEncoder("x"));
        Assert.Contains("has no encoders: list at least one under 'encoders'", empty.Stages[^1].Error, StringComparison.Ordinal);
    }

    private sealed class ThrowingFactory : IVolumeEncoderFactory
    {
        public IVolumeEncoder Create(EncoderSpec spec, long seed) => new Throwing();

        private sealed class Throwing : IVolumeEncoder
        {
            public string Identity => "throwing";

            public int Dimension => 1;

            public int PreferredBatch => 1;

            public bool RunsInParallel => false;

            public IReadOnlyList<string> Warnings { get; } = [];

            public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> scans) => throw new InvalidOperationException("out of memory, say");

            public void Dispose()
            {
            }
        }
    }
}
