using System.Diagnostics;
using System.Globalization;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Embedding;
using Microsoft.Data.Sqlite;

namespace Crlm.Core.Tests.Pipelines;

public sealed class EmbeddingStoreTests
{
    private static StoredEmbedding Embedding(string key, params float[] vector) =>
        new(key, "radiomics", new EmbeddingScan("s-" + key, "p-" + key, "A", "crlm", "portal_venous"), vector);

    [Fact]
    public void Stored_embeddings_survive_reopening_and_a_key_keeps_its_first_row()
    {
        using var folder = new TempFolder();
        string path = folder.File("cache/" + EmbeddingStore.FileName);
        using (var store = new EmbeddingStore(path))
        {
            Assert.Null(store.TryGet("k1"));
            store.Put(Embedding("k1", 1.5f, -2, 3e-8f));
            store.Put(Embedding("k1", 9, 9, 9));
        }

        using var reopened = new EmbeddingStore(path);
        var got = reopened.TryGet("k1")!;
        Assert.Equal([1.5f, -2, 3e-8f], got.Vector);
        Assert.Equal("s-k1", got.Scan.ScanId);
        Assert.Equal(1, reopened.Count());
    }

    [Fact]
    public void Writes_from_many_threads_all_land()
    {
        using var folder = new TempFolder();
        using var store = new EmbeddingStore(folder.File(EmbeddingStore.FileName));
        Parallel.For(0, 200, n => store.Put(Embedding(n.ToString(CultureInfo.InvariantCulture), n, n + 1)));
        Assert.Equal(200, store.Count());
        Assert.Equal([17f, 18f], store.TryGet("17")!.Vector);
    }

    [Fact]
    public void Non_finite_vectors_and_foreign_formats_are_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File(EmbeddingStore.FileName);
        using (var store = new EmbeddingStore(path))
        {
            var e = Assert.Throws<ArgumentException>(() => store.Put(Embedding("bad", 1, float.NaN)));
            Assert.Contains("non-finite", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, store.Count());
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = 'crlm-embeddings/0' WHERE name = 'format';";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidDataException>(() => new EmbeddingStore(path));
        Assert.Contains("format 'crlm-embeddings/0'", error.Message, StringComparison.Ordinal);
    }

    [RequiresPythonFact]
    public void Python_reads_the_store_with_its_standard_library()
    {
        using var folder = new TempFolder();
        string path = folder.File(EmbeddingStore.FileName);
        using (var store = new EmbeddingStore(path))
        {
            store.Put(Embedding("k", 0.25f, -1, 1e6f));
        }

        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sqlite3, struct, sys; c = sqlite3.connect(sys.argv[1]); " +
            "scan, dim, blob = c.execute(\"SELECT scan_id, dim, vector FROM embeddings WHERE key = 'k'\").fetchone(); " +
            "print(scan, ' '.join(repr(v) for v in struct.unpack('<%df' % dim, blob)))");
        start.ArgumentList.Add(path);
        using var python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, python.StandardError.ReadToEnd());
        Assert.Equal("s-k 0.25 -1.0 1000000.0", output);
    }
}
