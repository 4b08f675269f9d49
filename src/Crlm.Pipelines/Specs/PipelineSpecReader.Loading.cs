using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Crlm.Pipelines.Specs;

/// <summary>
/// Turns spec files into the one mapping that is bound: <c>include:</c> files deep-merged underneath as defaults,
/// then one entry of <c>pipelines:</c> merged on top. Every node remembers the file it came from, so a problem
/// in an included file is reported at that file's line and column.
/// </summary>
public sealed partial class PipelineSpecReader
{
    private const string IncludeKey = "include";
    private const string PipelinesKey = "pipelines";

    private readonly Dictionary<YamlNode, string> _nodeFiles = new(ReferenceEqualityComparer.Instance);
    private readonly List<SpecFileDigest> _files = [];

    /// <summary>Loads <paramref name="path"/> and, beneath it, every file it includes (cycles refused); null when unusable.</summary>
    private YamlMappingNode? LoadWithIncludes(string path, List<string> chain)
    {
        string full = Path.GetFullPath(path);
        byte[] bytes = File.ReadAllBytes(full);
        if (!_files.Any(f => f.Path == full))
        {
            _files.Add(new SpecFileDigest(full, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        if (ParseDocument(full, bytes) is not { } root)
        {
            return null;
        }

        if (!root.Children.TryGetValue(new YamlScalarNode(IncludeKey), out var includeNode))
        {
            return root;
        }

        root.Children.Remove(new YamlScalarNode(IncludeKey));
        var items = includeNode switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) => list.Children.Cast<YamlScalarNode>().ToList(),
            _ => null,
        };
        if (items is null)
        {
            Issue(includeNode, "'include' must be a file name or a list of file names (relative to this file)");
            return root;
        }

        chain.Add(full);
        // Later includes override earlier ones; the including file overrides them all.
        foreach (var item in items.AsEnumerable().Reverse())
        {
            string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, item.Value ?? ""));
            if (string.IsNullOrEmpty(item.Value) || !File.Exists(target))
            {
                Issue(item, $"included file not found: {target}");
            }
            else if (chain.Contains(target))
            {
                Issue(item, $"include cycle: {string.Join(" -> ", chain.Append(target).Select(Path.GetFileName))}");
            }
            else if (LoadWithIncludes(target, chain) is { } included)
            {
                Merge(root, included);
            }
        }

        chain.RemoveAt(chain.Count - 1);
        return root;
    }

    private YamlMappingNode? ParseDocument(string file, byte[] bytes)
    {
        var stream = new YamlStream();
        string text = new UTF8Encoding(false).GetString(bytes);
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Issue(file, e.Start, $"YAML syntax error: {Innermost(e).Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18 throws this, without a position, when the file ends inside a flow
            // collection; the end of the file is the only place we can honestly point to.
            int lines = text.Split('\n').Length;
            _issues.Add(new SpecIssue(file, lines, 1, "YAML syntax error: the file ends inside a [...] or {...} that is never closed"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            _issues.Add(new SpecIssue(file, 1, 1, $"expected exactly one YAML document, found {stream.Documents.Count}"));
            return null;
        }

        var rootNode = stream.Documents[0].RootNode;
        foreach (var node in rootNode.AllNodes)
        {
            _nodeFiles[node] = file;
        }

        if (rootNode is not YamlMappingNode root)
        {
            Issue(rootNode, "the pipeline spec must be a mapping of 'key: value' lines");
            return null;
        }

        return root;
    }

    /// <summary>Deep merge: mappings merge key by key; anything else in <paramref name="over"/> replaces <paramref name="under"/>.</summary>
    private static void Merge(YamlMappingNode over, YamlMappingNode under)
    {
        foreach (var (key, value) in under.Children)
        {
            if (!over.Children.TryGetValue(key, out var mine))
            {
                over.Children.Add(key, value);
            }
            else if (mine is YamlMappingNode mineMap && value is YamlMappingNode underMap)
            {
                Merge(mineMap, underMap);
            }
        }
    }

    /// <summary>The names under <c>pipelines:</c>, in file order (empty for a single-pipeline spec).</summary>
    private static List<string> PipelineNamesOf(YamlMappingNode root) =>
        root.Children.TryGetValue(new YamlScalarNode(PipelinesKey), out var node) && node is YamlMappingNode map
            ? map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToList()
            : [];

    /// <summary>
    /// The mapping to bind: the file's top level alone, or the chosen <c>pipelines:</c> entry over it (the top level
    /// being the defaults every pipeline shares). <paramref name="name"/> is the run name when the entry gives none.
    /// </summary>
    private YamlMappingNode? SelectPipeline(YamlMappingNode root, string? requested, out string? name)
    {
        name = null;
        if (!root.Children.TryGetValue(new YamlScalarNode(PipelinesKey), out var node))
        {
            if (requested is not null)
            {
                Issue(root, $"pipeline '{requested}' was asked for, but this spec has no 'pipelines:' block (it is one pipeline; run it without --pipeline)");
                return null;
            }

            return root;
        }

        root.Children.Remove(new YamlScalarNode(PipelinesKey));
        if (AsMap(node, "'pipelines'") is not { } pipelines)
        {
            return null;
        }

        var names = pipelines.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToList();
        if (names.Count == 0)
        {
            Issue(pipelines, "'pipelines' is empty: name at least one pipeline, or remove the block");
            return null;
        }

        string? chosen = requested ?? (names.Count == 1 ? names[0] : null);
        if (chosen is null)
        {
            Issue(pipelines, $"this spec defines {names.Count} pipelines ({string.Join(", ", names)}): choose one with --pipeline NAME");
            return null;
        }

        if (!pipelines.Children.TryGetValue(new YamlScalarNode(chosen), out var entryNode))
        {
            Issue(pipelines, $"no pipeline '{chosen}'{Suggest(chosen, names)} (pipelines: {string.Join(", ", names)})");
            return null;
        }

        // An empty entry ("quick:") is the shared defaults unchanged.
        var entry = entryNode is YamlScalarNode { Value: "" or null } ? new YamlMappingNode() : AsMap(entryNode, $"pipeline '{chosen}'");
        if (entry is null)
        {
            return null;
        }

        if (!entry.Children.ContainsKey(new YamlScalarNode("name")))
        {
            root.Children.Remove(new YamlScalarNode("name"));
            name = chosen;
        }

        if (entry.Children.Count == 0)
        {
            // A fresh node has no position; keep the top level's, so its problems point somewhere real.
            return root;
        }

        Merge(entry, root);
        return entry;
    }

    /// <summary>The merged mapping as YAML text: what was run, after includes and pipeline selection.</summary>
    private static string Serialise(YamlMappingNode root)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        string text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private string FileOf(YamlNode node) => _nodeFiles.GetValueOrDefault(node, _file);

    private void Issue(YamlNode node, string message)
    {
        _issues.Add(new SpecIssue(FileOf(node), (int)node.Start.Line, (int)node.Start.Column, message));
    }

    private void Issue(string file, Mark mark, string message) => _issues.Add(new SpecIssue(file, (int)mark.Line, (int)mark.Column, message));
}

/// <summary>One file a spec was read from (the spec itself or an included file) and its content hash.</summary>
public sealed record SpecFileDigest(string Path, string Sha256);
