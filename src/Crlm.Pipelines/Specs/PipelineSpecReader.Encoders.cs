using System.Globalization;
using Crlm.Core.Embedding;
using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Crlm.Pipelines.Specs;

/// <summary>The spec's <c>profiles:</c> and <c>encoders:</c> blocks (docs/pipelines.md).</summary>
public sealed partial class PipelineSpecReader
{
    private static readonly string[] CommonEncoderKeys = ["name", "kind", "profile"];
    private static readonly string[] OnnxKeys = ["model", "input", "output", "pooling", "device", "fallback_to_cpu", "threads", "batch"];
    private static readonly string[] Cnn3dKeys = ["depth", "width", "shortcut", "seed", "checkpoint", "batch", "threads"];
    private static readonly string[] RadiomicsKeys = ["bin_width"];
    private static readonly string[] ProfileKeys = ["base", "version", "patch", "overlap", "multiple_of"];

    private List<EncoderSpec> ReadEncoders(YamlMappingNode root, PreprocessOptions study)
    {
        var profiles = ReadProfiles(root, study);
        if (!root.Children.TryGetValue(new YamlScalarNode("encoders"), out var node))
        {
            // No list: the built-in radiomics encoder, which needs no download, so every spec can embed.
            return [new EncoderSpec { Name = "radiomics", Kind = EncoderKind.Radiomics, Profile = profiles["radiomics"] }];
        }

        if (node is not YamlSequenceNode list)
        {
            Issue(node, "'encoders' must be a list of encoders, each a mapping with at least 'name' and 'kind'");
            return [];
        }

        var encoders = new List<EncoderSpec>();
        foreach (var item in list.Children)
        {
            if (AsMap(item, "an encoder") is not { } map)
            {
                continue;
            }

            var kindNode = Scalar(map, "kind");
            var kind = kindNode?.Value switch
            {
                "onnx" => EncoderKind.Onnx,
                "cnn3d" => EncoderKind.Cnn3d,
                "radiomics" => EncoderKind.Radiomics,
                _ => (EncoderKind?)null,
            };
            if (kind is null)
            {
                Issue((YamlNode?)kindNode ?? map, kindNode is null
                    ? "an encoder needs 'kind': onnx, cnn3d or radiomics"
                    : $"'kind' must be one of onnx, cnn3d, radiomics, got '{kindNode.Value}'{Suggest(kindNode.Value ?? "", ["onnx", "cnn3d", "radiomics"])}");
                continue;
            }

            string[] own = kind switch
            {
                EncoderKind.Onnx => OnnxKeys,
                EncoderKind.Cnn3d => Cnn3dKeys,
                _ => RadiomicsKeys,
            };
            RejectUnknownKeys(map, [.. CommonEncoderKeys, .. own]);

            var nameNode = Scalar(map, "name");
            string name = nameNode?.Value ?? "";
            if (nameNode is null)
            {
                Issue(map, "an encoder needs a 'name'");
            }
            else if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                Issue(nameNode, $"encoder name '{name}' may hold only letters, digits, '_', '-' and '.' (it names files)");
            }
            else if (encoders.Any(e => e.Name == name))
            {
                Issue(nameNode, $"encoder '{name}' is listed twice");
            }

            var profileNode = Scalar(map, "profile");
            EncoderProfile profile;
            bool isStudy = false;
            if (profileNode?.Value is { } profileName)
            {
                if (profiles.TryGetValue(profileName, out var p))
                {
                    profile = p;
                    isStudy = profileName == "study";
                }
                else
                {
                    Issue(profileNode, $"unknown profile '{profileName}'{Suggest(profileName, profiles.Keys)} (profiles: {string.Join(", ", profiles.Keys)})");
                    profile = profiles["study"];
                }
            }
            else if (kind == EncoderKind.Radiomics)
            {
                profile = profiles["radiomics"];
            }
            else
            {
                profile = profiles["study"];
                isStudy = true;
            }

            var defaults = new EncoderSpec { Name = name, Kind = kind.Value, Profile = profile };
            string? model = PathValue(map, "model");
            if (kind == EncoderKind.Onnx && model is null)
            {
                Issue(map, $"onnx encoder '{name}' needs 'model': the .onnx file (relative to this spec)");
            }
            else if (model is not null && !File.Exists(model))
            {
                Issue(Scalar(map, "model")!, $"ONNX model not found: {model}");
            }

            string? checkpoint = PathValue(map, "checkpoint");
            if (checkpoint is not null && !File.Exists(checkpoint))
            {
                Issue(Scalar(map, "checkpoint")!, $"checkpoint not found: {checkpoint}");
            }

            int? depth = Int(map, "depth", min: 10, max: 50);
            if (depth is not null and not (10 or 18 or 34 or 50))
            {
                Issue(Scalar(map, "depth")!, $"'depth' must be 10, 18, 34 or 50, got {depth}");
                depth = null;
            }

            double? binWidth = Double(map, "bin_width");
            if (binWidth is <= 0)
            {
                Issue(Scalar(map, "bin_width")!, Invariant($"'bin_width' must be a positive number of HU, got {binWidth}"));
                binWidth = null;
            }

            encoders.Add(defaults with
            {
                UsesStudyPreprocessing = isStudy,
                Line = (int)map.Start.Line,
                Model = model,
                Input = Scalar(map, "input")?.Value ?? defaults.Input,
                Output = Scalar(map, "output")?.Value ?? defaults.Output,
                Pooling = Choice(map, "pooling", ["average", "max"]) ?? defaults.Pooling,
                Device = Choice(map, "device", ["cpu", "cuda"]) ?? defaults.Device,
                FallbackToCpu = Bool(map, "fallback_to_cpu") ?? defaults.FallbackToCpu,
                Threads = Int(map, "threads", min: 1, max: 1024),
                Batch = Int(map, "batch", min: 1, max: 4096) ?? defaults.Batch,
                Depth = depth ?? defaults.Depth,
                Width = Int(map, "width", min: 1, max: 1024) ?? defaults.Width,
                Shortcut = Choice(map, "shortcut", ["A", "B"]) ?? defaults.Shortcut,
                WeightSeed = Long(map, "seed"),
                Checkpoint = checkpoint,
                BinWidth = binWidth ?? defaults.BinWidth,
            });
        }

