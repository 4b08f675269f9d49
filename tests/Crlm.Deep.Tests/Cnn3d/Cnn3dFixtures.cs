using System.Runtime.InteropServices;
using System.Text.Json;
using Crlm.Deep.Cnn3d;

namespace Crlm.Deep.Tests.Cnn3d;

/// <summary>The files tests/reference/make_cnn3d_fixtures.py wrote with PyTorch 1.13, as described by manifest.json.</summary>
internal static class Cnn3dFixtures
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cnn3d");

    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json"))).RootElement.Clone());

    public static RawTensor Input => ReadArray(Manifest.Value.GetProperty("input"));

    public static Cnn3dFixture Model(string name)
    {
        JsonElement m = Manifest.Value.GetProperty("models").GetProperty(name);
        var architecture = new ResNet3dArchitecture(
            m.GetProperty("depth").GetInt32(),
            m.GetProperty("width").GetInt32(),
            Enum.Parse<ResNetShortcut>(m.GetProperty("shortcut").GetString()!));
        return new Cnn3dFixture(
            name,
            architecture,
            Path.Combine(Folder, m.GetProperty("checkpoint").GetString()!),
            m.GetProperty("keys").GetInt32(),
            ReadArray(m.GetProperty("embedding")),
            ReadArray(m.GetProperty("layer4")));
    }

    private static RawTensor ReadArray(JsonElement entry)
    {
        long[] shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, entry.GetProperty("file").GetString()!));

        // The script writes little-endian float32; every platform .NET runs TorchSharp on is little-endian.
        float[] values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.LongLength);
        return new RawTensor(shape, values);
    }
}

internal sealed record RawTensor(long[] Shape, float[] Values);

internal sealed record Cnn3dFixture(string Name, ResNet3dArchitecture Architecture, string Checkpoint, int KeyCount, RawTensor Embedding, RawTensor Layer4);
