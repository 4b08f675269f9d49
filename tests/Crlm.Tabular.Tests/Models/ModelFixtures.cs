using System.Text.Json;
using Crlm.Tabular.Models;

namespace Crlm.Tabular.Tests.Models;

/// <summary>The reference numbers of tests/reference/make_model_fixtures.py and the peer's example CSVs (copied as fixtures).</summary>
internal static class ModelFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    public static JsonElement Components { get; } = Load("components.json");

    public static JsonElement PeerRuns { get; } = Load("peer_runs.json");

    public static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    /// <summary>A JSON array of arrays, row-major.</summary>
    public static double[] Flat(JsonElement e, out int rows, out int cols)
    {
        var list = e.EnumerateArray().Select(Doubles).ToArray();
        rows = list.Length;
        cols = list[0].Length;
        return [.. list.SelectMany(r => r)];
    }

    /// <summary>patient_id, label, [site], f0..fN rows of a peer-format CSV fixture.</summary>
    public static List<ModelRow> ReadCsv(string name) => PeerEmbeddingTable.Read(Path(name));

    public static float[] FlatFeatures(IReadOnlyList<ModelRow> rows) => [.. rows.SelectMany(r => r.Features)];

    /// <summary>Features and Label columns of the rows, as ML.NET reads them.</summary>
    public static Microsoft.ML.IDataView ToDataView(Microsoft.ML.MLContext ml, IReadOnlyList<ModelRow> rows) =>
        ModelColumns.ToDataView(ml, FlatFeatures(rows), rows.Count, rows[0].Features.Length, [.. rows.Select(r => r.Label)], []);

    private static JsonElement Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path(name)));
        return doc.RootElement.Clone();
    }
}
