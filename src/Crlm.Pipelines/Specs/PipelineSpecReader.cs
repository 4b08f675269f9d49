using System.Globalization;
using System.Security.Cryptography;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Crlm.Pipelines.Specs;

/// <summary>
/// Reads a pipeline spec from YAML and checks it completely before anything runs: unknown keys
/// (with a "did you mean"), wrong types, out-of-range values, unknown stages, missing files.
/// Every problem is reported with the file, line and column of the offending YAML node.
/// </summary>
/// <remarks>
/// Binding is done by hand over YamlDotNet's node model rather than by its deserializer, because
/// only the node model keeps the positions that error messages need.
/// </remarks>
public sealed class PipelineSpecReader
{
    private readonly string _file;
    private readonly string _baseDirectory;
    private readonly List<SpecIssue> _issues = [];

    private PipelineSpecReader(string file)
    {
        _file = file;
        _baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
    }

    /// <summary>Reads and validates <paramref name="path"/>; throws <see cref="PipelineSpecException"/> listing every problem.</summary>
    public static PipelineSpec Read(string path, IReadOnlyCollection<string> knownStages)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(knownStages);
        if (!File.Exists(path))
        {
            throw new PipelineSpecException([new SpecIssue(path, 0, 0, "pipeline spec not found")]);
        }

        byte[] bytes = File.ReadAllBytes(path);
        var reader = new PipelineSpecReader(path);
        var spec = reader.Parse(bytes, knownStages);
        if (reader._issues.Count > 0 || spec is null)
        {
            throw new PipelineSpecException(reader._issues);
        }

