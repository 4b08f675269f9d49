using System.Buffers.Binary;
using System.Text.Json;
using Crlm.Core.Imaging;

namespace Crlm.Tabular.Tests.Encoders;

/// <summary>
/// One ONNX parity fixture made by tests/reference/make_onnx_fixtures.py: a tiny random-weight foundation-model
/// encoder, a seeded input [2, 1, D, H, W] and PyTorch's output for it.
/// </summary>
internal sealed record OnnxFixture(string Arch, string ModelPath, string InputName, string OutputName, int[] InputShape, int[] OutputShape,
    float[] Input, float[] Output, double[][] Pooled, double Atol, double Rtol)
{
    public static readonly string[] Archs = ["ctfm", "fmcib", "med3d", "genesis"];

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");

    /// <summary>Volume size (x, y, z) of one sample.</summary>
    public Int3 VolumeSize => new(InputShape[4], InputShape[3], InputShape[2]);

    public int Samples => InputShape[0];

    public float[] Sample(int n)
    {
        int size = (int)VolumeSize.Product;
        return Input.AsSpan(n * size, size).ToArray();
    }

    public static OnnxFixture Load(string arch)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, arch + ".cases.json")));
        var root = json.RootElement;
        int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return new OnnxFixture(
            arch,
            Path.Combine(Folder, root.GetProperty("onnx").GetString()!),
            root.GetProperty("input_name").GetString()!,
            root.GetProperty("output_name").GetString()!,
            Ints(root.GetProperty("input").GetProperty("shape")),
            Ints(root.GetProperty("output").GetProperty("shape")),
            Floats(Path.Combine(Folder, root.GetProperty("input").GetProperty("file").GetString()!)),
            Floats(Path.Combine(Folder, root.GetProperty("output").GetProperty("file").GetString()!)),
            root.GetProperty("pooled").GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray(),
            root.GetProperty("tolerance").GetProperty("atol").GetDouble(),
            root.GetProperty("tolerance").GetProperty("rtol").GetDouble());
    }

    /// <summary>|ours − PyTorch| ≤ atol + rtol·|PyTorch| for every value, with the worst one named on failure.</summary>
    public void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int n = 0; n < expected.Count; n++)
        {
            double limit = Atol + Rtol * Math.Abs(expected[n]);
            Assert.True(Math.Abs(actual[n] - expected[n]) <= limit, $"{Arch} {what}[{n}]: PyTorch {expected[n]:R}, ours {actual[n]:R} (limit {limit:G3})");
        }
    }

    private static float[] Floats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        for (int n = 0; n < values.Length; n++)
        {
            values[n] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(n * sizeof(float)));
        }

        return values;
    }
}
