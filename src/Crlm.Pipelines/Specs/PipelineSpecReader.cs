using System.Globalization;
using System.Security.Cryptography;
using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;
using Crlm.Core.Synthetic;
using YamlDotNet.RepresentationModel;

namespace Crlm.Pipelines.Specs;

/// <summary>
/// Reads a pipeline spec from YAML and checks it completely before anything runs: unknown keys
/// (with a "did you mean"), wrong types, out-of-range values, unknown stages, stages listed before
/// what they need, missing files. Every problem is reported with the file, line and column of the
/// offending YAML node (in an included file, that file's).
/// </summary>
/// <remarks>
/// Binding is done by hand over YamlDotNet's node model rather than by its deserializer, because
/// only the node model keeps the positions that error messages need.
/// </remarks>
public sealed partial class PipelineSpecReader
{
    /// <summary>Keys of the top level (and, but for include, pipelines and version, of every <c>pipelines:</c> entry).</summary>
    private static readonly string[] TopLevelKeys =
        ["version", IncludeKey, "name", "seed", "dataset", "splits", "preprocess", "profiles", "encoders", "benchmark", "stages", "output", "cache", PipelinesKey];

    private static readonly string[] DatasetKeys = ["manifest", "synthetic", "external_sites"];
    private static readonly string[] SyntheticKeys = ["patients", "size", "seed", "sites", "lesion_contrast", "noise", "lesion_size"];
    private static readonly string[] SplitKeys = ["test_fraction", "folds"];

    private readonly string _file;
    private readonly StageCatalog _stages;
    private readonly List<SpecIssue> _issues = [];

    private PipelineSpecReader(string file, StageCatalog stages)
    {
        _file = Path.GetFullPath(file);
        _stages = stages;
    }

