using Crlm.Core.Embedding;
using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;

namespace Crlm.Core.Tests.Embedding;

public sealed class EncoderProfileTests
{
    [Fact]
    public void Built_in_profiles_are_valid_and_their_boxes_hold_whole_patches()
    {
        Assert.Equal(["study", "fmcib", "ctfm", "models_genesis", "med3d"], EncoderProfiles.All.Select(p => p.Name));
        foreach (var profile in EncoderProfiles.All)
        {
            profile.Validate();
            if (profile.Patch is { } p)
            {
                var box = profile.Preprocess.Box;
                Assert.True(box.X % p.X == 0 && box.Y % p.Y == 0 && box.Z % p.Z == 0, $"{profile.Name}: box {box} is not whole {p} patches");
            }
        }

        Assert.Equal(new Vec3(1, 1, 3), EncoderProfiles.CtFm.Preprocess.Spacing);
        Assert.Equal((-1024.0, 2048.0), (EncoderProfiles.Fmcib.Preprocess.WindowLow, EncoderProfiles.Fmcib.Preprocess.WindowHigh));
        Assert.Equal(Normalisation.MinMax, EncoderProfiles.ModelsGenesis.Preprocess.Normalisation);
        Assert.Same(EncoderProfiles.Med3D, EncoderProfiles.Find("med3d"));
        Assert.Null(EncoderProfiles.Find("MED3D"));
    }

    [Fact]
    public void The_cache_text_changes_with_every_part_of_the_profile()
    {
        var p = EncoderProfiles.CtFm;
        string text = p.CanonicalText();
        Assert.NotEqual(text, (p with { Version = 2 }).CanonicalText());
        Assert.NotEqual(text, (p with { Overlap = 0.5 }).CanonicalText());
        Assert.NotEqual(text, (p with { Patch = null }).CanonicalText());
        Assert.NotEqual(text, (p with { Preprocess = p.Preprocess with { WindowHigh = 2000 } }).CanonicalText());
        Assert.Equal(text, (p with { }).CanonicalText());
    }

    [Fact]
    public void Invalid_profiles_name_themselves_and_the_problem()
    {
        var genesis = EncoderProfiles.ModelsGenesis with { Preprocess = PreprocessOptions.Default with { Box = new Int3(256, 256, 90) } };
        var e = Assert.Throws<ArgumentException>(genesis.Validate);
        Assert.Equal("profile 'models_genesis': every box edge must be a multiple of 16, got 256x256x90", e.Message);
        var window = EncoderProfiles.Study with { Preprocess = PreprocessOptions.Default with { WindowLow = 5, WindowHigh = 5 } };
        Assert.StartsWith("profile 'study': window must be", Assert.Throws<ArgumentException>(window.Validate).Message, StringComparison.Ordinal);
    }
}
