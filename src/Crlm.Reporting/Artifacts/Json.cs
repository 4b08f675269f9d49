using System.Globalization;
using System.Text.Json;

namespace Crlm.Reporting.Artifacts;

/// <summary>Tolerant reads of JSON written by other stages: a missing or mistyped field reads as null, never throws.</summary>
public static class Json
{
    public static JsonElement? Get(JsonElement element, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = element;
        foreach (string key in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out var next))
            {
                return null;
            }

            current = next;
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    public static double? Number(JsonElement element, params string[] path) =>
        Get(element, path) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;

    /// <summary>A field's text: strings as they are, numbers and booleans as written, objects and arrays as compact JSON.</summary>
    public static string? Text(JsonElement element, params string[] path) => Get(element, path) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
    };

    public static IEnumerable<JsonElement> Array(JsonElement element, params string[] path) =>
        Get(element, path) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];
}

/// <summary>How numbers appear in the report: invariant culture, fixed decimals, a dash for missing.</summary>
public static class Format
{
    public const string Missing = "–";

    public static string Fixed(double? value, int decimals = 3) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Missing;

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Interval(double? value, double? low, double? high, int decimals = 3) =>
        value is null ? Missing
        : low is null || high is null ? Fixed(value, decimals)
        : $"{Fixed(value, decimals)} [{Fixed(low, decimals)}, {Fixed(high, decimals)}]";
}
