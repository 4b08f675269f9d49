using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Crlm.Pipelines.Embedding;

/// <summary>What an embedding belongs to: the scan's identity in the manifest it was made from.</summary>
public sealed record EmbeddingScan(string ScanId, string PatientId, string Site, string Label, string Phase);

/// <summary>One stored embedding.</summary>
/// <param name="Key">Content key: (preprocessed scan, encoder file hash, profile, code version).</param>
public sealed record StoredEmbedding(string Key, string Encoder, EmbeddingScan Scan, float[] Vector);

/// <summary>
/// Embeddings on disk, one SQLite file (<c>embeddings.sqlite</c> in the run cache), keyed by content so that an
/// embedding is computed once and reused by every run that asks for the same thing. SQLite because a data
/// scientist opens it with nothing but Python's standard library (<c>sqlite3</c>; vectors are little-endian
/// float32 blobs: <c>numpy.frombuffer(blob, '&lt;f4')</c>), and because each write is one transaction: a crash
/// leaves a row whole or absent, never half-written.
/// </summary>
/// <remarks>
/// Table <c>embeddings(key TEXT PRIMARY KEY, encoder, scan_id, patient_id, site, label, phase, dim INTEGER,
/// vector BLOB, created TEXT)</c>; <c>meta(name PRIMARY KEY, value)</c> holds the format version. Rows carry the
/// scan they were first made for (a later scan with identical content reuses the row; the run's own tables
/// say which scans it used). One connection, used under a lock: safe from many threads of one process.
/// </remarks>
public sealed class EmbeddingStore : IDisposable
{
    public const string FileName = "embeddings.sqlite";
    public const string Format = "crlm-embeddings/1";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public EmbeddingStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        _connection.Open();
        try
        {
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=NORMAL;");
            Execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);");
            Execute("""
                CREATE TABLE IF NOT EXISTS embeddings (
                    key TEXT PRIMARY KEY, encoder TEXT NOT NULL, scan_id TEXT NOT NULL, patient_id TEXT NOT NULL,
                    site TEXT NOT NULL, label TEXT NOT NULL, phase TEXT NOT NULL, dim INTEGER NOT NULL,
                    vector BLOB NOT NULL, created TEXT NOT NULL);
                """);
            Execute("CREATE INDEX IF NOT EXISTS embeddings_encoder ON embeddings (encoder, scan_id);");
            CheckFormat();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>The embedding stored under <paramref name="key"/>, or null.</summary>
    public StoredEmbedding? TryGet(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT encoder, scan_id, patient_id, site, label, phase, dim, vector FROM embeddings WHERE key = $key;";
            command.Parameters.AddWithValue("$key", key);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            int dim = reader.GetInt32(6);
            var vector = Decode((byte[])reader.GetValue(7), dim, key);
            return new StoredEmbedding(key, reader.GetString(0),
                new EmbeddingScan(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)), vector);
        }
    }

    /// <summary>Stores an embedding in one transaction; a key already present keeps its row (same key, same content).</summary>
    public void Put(StoredEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (embedding.Vector.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException($"embedding {embedding.Key} of scan {embedding.Scan.ScanId} ({embedding.Encoder}) has non-finite values; it is not stored");
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT OR IGNORE INTO embeddings (key, encoder, scan_id, patient_id, site, label, phase, dim, vector, created)
                VALUES ($key, $encoder, $scan, $patient, $site, $label, $phase, $dim, $vector, $created);
                """;
            command.Parameters.AddWithValue("$key", embedding.Key);
            command.Parameters.AddWithValue("$encoder", embedding.Encoder);
            command.Parameters.AddWithValue("$scan", embedding.Scan.ScanId);
            command.Parameters.AddWithValue("$patient", embedding.Scan.PatientId);
            command.Parameters.AddWithValue("$site", embedding.Scan.Site);
            command.Parameters.AddWithValue("$label", embedding.Scan.Label);
            command.Parameters.AddWithValue("$phase", embedding.Scan.Phase);
            command.Parameters.AddWithValue("$dim", embedding.Vector.Length);
            command.Parameters.AddWithValue("$vector", Encode(embedding.Vector));
            command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>Number of stored embeddings.</summary>
    public long Count()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM embeddings;";
            return (long)command.ExecuteScalar()!;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Little-endian float32, whatever the machine's byte order, so the file reads the same everywhere.</summary>
    internal static byte[] Encode(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (int n = 0; n < vector.Length; n++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(n * sizeof(float)), vector[n]);
        }

        return bytes;
    }

    private float[] Decode(byte[] bytes, int dim, string key)
    {
        if (bytes.Length != dim * sizeof(float))
        {
            throw new InvalidDataException($"{Path}: embedding {key} holds {bytes.Length} bytes for dim {dim}; the store is damaged");
        }

        var vector = new float[dim];
        for (int n = 0; n < dim; n++)
        {
            vector[n] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(n * sizeof(float)));
        }

        return vector;
    }

    private void CheckFormat()
    {
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT value FROM meta WHERE name = 'format';";
        if (read.ExecuteScalar() is string format)
        {
            if (format != Format)
            {
                throw new InvalidDataException($"{Path} is an embedding store of format '{format}'; this build reads '{Format}' (delete it to rebuild)");
            }

            return;
        }

        using var write = _connection.CreateCommand();
        write.CommandText = "INSERT INTO meta (name, value) VALUES ('format', $format);";
        write.Parameters.AddWithValue("$format", Format);
        write.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
