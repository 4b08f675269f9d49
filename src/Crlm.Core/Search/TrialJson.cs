using System.Buffers;
using System.Text.Json;

namespace Crlm.Core.Search;

/// <summary>
/// The JSON forms of a search-history file: a header line with the search key, then one object
/// per trial. Doubles are written in shortest round-trip form, so a reloaded history is
/// bit-identical and a resumed TPE sees exactly what the uninterrupted one saw.
/// </summary>
internal static class TrialJson
{
    public const string Format = "crlm-search-trials/1";

    public static byte[] Header(SearchKey key) => Write(w =>
    {
        w.WriteString("format", Format);
        w.WriteString("space", key.Space);
        w.WriteNumber("seed", key.Seed);
        w.WriteString("sampler", key.Sampler);
        w.WriteNumber("batch_size", key.BatchSize);
    });

    public static SearchKey ReadHeader(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        string format = root.GetProperty("format").GetString() ?? "";
        if (format != Format)
        {
            throw new InvalidDataException($"Unknown search-history format '{format}' (expected {Format}).");
        }

        return new SearchKey(
            root.GetProperty("space").GetString() ?? "",
            root.GetProperty("seed").GetInt64(),
            root.GetProperty("sampler").GetString() ?? "",
            root.GetProperty("batch_size").GetInt32());
    }

    public static byte[] Trial(TrialRecord t) => Write(w =>
    {
        w.WriteNumber("number", t.Number);
        w.WriteString("state", t.State == TrialState.Complete ? "complete" : "failed");
        if (t.Score is double s && double.IsFinite(s))
        {
            w.WriteNumber("score", s);
        }
        else
        {
            w.WriteNull("score");
        }

        w.WriteStartArray("fold_scores");
        foreach (double f in t.FoldScores)
        {
            if (double.IsFinite(f))
            {
                w.WriteNumberValue(f);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
        w.WriteNumber("duration_s", t.Duration.TotalSeconds);
        w.WriteStartObject("params");
        foreach (KeyValuePair<string, ParameterValue> e in t.Parameters.Entries)
        {
            if (e.Value.Choice is string choice)
            {
                w.WriteString(e.Key, choice);
            }
            else
            {
                w.WriteNumber(e.Key, e.Value.Number);
            }
        }

        w.WriteEndObject();
        if (t.Error is not null)
        {
            w.WriteString("error", t.Error);
        }
    });

    public static TrialRecord ReadTrial(string line, SearchSpace space)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (JsonProperty p in root.GetProperty("params").EnumerateObject())
        {
            ParameterDefinition definition = space[p.Name];
            values[p.Name] = definition is CategoricalParameter
                ? ParameterValue.FromChoice(p.Value.GetString() ?? throw new InvalidDataException($"Parameter '{p.Name}' has no value."))
                : ParameterValue.FromNumber(p.Value.GetDouble());
        }

        // Keep the space's sampling order whatever order the file used.
        var parameters = new ParameterAssignment(space.Parameters
            .Where(d => values.ContainsKey(d.Name))
            .Select(d => KeyValuePair.Create(d.Name, values[d.Name])));
        JsonElement score = root.GetProperty("score");
        return new TrialRecord(
            root.GetProperty("number").GetInt32(),
            parameters,
            root.GetProperty("state").GetString() == "complete" ? TrialState.Complete : TrialState.Failed,
            score.ValueKind == JsonValueKind.Null ? null : score.GetDouble(),
            root.GetProperty("fold_scores").EnumerateArray()
                .Select(f => f.ValueKind == JsonValueKind.Null ? double.NaN : f.GetDouble()).ToArray(),
            TimeSpan.FromTicks((long)Math.Round(root.GetProperty("duration_s").GetDouble() * TimeSpan.TicksPerSecond)),
            root.TryGetProperty("error", out JsonElement error) ? error.GetString() : null);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        var line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }
}
