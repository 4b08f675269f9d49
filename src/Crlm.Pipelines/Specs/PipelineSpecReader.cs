using System.Globalization;
using System.Security.Cryptography;
using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;
using Crlm.Core.Synthetic;
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
public sealed partial class PipelineSpecReader
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

        RejectUnknownKeys(root, "version", "name", "seed", "dataset", "splits", "preprocess", "profiles", "encoders", "benchmark", "stages", "output", "cache");
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
        var preprocess = ReadPreprocess(root);
        var encoders = ReadEncoders(root, preprocess);
        var benchmark = ReadBenchmark(root);
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
            Preprocess = preprocess,
            Encoders = encoders,
            Benchmark = benchmark,
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
            RejectUnknownKeys(synth, "patients", "size", "seed", "sites", "lesion_contrast", "noise", "lesion_size");
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
                Sites = SiteNames(synth, "sites"),
                LesionContrast = Scale(synth, "lesion_contrast", 0, SyntheticDifficulty.MaxLesionContrastScale, minExclusive: false) ?? 1,
                Noise = Scale(synth, "noise", 0, SyntheticDifficulty.MaxNoiseScale, minExclusive: false) ?? 1,
                LesionSize = Scale(synth, "lesion_size", SyntheticDifficulty.MinLesionSizeScale, SyntheticDifficulty.MaxLesionSizeScale, minExclusive: true) ?? 1,
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

    /// <summary>A difficulty scale in its range (the generator's, so YAML and <c>crlm synth</c> accept the same values).</summary>
    private double? Scale(YamlMappingNode map, string key, double min, double max, bool minExclusive)
    {
        if (Double(map, key) is not { } value)
        {
            return null;
        }

        if ((minExclusive ? value <= min : value < min) || value > max)
        {
            string range = minExclusive ? Invariant($"above {min} and at most {max}") : Invariant($"from {min} to {max}");
            Issue(Scalar(map, key)!.Start, Invariant($"'{key}' must be a number {range} (1 = default), got {value}"));
            return null;
        }

        return value;
    }

    /// <summary>Default site names (any case), each known and listed once; returned in their canonical spelling.</summary>
    private string[]? SiteNames(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        var known = SyntheticSiteDefaults.Study.Select(s => s.Name).ToArray();
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Issue(node.Start, $"'{key}' must be a non-empty list of site names, e.g. [KAUNOS, TCIA_CRLM] (sites: {string.Join(", ", known)})");
            return null;
        }

        var names = new List<string>();
        foreach (var item in sequence.Children)
        {
            string given = (item as YamlScalarNode)?.Value ?? "";
            if (item is not YamlScalarNode || SyntheticSiteDefaults.Find(given) is not { } site)
            {
                Issue(item.Start, $"unknown site '{given}'{Suggest(given.ToUpperInvariant(), known)} (sites: {string.Join(", ", known)})");
            }
            else if (names.Contains(site.Name))
            {
                Issue(item.Start, $"site '{site.Name}' is listed twice");
            }
            else
            {
                names.Add(site.Name);
            }
        }

        return [.. names];
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

    private PreprocessOptions ReadPreprocess(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("preprocess"), out var node) || AsMap(node, "'preprocess'") is not { } map)
        {
            return PreprocessOptions.Default;
        }

        RejectUnknownKeys(map, PreprocessKeys);
        return ReadPreprocessOptions(map, PreprocessOptions.Default);
    }

    private static readonly string[] PreprocessKeys = ["spacing", "box", "window", "norm", "liver_label", "empty_liver", "resample", "pad_hu"];

    /// <summary>The preprocessing keys of <paramref name="map"/> over <paramref name="d"/> (the 'preprocess' block, or a profile).</summary>
    private PreprocessOptions ReadPreprocessOptions(YamlMappingNode map, PreprocessOptions d)
    {
        var spacing = Numbers(map, "spacing", 3, "three positive numbers in mm, e.g. [1, 1, 2.5]", v => v > 0 && v <= 100);
        var box = Numbers(map, "box", 3, $"three whole numbers of voxels in 1..{PreprocessOptions.MaxBoxEdge}, e.g. [256, 256, 96]",
            v => v == Math.Floor(v) && v >= 1 && v <= PreprocessOptions.MaxBoxEdge);
        var window = Numbers(map, "window", 2, "two HU values [low, high] with low < high, e.g. [-37, 171]", _ => true);
        if (window is [var low, var high] && low >= high)
        {
            Issue(map.Children[new YamlScalarNode("window")].Start, Invariant($"'window' must be two HU values [low, high] with low < high, got [{low}, {high}]"));
            window = null;
        }

        var norm = Choice(map, "norm", ["zscore", "minmax", "none"]);
        var emptyLiver = Choice(map, "empty_liver", ["error", "body_centre"]);
        var resample = Choice(map, "resample", ["zoom", "exact"]);
        int? label = Int(map, "liver_label", min: 1, max: 1_000_000);
        double? pad = Double(map, "pad_hu");
        return d with
        {
            Spacing = spacing is { } s ? new Vec3(s[0], s[1], s[2]) : d.Spacing,
            Box = box is { } b ? new Int3((int)b[0], (int)b[1], (int)b[2]) : d.Box,
            WindowLow = window?[0] ?? d.WindowLow,
            WindowHigh = window?[1] ?? d.WindowHigh,
            Normalisation = norm is null ? d.Normalisation : PreprocessOptions.ParseNorm(norm)!.Value,
            EmptyLiver = emptyLiver is null ? d.EmptyLiver : PreprocessOptions.ParseEmptyLiver(emptyLiver)!.Value,
            Grid = resample is null ? d.Grid : PreprocessOptions.ParseGrid(resample)!.Value,
            LiverLabel = label ?? d.LiverLabel,
            PadHu = pad ?? d.PadHu,
        };
    }

    /// <summary>A flow or block list of exactly <paramref name="count"/> numbers, each passing <paramref name="valid"/>.</summary>
    private double[]? Numbers(YamlMappingNode map, string key, int count, string expected, Func<double, bool> valid)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Count != count)
        {
            Issue(node.Start, $"'{key}' must be {expected}");
            return null;
        }

        var values = new double[count];
        for (int n = 0; n < count; n++)
        {
            var item = sequence.Children[n];
            if (item is not YamlScalarNode { Value: { } text }
                || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[n])
                || !double.IsFinite(values[n]) || !valid(values[n]))
            {
                Issue(item.Start, $"'{key}' must be {expected}; '{(item as YamlScalarNode)?.Value}' is not allowed");
                return null;
            }
        }

        return values;
    }

    /// <summary>One of a fixed set of names; anything else is an issue listing them, with a "did you mean".</summary>
    private string? Choice(YamlMappingNode map, string key, string[] allowed)
    {
        var scalar = Scalar(map, key);
        if (scalar?.Value is not { } value)
        {
            return null;
        }

        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        Issue(scalar.Start, $"'{key}' must be one of {string.Join(", ", allowed)}, got '{value}'{Suggest(value, allowed)}");
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

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
