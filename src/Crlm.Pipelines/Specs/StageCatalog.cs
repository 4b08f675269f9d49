namespace Crlm.Pipelines.Specs;

/// <summary>
/// The stages a spec may name, in their natural order, and what each needs before it (declared by the stages
/// themselves), so the reader can refuse a stage list that cannot run before anything starts.
/// </summary>
public sealed record StageCatalog(IReadOnlyList<string> Names, IReadOnlyDictionary<string, IReadOnlyList<string>> Needs)
{
    /// <summary>Stages that read everything the stages listed before them wrote (see IPipelineStage.ReadsEveryEarlierStage).</summary>
    public IReadOnlySet<string> ReadersOfEverything { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Names alone, no dependencies: for callers (and tests) that only check names.</summary>
    public static StageCatalog Unordered(IEnumerable<string> names) =>
        new([.. names], new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal));

    public IReadOnlyList<string> NeedsOf(string stage) => Needs.TryGetValue(stage, out var needs) ? needs : [];

    /// <summary><paramref name="stage"/>'s needs, their needs and so on, in the catalogue's order.</summary>
    public IReadOnlyList<string> AllNeedsOf(string stage)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(NeedsOf(stage));
        while (pending.TryPop(out string? need))
        {
            if (found.Add(need))
            {
                foreach (string further in NeedsOf(need))
                {
                    pending.Push(further);
                }
            }
        }

        return Names.Where(found.Contains).ToArray();
    }
}
