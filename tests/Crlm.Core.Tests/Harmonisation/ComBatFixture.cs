using System.Globalization;
using System.Text.Json;
using Crlm.Core.Harmonisation;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Harmonisation;

/// <summary>A CSV of tests/Crlm.Core.Tests/Fixtures/combat (columns site, age, label, f0..f6), as written by combat_reference.py.</summary>
public sealed record ComBatTable(double[][] Features, string[] Sites, double[] Age, double[] Label)
{
    public static string Path(string file) => System.IO.Path.Combine(SharedData.Fixtures("combat"), file);

    public static ComBatTable Read(string file)
    {
        string[][] cells = File.ReadAllLines(Path(file)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        return new ComBatTable(
            cells.Select(c => c.Skip(3).Select(Parse).ToArray()).ToArray(),
            cells.Select(c => c[0]).ToArray(),
            cells.Select(c => Parse(c[1])).ToArray(),
            cells.Select(c => Parse(c[2])).ToArray());
    }

    public double[] Column(string name) => name switch
    {
        "age" => Age,
        "label" => Label,
        _ => throw new ArgumentException($"no covariate column '{name}'", nameof(name)),
    };
}

/// <summary>One case's JSON: the reference's estimates and harmonised rows.</summary>
public sealed record ComBatExpected(
    ComBatVariant Variant,
    IReadOnlyList<(string Name, bool TrainingOnly)> Covariates,
    string[] Sites,
    double[] GrandMean,
    double[] PooledVariance,
    double[][] GammaStar,
    double[][] DeltaStar,
    double[][] Train,
    double[][] Heldout)
{
    public static ComBatExpected Read(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ComBatTable.Path($"{name}.json")));
        JsonElement root = doc.RootElement;
        static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();
        return new ComBatExpected(
            root.GetProperty("variant").GetString() == "mean_only" ? ComBatVariant.MeanOnly : ComBatVariant.Parametric,
            root.GetProperty("covariates").EnumerateArray()
                .Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("training_only").GetBoolean())).ToArray(),
            root.GetProperty("sites").EnumerateArray().Select(s => s.GetString()!).ToArray(),
            Vector(root.GetProperty("grand_mean")),
            Vector(root.GetProperty("var_pooled")),
            Matrix(root.GetProperty("gamma_star")),
            Matrix(root.GetProperty("delta_star")),
            Matrix(root.GetProperty("train_harmonised")),
            Matrix(root.GetProperty("heldout_harmonised")));
    }
}