        return encoders;
    }

    /// <summary>Built-in profiles (with 'study' being this spec's preprocessing) and the spec's own, by name.</summary>
    private Dictionary<string, EncoderProfile> ReadProfiles(YamlMappingNode root, PreprocessOptions study)
    {
        var profiles = new Dictionary<string, EncoderProfile>(StringComparer.Ordinal);
        foreach (var builtIn in EncoderProfiles.All)
        {
            profiles[builtIn.Name] = builtIn.Name == "study" ? builtIn with { Preprocess = study } : builtIn;
        }

        profiles["radiomics"] = EncoderProfiles.RadiomicsOn(study);
        if (!root.Children.TryGetValue(new YamlScalarNode("profiles"), out var node) || AsMap(node, "'profiles'") is not { } map)
        {
            return profiles;
        }

        var builtInNames = profiles.Keys.ToArray();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            string name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (builtInNames.Contains(name))
            {
                Issue(keyNode, $"profile '{name}' is built in; give yours another name (and 'base: {name}' to start from it)");
                continue;
            }

            if (AsMap(valueNode, $"profile '{name}'") is not { } entry)
            {
                continue;
            }

            RejectUnknownKeys(entry, [.. ProfileKeys, .. PreprocessKeys]);
            var baseNode = Scalar(entry, "base");
            var basis = profiles["study"];
            if (baseNode?.Value is { } baseName)
            {
                if (!profiles.TryGetValue(baseName, out var found))
                {
                    Issue(baseNode, $"unknown base profile '{baseName}'{Suggest(baseName, profiles.Keys)}");
                }
                else
                {
                    basis = found;
                }
            }

            var patch = Numbers(entry, "patch", 3, "three whole numbers of voxels (x, y, z), e.g. [128, 128, 24]", v => v == Math.Floor(v) && v >= 1 && v <= PreprocessOptions.MaxBoxEdge);
            var profile = basis with
            {
                Name = name,
                Version = Int(entry, "version", min: 1, max: 1_000_000) ?? 1,
                Preprocess = ReadPreprocessOptions(entry, basis.Preprocess),
                Patch = patch is { } p ? new Int3((int)p[0], (int)p[1], (int)p[2]) : basis.Patch,
                Overlap = Double(entry, "overlap") ?? basis.Overlap,
                MultipleOf = Int(entry, "multiple_of", min: 1, max: 4096) ?? basis.MultipleOf,
            };
            try
            {
                profile.Validate();
                profiles[name] = profile;
            }
            catch (ArgumentException e)
            {
                Issue(keyNode, e.Message);
            }
        }

        return profiles;
    }

    private bool? Bool(YamlMappingNode map, string key)
    {
        var scalar = Scalar(map, key);
        return scalar?.Value switch
        {
            null => null,
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => Fail(scalar, key),
        };

        bool? Fail(YamlScalarNode s, string k)
        {
            Issue(s, $"'{k}' must be true or false, got '{s.Value}'");
            return null;
        }
    }


}
