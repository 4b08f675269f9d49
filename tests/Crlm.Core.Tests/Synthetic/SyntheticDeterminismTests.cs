using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

public class SyntheticDeterminismTests
{
    // One portal-venous-only site keeps each run to a handful of files.
    private static SyntheticCohortOptions Options(long seed, int parallelism) => new(2, seed)
    {
        Sites = [SyntheticSiteDefaults.Kaunos with { Phases = SyntheticPhaseMix.PortalVenousOnly, ClassMix = new SyntheticClassMix(1, 0, 0) }],
        MaxDegreeOfParallelism = parallelism,
    };

    private static Dictionary<string, byte[]> Generate(SyntheticCohortOptions options, string dir)
    {
        SyntheticCohortGenerator.Generate(options, dir);
        return System.IO.Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);
    }

    [Fact]
    public void Same_options_give_byte_identical_files_whatever_the_parallelism_and_another_seed_differs()
    {
        string root = Path.Combine(Path.GetTempPath(), "crlm-synth-det-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = Generate(Options(42, parallelism: 1), Path.Combine(root, "a"));
            var second = Generate(Options(42, parallelism: 2), Path.Combine(root, "b"));
            var other = Generate(Options(43, parallelism: 2), Path.Combine(root, "c"));

            Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
            Assert.Contains("manifest.csv", first.Keys);
            Assert.Contains("truth.json", first.Keys);
            Assert.Equal(8, first.Count); // 2 patients x (image, liver mask, lesion mask) + manifest + truth
            foreach (var (name, bytes) in first)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between identical runs");
            }

            foreach (var name in first.Keys.Where(k => k.StartsWith("images", StringComparison.Ordinal)))
            {
                Assert.False(first[name].AsSpan().SequenceEqual(other[name]), $"{name} is the same for seeds 42 and 43");
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(root))
            {
                System.IO.Directory.Delete(root, recursive: true);
            }
        }
    }
}