        return spec;
    }

    private PipelineSpec? Parse(byte[] bytes, IReadOnlyCollection<string> knownStages)
    {
        var stream = new YamlStream();
        string text = new System.Text.UTF8Encoding(false).GetString(bytes);
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Issue(e.Start, $"YAML syntax error: {Innermost(e).Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18 throws this, without a position, when the file ends inside a flow
            // collection; the end of the file is the only place we can honestly point to.
            int lines = text.Split('\n').Length;
            _issues.Add(new SpecIssue(_file, lines, 1, "YAML syntax error: the file ends inside a [...] or {...} that is never closed"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            _issues.Add(new SpecIssue(_file, 1, 1, $"expected exactly one YAML document, found {stream.Documents.Count}"));
            return null;
        }

        if (AsMap(stream.Documents[0].RootNode, "the pipeline spec") is not { } root)
        {
            return null;
        }

        RejectUnknownKeys(root, "version", "name", "seed", "dataset", "splits", "stages", "output", "cache");
        if (Scalar(root, "version") is { } version && version.Value != "1")
        {
            Issue(version.Start, $"unsupported spec version '{version.Value}' (this build reads version 1)");
        }

        string name = Scalar(root, "name")?.Value ?? Path.GetFileNameWithoutExtension(_file);
        if (name.Length == 0 || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/', StringComparison.Ordinal))
        {
            Issue(Scalar(root, "name")?.Start ?? root.Start, $"name '{name}' cannot be used as a folder name");
        }

        long seed = Long(root, "seed") ?? 0;
        var dataset = ReadDataset(root);
        var splits = ReadSplits(root);
        var stages = ReadStages(root, knownStages);
        string output = PathValue(root, "output") ?? Path.Combine(_baseDirectory, "reports", name);
        string cache = PathValue(root, "cache") ?? Path.Combine(_baseDirectory, ".crlm-cache");
        if (dataset is null)
        {
            return null;
        }

        return new PipelineSpec
        {
            Name = name,
            SourcePath = Path.GetFullPath(_file),
            SourceSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Seed = seed,
            Dataset = dataset,
            Splits = splits,
            Stages = stages,
            OutputDirectory = output,
            CacheDirectory = cache,
        };
    }

    private DatasetSpec? ReadDataset(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("dataset"), out var node))
        {
            Issue(root.Start, "'dataset' is required (give either 'manifest: FILE.csv' or a 'synthetic:' block)");
            return null;
        }

        if (AsMap(node, "'dataset'") is not { } map)
        {
            return null;
        }

        RejectUnknownKeys(map, "manifest", "synthetic", "external_sites");
        string? manifest = PathValue(map, "manifest");
        SyntheticDatasetSpec? synthetic = null;
        if (map.Children.TryGetValue(new YamlScalarNode("synthetic"), out var synthNode) && AsMap(synthNode, "'synthetic'") is { } synth)
        {
            RejectUnknownKeys(synth, "patients", "size", "seed");
            string size = Scalar(synth, "size")?.Value ?? "small";
            if (size is not ("small" or "paper"))
            {
                Issue(Scalar(synth, "size")!.Start, $"size must be 'small' or 'paper', got '{size}'");
            }

            synthetic = new SyntheticDatasetSpec
            {
                Patients = Int(synth, "patients", min: 10, max: 100_000) ?? 60,
                Size = size,
                Seed = Long(synth, "seed"),
            };
        }

        if ((manifest is null) == (synthetic is null))
        {
            Issue(map.Start, "'dataset' needs exactly one of 'manifest' or 'synthetic'");
        }
        else if (manifest is not null && !File.Exists(manifest))
        {
            Issue(Scalar(map, "manifest")!.Start, $"manifest file not found: {manifest}");
        }

        return new DatasetSpec { ManifestPath = manifest, Synthetic = synthetic, ExternalSites = StringList(map, "external_sites") ?? [] };
    }

    private SplitSpec ReadSplits(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("splits"), out var node) || AsMap(node, "'splits'") is not { } map)
        {
            return new SplitSpec();
        }

        RejectUnknownKeys(map, "test_fraction", "folds");
        var defaults = new SplitSpec();
        double fraction = Double(map, "test_fraction") ?? defaults.TestFraction;
        if (!(fraction >= 0 && fraction < 1))
        {
            Issue(Scalar(map, "test_fraction")!.Start, $"test_fraction must be in [0, 1), got {fraction.ToString(CultureInfo.InvariantCulture)}");
        }

        return new SplitSpec { TestFraction = fraction, Folds = Int(map, "folds", min: 2, max: 100) ?? defaults.Folds };
    }

    private IReadOnlyList<string> ReadStages(YamlMappingNode root, IReadOnlyCollection<string> knownStages)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("stages"), out var node))
        {
            return knownStages.ToArray();
        }

        if (node is not YamlSequenceNode sequence)
        {
            Issue(node.Start, "'stages' must be a list of stage names");
            return [];
        }

        var names = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { } stage })
            {
                Issue(item.Start, "a stage must be a name");
            }
            else if (!knownStages.Contains(stage))
            {
                Issue(item.Start, $"unknown stage '{stage}'{Suggest(stage, knownStages)} (stages: {string.Join(", ", knownStages)})");
            }
            else if (names.Contains(stage))
            {
                Issue(item.Start, $"stage '{stage}' is listed twice");
            }
            else
            {
                names.Add(stage);
            }
        }

        return names;
    }

    private YamlMappingNode? AsMap(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Issue(node.Start, $"{what} must be a mapping of 'key: value' lines");
        return null;
    }

    private YamlScalarNode? Scalar(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar;
        }

        Issue(node.Start, $"'{key}' must be a single value");
        return null;
    }

    private long? Long(YamlMappingNode map, string key)
    {
        var scalar = Scalar(map, key);
        if (scalar is null)
        {
            return null;
        }

        if (long.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        Issue(scalar.Start, $"'{key}' must be an integer, got '{scalar.Value}'");
        return null;
    }

    private int? Int(YamlMappingNode map, string key, int min, int max)
    {
        long? value = Long(map, key);
        if (value is null)
        {
            return null;
        }

        if (value < min || value > max)
        {
            Issue(Scalar(map, key)!.Start, $"'{key}' must be between {min} and {max}, got {value}");
            return null;
        }

        return (int)value;
    }

    private double? Double(YamlMappingNode map, string key)
    {
        var scalar = Scalar(map, key);
        if (scalar is null)
        {
            return null;
        }

        if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }

        Issue(scalar.Start, $"'{key}' must be a number, got '{scalar.Value}'");
        return null;
    }

    private string? PathValue(YamlMappingNode map, string key)
    {
        var scalar = Scalar(map, key);
        if (scalar?.Value is not { } value)
        {
            return null;
        }

        if (value.Length == 0)
        {
            Issue(scalar.Start, $"'{key}' is empty");
            return null;
        }

        return Path.GetFullPath(Path.Combine(_baseDirectory, value));
    }

    private string[]? StringList(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Any(c => c is not YamlScalarNode))
        {
            Issue(node.Start, $"'{key}' must be a list of names, e.g. [site_a, site_b]");
            return null;
        }

        return sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "").ToArray();
    }

    private void RejectUnknownKeys(YamlMappingNode map, params string[] known)
    {
        foreach (var key in map.Children.Keys)
        {
            string name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name))
            {
                Issue(key.Start, $"unknown key '{name}'{Suggest(name, known)} (allowed here: {string.Join(", ", known)})");
            }
        }
    }

    private static string Suggest(string given, IEnumerable<string> options)
    {
        var best = options.Select(o => (Option: o, Distance: Levenshtein(given, o))).MinBy(x => x.Distance);
        return best.Option is not null && best.Distance <= Math.Max(2, given.Length / 3) ? $"; did you mean '{best.Option}'?" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private void Issue(Mark mark, string message) => _issues.Add(new SpecIssue(_file, (int)mark.Line, (int)mark.Column, message));
}
