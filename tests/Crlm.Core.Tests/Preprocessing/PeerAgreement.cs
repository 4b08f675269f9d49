using System.Text.Json;
using Crlm.Core.Preprocessing;

namespace Crlm.Core.Tests.Preprocessing;

/// <summary>
/// How close our report must be to one of the peer's JSON lines. Geometry (shapes, bounding box, crop, liver
/// voxel count) must be identical: every rounding rule is reproduced exactly. Intensities get tolerances that
/// only float summation order and float32 vs float64 interpolation can explain.
/// </summary>
internal sealed record PeerAgreement(double MuSigmaRelative, double MeanStdAbsolute, double MinMaxAbsolute)
{
    /// <summary>scipy interpolates in float64, we in float32: ~1e-8 relative on μ/σ, ~1e-6 on outputs, observed.</summary>
    public static PeerAgreement Scipy { get; } = new(1e-6, 1e-5, 1e-4);

    /// <summary>torch's grid_sample (exact grid) works on float32 normalised coordinates: ~1e-3 z-units at worst.</summary>
    public static PeerAgreement Torch { get; } = new(1e-4, 1e-4, 2e-3);

    public void Check(PreprocessReport ours, JsonElement peer, string what)
    {
        Assert.Equal(PeerCases.Ints(peer.GetProperty("input_shape")), ours.InputShape);
        Assert.Equal(PeerCases.Ints(peer.GetProperty("resampled_shape")), ours.ResampledShape);
        Assert.Equal(PeerCases.Ints(peer.GetProperty("shape")), ours.Shape);
        Assert.Equal(PeerCases.Ints(peer.GetProperty("crop_start")), ours.CropStart);
        Assert.Equal(peer.GetProperty("liver_voxels").GetInt64(), ours.LiverVoxels);
        Assert.Equal(peer.GetProperty("canonical_axcodes").GetString(), ours.CanonicalAxcodes);
        Assert.Equal(peer.GetProperty("resample").GetString(), ours.Resample);
        if (peer.GetProperty("liver_bbox_lo").ValueKind == JsonValueKind.Null)
        {
            Assert.Null(ours.LiverBboxLo);
        }
        else
        {
            Assert.Equal(PeerCases.Ints(peer.GetProperty("liver_bbox_lo")), ours.LiverBboxLo);
            Assert.Equal(PeerCases.Ints(peer.GetProperty("liver_bbox_hi")), ours.LiverBboxHi);
        }

        Close(PeerCases.Doubles(peer.GetProperty("input_spacing")), ours.InputSpacing, 0, what + " input_spacing");
        Close(PeerCases.Doubles(peer.GetProperty("spacing")), ours.Spacing, 1e-12, what + " spacing");
        Close(PeerCases.Doubles(peer.GetProperty("window")), ours.Window, 0, what + " window");

        var norm = peer.GetProperty("normalisation");
        Assert.Equal(norm.GetProperty("method").GetString(), ours.Normalisation.Method);
        if (ours.Normalisation.Method == "zscore")
        {
            Assert.Equal(norm.GetProperty("over").GetString(), ours.Normalisation.Over);
            Relative(norm.GetProperty("mean").GetDouble(), ours.Normalisation.Mean!.Value, MuSigmaRelative, what + " mu");
            Relative(norm.GetProperty("std").GetDouble(), ours.Normalisation.Std!.Value, MuSigmaRelative, what + " sigma");
        }

        Close([peer.GetProperty("mean").GetDouble(), peer.GetProperty("std").GetDouble()], [ours.Mean, ours.Std], MeanStdAbsolute, what + " mean/std");
        Close([peer.GetProperty("min").GetDouble(), peer.GetProperty("max").GetDouble()], [ours.Min, ours.Max], MinMaxAbsolute, what + " min/max");
    }

    public static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int n = 0; n < expected.Length; n++)
        {
            Assert.True(Math.Abs(expected[n] - actual[n]) <= tolerance, $"{what}[{n}]: peer {expected[n]:R}, ours {actual[n]:R} (tolerance {tolerance})");
        }
    }

    private static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"{what}: peer {expected:R}, ours {actual:R} (relative tolerance {tolerance})");
}
