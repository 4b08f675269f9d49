namespace Crlm.Core.Search;

/// <summary>
/// The values of the active parameters of one trial, in the space's sampling order. Inactive
/// conditional parameters are absent (not null), so <see cref="Contains"/> tells activity.
/// </summary>
public sealed class ParameterAssignment : IEquatable<ParameterAssignment>
{
    private readonly KeyValuePair<string, ParameterValue>[] _entries;
    private readonly Dictionary<string, ParameterValue> _byName;

    public ParameterAssignment(IEnumerable<KeyValuePair<string, ParameterValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.ToArray();
        _byName = new Dictionary<string, ParameterValue>(_entries, StringComparer.Ordinal);
    }

    public IReadOnlyList<KeyValuePair<string, ParameterValue>> Entries => _entries;

    public IReadOnlyDictionary<string, ParameterValue> Values => _byName;

    public int Count => _entries.Length;

    public bool Contains(string name) => _byName.ContainsKey(name);

    public ParameterValue this[string name] =>
        _byName.TryGetValue(name, out ParameterValue v)
            ? v
            : throw new KeyNotFoundException($"Parameter '{name}' is not active in this trial.");

    public int GetInt(string name) => this[name].AsInt();

    public double GetDouble(string name) =>
        this[name] is { IsCategorical: false } v ? v.Number : throw new InvalidOperationException($"Parameter '{name}' is categorical.");

    public string GetChoice(string name) =>
        this[name].Choice ?? throw new InvalidOperationException($"Parameter '{name}' is numeric.");

    /// <summary>e.g. <c>C=0.01;penalty=l2;solver=lbfgs</c>: stable, for logs and equality.</summary>
    public override string ToString() => string.Join(";", _entries.Select(e => $"{e.Key}={e.Value}"));

    public bool Equals(ParameterAssignment? other) =>
        other is not null && _entries.SequenceEqual(other._entries);

    public override bool Equals(object? obj) => Equals(obj as ParameterAssignment);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
