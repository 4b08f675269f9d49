using System.Text.RegularExpressions;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>docs/pipelines.md's schema block and the reader's key lists must name the same keys in the same places.</summary>
public partial class SchemaDocTests
{
    [GeneratedRegex(@"^(?<indent> *)(?<dash>- )?(?<key>[A-Za-z_][A-Za-z0-9_]*):(\s|$)")]
    private static partial Regex KeyLine();

    /// <summary>(section, key) for every key of the doc's first ```yaml block, commented-out examples included ("# key: ...").</summary>
    private static HashSet<(string Section, string Key)> DocumentedKeys()
    {
        string doc = File.ReadAllText(Path.Combine(SharedData.RepoRoot!, "docs", "pipelines.md"));
        int start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        string block = doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)];
        var schema = PipelineSpecReader.Schema;
        var keys = new HashSet<(string, string)>();
        var open = new List<(int Indent, string Path)>();
        foreach (string raw in block.Split('\n'))
        {
            // "  #   patients: 60" is the key 'patients' two levels in: drop the "# " and keep the indentation.
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string line = hash >= 0 && raw[..hash].Trim().Length == 0 && raw.Length > hash + 1 ? raw[..hash] + raw[(hash + 2)..] : raw;
            var match = KeyLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            int indent = match.Groups["indent"].Length + match.Groups["dash"].Length;
            open.RemoveAll(o => o.Indent >= (match.Groups["dash"].Success ? match.Groups["indent"].Length : indent));
            string parent = open.Count == 0 ? "" : open[^1].Path;
            if (match.Groups["dash"].Success)
            {
                parent += "[]";
                open.Add((match.Groups["indent"].Length, parent));
            }

            string key = match.Groups["key"].Value;
            // Names the user chooses (a profile, a space parameter, a pipeline) stand for "*".
            bool named = parent == "pipelines" || schema.ContainsKey(parent + ".*");
            string path = named ? parent + ".*" : parent.Length == 0 ? key : $"{parent}.{key}";
            if (!named)
            {
                // A pipelines: entry takes the top level's keys.
                string section = parent.StartsWith("pipelines.*", StringComparison.Ordinal) ? parent["pipelines.*".Length..].TrimStart('.') : parent;
                keys.Add((section, key));
            }

            open.Add((indent, path));
        }

        return keys;
    }

    [Fact]
    public void Every_key_the_reader_accepts_is_in_the_docs_schema_block()
    {
        var documented = DocumentedKeys();
        var missing = PipelineSpecReader.Schema.SelectMany(s => s.Value.Select(k => (s.Key, k))).Where(k => !documented.Contains(k)).ToArray();
        Assert.True(missing.Length == 0, "not in docs/pipelines.md's schema block: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_key_in_the_docs_schema_block_is_accepted_by_the_reader()
    {
        var schema = PipelineSpecReader.Schema;
        var unknown = DocumentedKeys().Where(k => !schema.TryGetValue(k.Section, out var keys) || !keys.Contains(k.Key)).ToArray();
        Assert.True(unknown.Length == 0, "documented but not accepted: " + string.Join(", ", unknown));
    }
}
