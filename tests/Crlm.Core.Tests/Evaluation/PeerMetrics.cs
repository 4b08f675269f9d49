using System.Globalization;
using System.Text.Json;

namespace Crlm.Core.Tests.Evaluation;

/// <summary>One prediction CSV in metrics.py's input format (y_true, y_prob[, group][, uncertainty]).</summary>
public sealed record PredictionTable(bool[] Positive, double[] Probability, string[]? Group, double[]? Uncertainty)
{
    public static PredictionTable Read(string path)
    {
        string[] lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        int y = Column("y_true"), p = Column("y_prob"), g = Column("group"), u = Column("uncertainty");
        string[][] rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new PredictionTable(
            rows.Select(r => r[y] == "1").ToArray(),
            rows.Select(r => Parse(r[p])).ToArray(),
            g < 0 ? null : rows.Select(r => r[g]).ToArray(),
            u < 0 ? null : rows.Select(r => Parse(r[u])).ToArray());
    }
}

/// <summary>Comparisons of our numbers with a metrics.py JSON document.</summary>
public static class PeerJson
{
    public static JsonElement Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    /// <summary>Null must meet null; numbers must agree within <paramref name="tolerance"/> (absolute).</summary>
    public static void Close(JsonElement expected, double? actual, double tolerance, string what)
    {
        double? e = Number(expected);
        if (e is null || actual is null)
        {
            Assert.True(e is null && actual is null, $"{what}: peer {e?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}, ours {actual?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}");
            return;
        }

        Assert.True(
            Math.Abs(e.Value - actual.Value) <= tolerance,
            $"{what}: peer {e.Value.ToString("R", CultureInfo.InvariantCulture)}, ours {actual.Value.ToString("R", CultureInfo.InvariantCulture)}, tolerance {tolerance}");
    }

    public static void OperatingPoint(JsonElement expected, Crlm.Core.Evaluation.OperatingPoint actual, double tolerance, string what)
    {
        Close(expected.GetProperty("threshold"), actual.Threshold, 0, $"{what} threshold");
        Close(expected.GetProperty("sensitivity"), actual.Sensitivity, tolerance, $"{what} sensitivity");
        Close(expected.GetProperty("specificity"), actual.Specificity, tolerance, $"{what} specificity");
        Close(expected.GetProperty("balanced_accuracy"), actual.BalancedAccuracy, tolerance, $"{what} balanced accuracy");
        Close(expected.GetProperty("precision"), actual.Precision, tolerance, $"{what} precision");
        Close(expected.GetProperty("f1"), actual.F1, tolerance, $"{what} F1");
        Close(expected.GetProperty("accuracy"), actual.Accuracy, tolerance, $"{what} accuracy");
        JsonElement cm = expected.GetProperty("confusion_matrix");
        Assert.Equal(
            (cm.GetProperty("tn").GetInt32(), cm.GetProperty("fp").GetInt32(), cm.GetProperty("fn").GetInt32(), cm.GetProperty("tp").GetInt32()),
            (actual.Confusion.Tn, actual.Confusion.Fp, actual.Confusion.Fn, actual.Confusion.Tp));
    }
}
