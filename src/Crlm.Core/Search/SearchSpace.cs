using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Crlm.Core.Search;

/// <summary>
/// A validated set of hyperparameters in sampling order: every conditional parameter comes after
/// its parent (declaration order otherwise), so a sampler can decide activity as it goes.
/// </summary>
public sealed class SearchSpace
{
    private readonly Dictionary<string, ParameterDefinition> _byName;

    private SearchSpace(IReadOnlyList<ParameterDefinition> ordered)
    {
        Parameters = ordered;
        _byName = ordered.ToDictionary(p => p.Name, StringComparer.Ordinal);
        CanonicalText = string.Join(";", ordered.Select(CanonicalLine));
    }

    /// <summary>Parameters in sampling order (parents before their conditional children).</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>
    /// One line that identifies the space: parameters in sampling order with their domains and
    /// conditions, numbers in round-trip invariant form. Two spaces with the same text sample
    /// identically, so the text keys caches and trial histories.
    /// </summary>
    public string CanonicalText { get; }

    /// <summary>Validates the declarations; throws <see cref="SearchSpaceException"/> naming the first problem.</summary>
    public static SearchSpace Create(IEnumerable<ParameterDefinition> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        List<ParameterDefinition> declared = parameters.ToList();
        if (declared.Count == 0)
        {
            throw new SearchSpaceException("The search space declares no parameters.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterDefinition p in declared)
        {
            if (p is null)
            {
                throw new SearchSpaceException("The search space contains a null parameter.");
            }

            ValidateName(p.Name);
            if (!names.Add(p.Name))
            {
                throw new SearchSpaceException($"Parameter '{p.Name}' is declared twice.");
            }

            ValidateDomain(p);
        }

        var byName = declared.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (ParameterDefinition p in declared)
        {
            ValidateCondition(p, byName);
        }

        return new SearchSpace(OrderParentsFirst(declared));
    }

    public static SearchSpace Create(params ParameterDefinition[] parameters) => Create((IEnumerable<ParameterDefinition>)parameters);

    public ParameterDefinition this[string name] =>
        _byName.TryGetValue(name, out ParameterDefinition? p)
            ? p
            : throw new KeyNotFoundException($"The search space has no parameter '{name}'.");

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Whether <paramref name="parameter"/> is active given the values already chosen for earlier parameters.</summary>
    public static bool IsActive(ParameterDefinition parameter, IReadOnlyDictionary<string, ParameterValue> chosen)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(chosen);
        if (parameter.When is not { } condition)
        {
            return true;
        }

        // An inactive parent is absent from the chosen values, which makes its children inactive too.
        return chosen.TryGetValue(condition.Parent, out ParameterValue parent)
            && condition.Values.Contains(parent.Choice, StringComparer.Ordinal);
    }

    /// <summary>
    /// Builds an assignment by walking the parameters in sampling order and asking
    /// <paramref name="sample"/> for each active one (it sees the values chosen so far).
    /// </summary>
    public ParameterAssignment Assign(Func<ParameterDefinition, IReadOnlyDictionary<string, ParameterValue>, ParameterValue> sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (ParameterDefinition p in Parameters)
        {
            if (IsActive(p, chosen))
            {
                chosen[p.Name] = sample(p, chosen);
            }
        }

        return new ParameterAssignment(Parameters.Where(p => chosen.ContainsKey(p.Name)).Select(p => KeyValuePair.Create(p.Name, chosen[p.Name])));
    }

    public override string ToString() => CanonicalText;

    internal static string Quote(string text) => JsonSerializer.Serialize(text);

    private static string CanonicalLine(ParameterDefinition p)
    {
        var line = new StringBuilder();
        line.Append(p.Name).Append('=').Append(p.CanonicalDomain);
        if (p.When is { } when)
        {
            line.Append(" when ").Append(when.Parent).Append(" in [")
                .Append(string.Join(",", when.Values.Select(Quote))).Append(']');
        }

        return line.ToString();
    }

    private static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new SearchSpaceException(
                $"Parameter name '{name}' is not allowed: use letters, digits, '_', '-' or '.' (the name appears in cache keys and trial files).");
        }
    }

    private static void ValidateDomain(ParameterDefinition p)
    {
        switch (p)
        {
            case IntParameter i:
                if (i.Low >= i.High)
                {
                    throw new SearchSpaceException(Invariant($"Parameter '{p.Name}': low ({i.Low}) must be less than high ({i.High})."));
                }

                if (i.Log && i.Low < 1)
                {
                    throw new SearchSpaceException(Invariant($"Parameter '{p.Name}': a log-scaled int needs low >= 1, got {i.Low}."));
                }

                break;
            case FloatParameter f:
                if (!double.IsFinite(f.Low) || !double.IsFinite(f.High))
                {
                    throw new SearchSpaceException($"Parameter '{p.Name}': low and high must be finite numbers.");
                }

                if (f.Low >= f.High)
                {
                    throw new SearchSpaceException(Invariant($"Parameter '{p.Name}': low ({f.Low:R}) must be less than high ({f.High:R})."));
                }

                if (f.Log && f.Low <= 0)
                {
                    throw new SearchSpaceException(Invariant($"Parameter '{p.Name}': a log-scaled float needs low > 0, got {f.Low:R}."));
                }

                break;
            case CategoricalParameter c:
                if (c.Choices is null || c.Choices.Count == 0)
                {
                    throw new SearchSpaceException($"Parameter '{p.Name}': the list of choices is empty.");
                }

                if (c.Choices.Any(string.IsNullOrEmpty))
                {
                    throw new SearchSpaceException($"Parameter '{p.Name}': a choice is empty.");
                }

                if (c.Choices.Distinct(StringComparer.Ordinal).Count() != c.Choices.Count)
                {
                    throw new SearchSpaceException($"Parameter '{p.Name}': the choices repeat a value.");
                }

                break;
            default:
                throw new SearchSpaceException($"Parameter '{p.Name}' has an unsupported kind {p.GetType().Name}.");
        }
    }

    private static void ValidateCondition(ParameterDefinition p, Dictionary<string, ParameterDefinition> byName)
    {
        if (p.When is not { } when)
        {
            return;
        }

        if (!byName.TryGetValue(when.Parent ?? "", out ParameterDefinition? parent))
        {
            throw new SearchSpaceException($"Parameter '{p.Name}' depends on unknown parameter '{when.Parent}'.");
        }

        if (ReferenceEquals(parent, p))
        {
            throw new SearchSpaceException($"Parameter '{p.Name}' cannot depend on itself.");
        }

        if (parent is not CategoricalParameter categorical)
        {
            throw new SearchSpaceException($"Parameter '{p.Name}' depends on '{parent.Name}', which is not categorical; conditions name choices of a categorical parent.");
        }

        if (when.Values is null || when.Values.Count == 0)
        {
            throw new SearchSpaceException($"Parameter '{p.Name}': the condition on '{parent.Name}' lists no values.");
        }

        foreach (string value in when.Values)
        {
            if (!categorical.Choices.Contains(value, StringComparer.Ordinal))
            {
                throw new SearchSpaceException(
                    $"Parameter '{p.Name}': the condition value '{value}' is not a choice of '{parent.Name}' ({string.Join(", ", categorical.Choices)}).");
            }
        }
    }

    /// <summary>Stable topological order: declaration order, except that a child waits for its parent.</summary>
    private static List<ParameterDefinition> OrderParentsFirst(List<ParameterDefinition> declared)
    {
        var ordered = new List<ParameterDefinition>(declared.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<ParameterDefinition>(declared);
        while (pending.Count > 0)
        {
            ParameterDefinition? next = pending.FirstOrDefault(p => p.When is null || placed.Contains(p.When.Parent));
            if (next is null)
            {
                throw new SearchSpaceException(
                    "The conditions form a cycle: " + string.Join(", ", pending.Select(p => $"{p.Name} -> {p.When!.Parent}")) + ".");
            }

            ordered.Add(next);
            placed.Add(next.Name);
            pending.Remove(next);
        }

        return ordered;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
