using System.Globalization;
using System.Text.Json;
using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Preprocessing;

/// <summary>
/// The peer's recorded runs (Fixtures/preprocess/peer_cases.json, written by
/// tests/reference/make_preprocess_fixtures.py): each case's inputs, the peer's arguments and its JSON lines.
/// </summary>
internal static class PeerCases
{
    public static string Folder => SharedData.Fixtures("preprocess");

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, "peer_cases.json"))));

    public static JsonElement Synthetic(string name) => Find("synthetic", name);

    public static JsonElement Real(string name) => Find("real", name);

    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>The peer's command-line flags as our options (the flags the fixture script uses).</summary>
    public static PreprocessOptions Options(JsonElement @case, int? liverLabel = null)
    {
        var args = @case.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray();
        var options = new PreprocessOptions { LiverLabel = liverLabel };
        for (int n = 0; n < args.Length; n++)
        {
            options = args[n] switch
            {
                "--spacing" => options with { Spacing = new Vec3(D(args[n + 1]), D(args[n + 2]), D(args[n + 3])) },
                "--box" => options with { Box = new Int3(I(args[n + 1]), I(args[n + 2]), I(args[n + 3])) },
                "--window" => options with { WindowLow = D(args[n + 1]), WindowHigh = D(args[n + 2]) },
                "--norm" => options with { Normalisation = PreprocessOptions.ParseNorm(args[n + 1])!.Value },
                "--resample" => options with { Grid = PreprocessOptions.ParseGrid(args[n + 1])!.Value },
                "--pad-hu" => options with { PadHu = D(args[n + 1]) },
                _ when args[n].StartsWith("--", StringComparison.Ordinal) => throw new InvalidOperationException($"flag {args[n]} is not mapped"),
                _ => options,
            };
        }

        return options;
    }

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static JsonElement Find(string group, string name) =>
        Document.Value.RootElement.GetProperty(group).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static int I(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
