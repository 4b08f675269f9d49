using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>The spec's 'profiles:' and 'encoders:' blocks: what they mean, and every mistake named at its line and column.</summary>
public sealed class EncoderSpecReaderTests
{
    private static PipelineSpec Read(TempFolder folder, string yaml) => SpecReading.Read(folder, yaml);

    private static string[] Errors(TempFolder folder, string yaml) => SpecReading.Errors(folder, yaml);

    [Fact]
    public void A_spec_without_encoders_gets_the_built_in_radiomics_and_an_empty_list_stays_empty()
    {
        using var folder = new TempFolder();
        var spec = Read(folder, "preprocess:\n  window: [-50, 200]\n");
        var only = Assert.Single(spec.Encoders);
        Assert.Equal(("radiomics", EncoderKind.Radiomics, "radiomics"), (only.Name, only.Kind, only.Profile.Name));
        Assert.Equal((-50.0, 200.0), (only.Profile.Preprocess.WindowLow, only.Profile.Preprocess.WindowHigh));
        Assert.Equal(Normalisation.None, only.Profile.Preprocess.Normalisation);

        Assert.Empty(Read(folder, "encoders: []\nstages: [cohort, split, preprocess]\n").Encoders);
    }

    [Fact]
    public void Encoders_get_their_profiles_options_and_defaults()
    {
        using var folder = new TempFolder();
        folder.Write("models/ct.onnx", "not really onnx; the reader only checks that it exists");
        var spec = Read(folder, """
            preprocess:
              spacing: [2, 2, 5]
              box: [128, 128, 48]
            profiles:
              small_ctfm:
                base: ctfm
                version: 3
                box: [256, 256, 48]
                patch: [128, 128, 24]
                overlap: 0.5
            encoders:
              - name: radiomics
                kind: radiomics
                bin_width: 25
              - name: ctfm
                kind: onnx
                model: models/ct.onnx
                profile: small_ctfm
                device: cuda
                fallback_to_cpu: false
                threads: 2
              - name: cnn
                kind: cnn3d
                depth: 10
                width: 16
                seed: 9
            """);

        Assert.Equal(["radiomics", "ctfm", "cnn"], spec.Encoders.Select(e => e.Name));
        var radiomics = spec.Encoders[0];
        Assert.Equal(EncoderKind.Radiomics, radiomics.Kind);
        Assert.Equal(25, radiomics.BinWidth);
        Assert.Equal("radiomics", radiomics.Profile.Name);
        Assert.Equal(Normalisation.None, radiomics.Profile.Preprocess.Normalisation);
        Assert.Equal(new Int3(128, 128, 48), radiomics.Profile.Preprocess.Box);

        var ctfm = spec.Encoders[1];
        Assert.Equal(folder.File("models/ct.onnx"), ctfm.Model);
        Assert.Equal(("small_ctfm", 3, 0.5), (ctfm.Profile.Name, ctfm.Profile.Version, ctfm.Profile.Overlap));
        Assert.Equal(new Int3(256, 256, 48), ctfm.Profile.Preprocess.Box);
        Assert.Equal(new Vec3(1, 1, 3), ctfm.Profile.Preprocess.Spacing); // from the base
        Assert.Equal(new Int3(128, 128, 24), ctfm.Patch);
        Assert.Equal(("cuda", false, 2), (ctfm.Device, ctfm.FallbackToCpu, ctfm.Threads));
        Assert.False(ctfm.UsesStudyPreprocessing);

        var cnn = spec.Encoders[2];
        Assert.Equal((10, 16, 9L), (cnn.Depth, cnn.Width, cnn.WeightSeed!.Value));
        Assert.True(cnn.UsesStudyPreprocessing);
        Assert.Equal(spec.Preprocess, cnn.Profile.Preprocess);
    }

    [Fact]
    public void Every_encoder_mistake_is_reported_at_its_position()
    {
        using var folder = new TempFolder();
        string[] errors = Errors(folder, """
            profiles:
              ctfm:
                box: [1, 1, 1]
              bad_genesis:
                base: models_genesis
                box: [256, 256, 90]
            encoders:
              - name: a
                kind: onnnx
              - name: b
                kind: onnx
              - name: c
                kind: onnx
                model: missing.onnx
                profile: ctfmm
              - name: c
                kind: radiomics
                depth: 18
                bin_width: -3
              - name: "x/y"
                kind: cnn3d
                depth: 20
            """);

        Assert.Contains(errors, e => e.EndsWith("p.yaml:4:3: profile 'ctfm' is built in; give yours another name (and 'base: ctfm' to start from it)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:6:3: profile 'bad_genesis': every box edge must be a multiple of 16, got 256x256x90", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:11:11: 'kind' must be one of onnx, cnn3d, radiomics, got 'onnnx'; did you mean 'onnx'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:12:5: onnx encoder 'b' needs 'model': the .onnx file (relative to this spec)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("p.yaml:16:12: ONNX model not found: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("p.yaml:17:14: unknown profile 'ctfmm'; did you mean 'ctfm'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:18:11: encoder 'c' is listed twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("p.yaml:20:5: unknown key 'depth'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:21:16: 'bin_width' must be a positive number of HU, got -3", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:22:11: encoder name 'x/y' may hold only letters, digits, '_', '-' and '.' (it names files)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("p.yaml:24:12: 'depth' must be 10, 18, 34 or 50, got 20", StringComparison.Ordinal));
    }
}