    /// <summary>
    /// Every key the reader accepts, by where it may stand: "" is the top level, "a.b" a nested mapping, "x[]" the
    /// entries of a list, "x.*" the entries of a mapping of user-chosen names (a <c>pipelines:</c> entry takes the
    /// top level's keys). docs/pipelines.md's schema block is tested against this, so the two cannot drift.
    /// </summary>
    /// <remarks>Built on each call: static fields of the other partial files may not be initialised yet when this file's are.</remarks>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Schema => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [""] = TopLevelKeys,
        ["dataset"] = DatasetKeys,
        ["dataset.synthetic"] = SyntheticKeys,
        ["splits"] = SplitKeys,
        ["preprocess"] = PreprocessKeys,
        ["profiles.*"] = ProfileKeys,
        ["encoders[]"] = [.. CommonEncoderKeys, .. OnnxKeys, .. Cnn3dKeys.Except(OnnxKeys), .. RadiomicsKeys],
        ["benchmark"] = BenchmarkKeys,
        ["benchmark.space.*"] = SpaceEntryKeys,
    };

    /// <summary>Reads and validates <paramref name="path"/> against stage names alone (no dependency check).</summary>
    public static PipelineSpec Read(string path, IReadOnlyCollection<string> knownStages) =>
        Read(path, StageCatalog.Unordered(knownStages ?? throw new ArgumentNullException(nameof(knownStages))));

    /// <summary>
    /// Reads and validates <paramref name="path"/>, with its includes, as the pipeline <paramref name="pipeline"/> of its
    /// <c>pipelines:</c> block (null: the file's only pipeline); throws <see cref="PipelineSpecException"/> listing every problem.
    /// </summary>
    public static PipelineSpec Read(string path, StageCatalog stages, string? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(stages);
        if (!File.Exists(path))
        {
            throw new PipelineSpecException([new SpecIssue(path, 0, 0, "pipeline spec not found")]);
        }

        var reader = new PipelineSpecReader(path, stages);
        var spec = reader.Parse(pipeline);
        if (reader._issues.Count > 0 || spec is null)
        {
            throw new PipelineSpecException(reader._issues);
        }

        return spec;
    }

    /// <summary>Every pipeline the file defines (one for a file without <c>pipelines:</c>), all checked; every problem of any of them thrown at once.</summary>
    public static IReadOnlyList<PipelineSpec> ReadAll(string path, StageCatalog stages)
    {
        var names = PipelineNames(path);
        if (names.Count == 0)
        {
            return [Read(path, stages)];
        }

        var specs = new List<PipelineSpec>();
        var issues = new List<SpecIssue>();
        foreach (string name in names)
        {
            try
            {
                specs.Add(Read(path, stages, name));
            }
            catch (PipelineSpecException e)
            {
                // Problems in the shared defaults show up once per pipeline; report each once.
                issues.AddRange(e.Issues.Where(i => !issues.Contains(i)));
            }
        }

        return issues.Count > 0 ? throw new PipelineSpecException(issues) : specs;
    }

    /// <summary>The names under the file's <c>pipelines:</c> (after includes), in order; empty for a single pipeline.</summary>
    public static IReadOnlyList<string> PipelineNames(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PipelineSpecException([new SpecIssue(path, 0, 0, "pipeline spec not found")]);
        }

        var reader = new PipelineSpecReader(path, StageCatalog.Unordered([]));
        var root = reader.LoadWithIncludes(path, []);
        if (reader._issues.Count > 0 || root is null)
        {
            throw new PipelineSpecException(reader._issues);
        }

        return PipelineNamesOf(root);
    }

    private PipelineSpec? Parse(string? pipeline)
    {
        if (LoadWithIncludes(_file, []) is not { } file || SelectPipeline(file, pipeline, out string? pipelineName) is not { } root)
        {
            return null;
        }

        string resolved = Serialise(root);
        RejectUnknownKeys(root, [.. TopLevelKeys.Except([IncludeKey, PipelinesKey])]);
        if (Scalar(root, "version") is { } version && version.Value != "1")
        {
            Issue(version, $"unsupported spec version '{version.Value}' (this build reads version 1)");
        }

        string name = Scalar(root, "name")?.Value ?? pipelineName ?? Path.GetFileNameWithoutExtension(_file);
        if (name.Length == 0 || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/', StringComparison.Ordinal))
        {
            Issue((YamlNode?)Scalar(root, "name") ?? root, $"name '{name}' cannot be used as a folder name");
        }

        long seed = Long(root, "seed") ?? 0;
        var stages = ReadStages(root);
        var dataset = ReadDataset(root);
        var splits = ReadSplits(root);
        var preprocess = ReadPreprocess(root);
        var encoders = ReadEncoders(root, preprocess);
        if (encoders.Count == 0 && stages.Contains("embed") && root.Children.TryGetValue(new YamlScalarNode("encoders"), out var encodersNode) && encodersNode is YamlSequenceNode)
        {
            Issue(encodersNode, "'encoders' is empty but the 'embed' stage is listed: name at least one encoder, or drop 'embed' (and what needs it) from 'stages'");
        }

        var benchmark = ReadBenchmark(root);
        string? output = PathValue(root, "output");
        string baseDirectory = Path.GetDirectoryName(_file)!;
        string cache = PathValue(root, "cache") ?? Path.Combine(baseDirectory, ".crlm-cache");
        if (dataset is null)
        {
            return null;
        }

        return new PipelineSpec
        {
            Name = name,
            SourcePath = _file,
            SourceSha256 = _files[0].Sha256,
            SourceFiles = [.. _files],
            ResolvedYaml = resolved,
            Seed = seed,
            Dataset = dataset,
            Splits = splits,
            Preprocess = preprocess,
            Encoders = encoders,
            Benchmark = benchmark,
            Stages = stages,
            OutputDirectory = output ?? Path.Combine(baseDirectory, "runs", name),
            TimestampedRuns = output is null,
            CacheDirectory = cache,
        };
    }

    private DatasetSpec? ReadDataset(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("dataset"), out var node))
        {
            Issue(root, "'dataset' is required (give either 'manifest: FILE.csv' or a 'synthetic:' block)");
            return null;
        }

        if (AsMap(node, "'dataset'") is not { } map)
        {
            return null;
        }

        RejectUnknownKeys(map, DatasetKeys);
        string? manifest = PathValue(map, "manifest");
        SyntheticDatasetSpec? synthetic = null;
        if (map.Children.TryGetValue(new YamlScalarNode("synthetic"), out var synthNode) && AsMap(synthNode, "'synthetic'") is { } synth)
        {
            RejectUnknownKeys(synth, SyntheticKeys);
            string size = Scalar(synth, "size")?.Value ?? "small";
            if (size is not ("small" or "paper"))
            {
                Issue(Scalar(synth, "size")!, $"size must be 'small' or 'paper', got '{size}'");
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
            Issue(map, "'dataset' needs exactly one of 'manifest' or 'synthetic'");
        }
        else if (manifest is not null && !File.Exists(manifest))
        {
            Issue(Scalar(map, "manifest")!, $"manifest file not found: {manifest}");
        }

        var external = StringList(map, "external_sites") ?? [];
        CheckExternalSites(map, external, manifest, synthetic);
        return new DatasetSpec { ManifestPath = manifest, Synthetic = synthetic, ExternalSites = external };
    }

    /// <summary>
    /// An external site the cohort does not have is an error, not a warning: the run would silently evaluate
    /// without the external test set the spec asks for (usually a typo in the site's name).
    /// </summary>
    private void CheckExternalSites(YamlMappingNode map, string[] external, string? manifest, SyntheticDatasetSpec? synthetic)
    {
        if (external.Length == 0 || !map.Children.TryGetValue(new YamlScalarNode("external_sites"), out var node) || node is not YamlSequenceNode list)
        {
            return;
        }

        IReadOnlyCollection<string>? sites = null;
        if (synthetic is not null)
        {
            sites = synthetic.Sites ?? SyntheticSiteDefaults.Study.Select(s => s.Name).ToArray();
        }
        else if (manifest is not null && File.Exists(manifest))
        {
            try
            {
                sites = Crlm.Core.Cohort.ManifestValidator.Validate(manifest, checkFiles: false).Manifest.Sites().ToArray();
            }
            catch (Exception e) when (e is Crlm.Core.Cohort.ManifestFormatException or InvalidOperationException or IOException)
            {
                // The manifest itself is unreadable: the cohort stage (and `crlm validate MANIFEST.csv`) says why.
                return;
            }
        }

        if (sites is null || sites.Count == 0)
        {
            return;
        }

        for (int n = 0; n < external.Length; n++)
        {
            if (!sites.Contains(external[n]))
            {
                string source = synthetic is null ? "the manifest" : "the synthetic cohort";
                Issue(list.Children[n], $"external site '{external[n]}' is not in {source}{Suggest(external[n], sites)} (sites: {string.Join(", ", sites)})");
            }
        }
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
            Issue(Scalar(map, key)!, Invariant($"'{key}' must be a number {range} (1 = default), got {value}"));
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
            Issue(node, $"'{key}' must be a non-empty list of site names, e.g. [KAUNOS, TCIA_CRLM] (sites: {string.Join(", ", known)})");
            return null;
        }

        var names = new List<string>();
        foreach (var item in sequence.Children)
        {
            string given = (item as YamlScalarNode)?.Value ?? "";
            if (item is not YamlScalarNode || SyntheticSiteDefaults.Find(given) is not { } site)
            {
                Issue(item, $"unknown site '{given}'{Suggest(given.ToUpperInvariant(), known)} (sites: {string.Join(", ", known)})");
            }
            else if (names.Contains(site.Name))
            {
                Issue(item, $"site '{site.Name}' is listed twice");
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

        RejectUnknownKeys(map, SplitKeys);
        var defaults = new SplitSpec();
        double fraction = Double(map, "test_fraction") ?? defaults.TestFraction;
        if (!(fraction >= 0 && fraction < 1))
        {
            Issue(Scalar(map, "test_fraction")!, $"test_fraction must be in [0, 1), got {fraction.ToString(CultureInfo.InvariantCulture)}");
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
            Issue(map.Children[new YamlScalarNode("window")], Invariant($"'window' must be two HU values [low, high] with low < high, got [{low}, {high}]"));
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
            Issue(node, $"'{key}' must be {expected}");
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
                Issue(item, $"'{key}' must be {expected}; '{(item as YamlScalarNode)?.Value}' is not allowed");
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

        Issue(scalar, $"'{key}' must be one of {string.Join(", ", allowed)}, got '{value}'{Suggest(value, allowed)}");
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private List<string> ReadStages(YamlMappingNode root)
    {
        var known = _stages.Names;
        if (!root.Children.TryGetValue(new YamlScalarNode("stages"), out var node))
        {
            return [.. known];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Issue(node, "'stages' must be a list of stage names");
            return [];
        }

        var names = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { } stage })
            {
                Issue(item, "a stage must be a name");
            }
            else if (!known.Contains(stage))
            {
                Issue(item, $"unknown stage '{stage}'{Suggest(stage, known)} (stages: {string.Join(", ", known)})");
            }
            else if (names.Contains(stage))
            {
                Issue(item, $"stage '{stage}' is listed twice");
            }
            else
            {
                // Each stage declares what it needs; those must run before it, in this list.
                var missing = _stages.NeedsOf(stage).Where(need => !names.Contains(need)).ToArray();
                if (missing.Length > 0)
                {
                    Issue(item, $"stage '{stage}' needs {string.Join(" and ", missing.Select(m => $"'{m}'"))} listed before it (stages in order: {string.Join(", ", known)})");
                }

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

        Issue(node, $"{what} must be a mapping of 'key: value' lines");
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

        Issue(node, $"'{key}' must be a single value");
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

        Issue(scalar, $"'{key}' must be an integer, got '{scalar.Value}'");
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
            Issue(Scalar(map, key)!, $"'{key}' must be between {min} and {max}, got {value}");
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

        Issue(scalar, $"'{key}' must be a number, got '{scalar.Value}'");
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
            Issue(scalar, $"'{key}' is empty");
            return null;
        }

        // Relative to the file that holds the value: an included file's paths mean what they mean there.
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(FileOf(scalar))!, value));
    }

    private string[]? StringList(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Any(c => c is not YamlScalarNode))
        {
            Issue(node, $"'{key}' must be a list of names, e.g. [site_a, site_b]");
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
                Issue(key, $"unknown key '{name}'{Suggest(name, known)} (allowed here: {string.Join(", ", known)})");
            }
        }
    }

    private static string Suggest(string given, IEnumerable<string> options)
    {
        var best = options.Select(o => (Option: o, Distance: Levenshtein(given, o))).DefaultIfEmpty().MinBy(x => x.Distance);
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
}
