using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Preprocessing;

/// <summary>
/// Our preprocessing of the real TotalSegmentator sample (../shared/data/real, CT 122x101x30 at 3 mm with its
/// liver) against the peer's recorded runs: report fields, and 256 output voxels sampled by the fixture script
/// (half inside the liver). ts_label5 reads the multi-label example_seg with liver label 5, where the peer was
/// given the equivalent 0/1 mask.
/// </summary>
public sealed class PreprocessRealDataTests
{
    private const double SampleToleranceScipy = 1e-4;
    private const double SampleToleranceTorch = 2e-3;

    [RequiresSharedDataTheory]
    [InlineData("ts_zoom")]
    [InlineData("ts_exact_minmax")]
    [InlineData("ts_label5")]
    public void Real_sample_matches_the_peer(string name)
    {
        var @case = PeerCases.Real(name);
        int? label = @case.GetProperty("liver_label").ValueKind == System.Text.Json.JsonValueKind.Null ? null : @case.GetProperty("liver_label").GetInt32();
        var result = ScanPreprocessor.Run(
            SharedData.Real(@case.GetProperty("image").GetString()!),
            SharedData.Real(@case.GetProperty("liver_mask").GetString()!),
            null,
            PeerCases.Options(@case, label));

        PeerAgreement.Scipy.Check(result.Report, @case.GetProperty("peer").GetProperty("scipy"), name + " vs scipy");
        PeerAgreement.Torch.Check(result.Report, @case.GetProperty("peer").GetProperty("torch"), name + " vs torch");

        double insideSum = 0;
        int inside = 0;
        foreach (var sample in @case.GetProperty("samples_ijk_scipy_torch").EnumerateArray())
        {
            var s = PeerCases.Doubles(sample);
            float ours = result.Image[(int)s[0], (int)s[1], (int)s[2]];
            Assert.True(Math.Abs(ours - s[3]) <= SampleToleranceScipy, $"{name} voxel ({s[0]}, {s[1]}, {s[2]}): scipy {s[3]:R}, ours {ours:R}");
            Assert.True(Math.Abs(ours - s[4]) <= SampleToleranceTorch, $"{name} voxel ({s[0]}, {s[1]}, {s[2]}): torch {s[4]:R}, ours {ours:R}");
            if (result.Liver[(int)s[0], (int)s[1], (int)s[2]] != 0)
            {
                insideSum += Math.Abs(ours - s[3]);
                inside++;
            }
        }

        Assert.True(inside >= 128, $"{name}: only {inside} samples fell inside our liver mask; the peer put 128 there");
        Assert.True(insideSum / inside <= 1e-5, $"{name}: mean difference inside the liver {insideSum / inside:G3}");
    }
}
