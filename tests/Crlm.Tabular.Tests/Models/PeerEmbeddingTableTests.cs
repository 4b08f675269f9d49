using Crlm.Tabular.Models;

namespace Crlm.Tabular.Tests.Models;

/// <summary>The peer-format embedding tables: what is read, and bad tables named by file and line.</summary>
public sealed class PeerEmbeddingTableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("crlm-peer-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_folder, "t.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Features_are_the_f_columns_in_file_order_and_other_columns_are_ignored()
    {
        var rows = PeerEmbeddingTable.Read(Write("patient_id,label,site,scan_id,f1,f0,fold\n\"p,1\",1,A,s1,2.5,-1,3\np2,0,B,s2,0,1e-3,0\n"));
        Assert.Equal(2, rows.Count);
        Assert.Equal(("p,1", true, "A"), (rows[0].PatientId, rows[0].Label, rows[0].Site));
        Assert.Equal([2.5f, -1f], rows[0].Features);
        Assert.Equal([0f, 0.001f], rows[1].Features);
        Assert.Equal("all", PeerEmbeddingTable.Read(Write("patient_id,label,f0\np,0,1\n"))[0].Site);
    }

    [Fact]
    public void Missing_columns_and_bad_numbers_name_the_file_and_line()
    {
        string noLabel = Write("patient_id,f0\np,1\n");
        Assert.Contains("needs the columns patient_id and label", Assert.Throws<InvalidDataException>(() => PeerEmbeddingTable.Read(noLabel)).Message, StringComparison.Ordinal);
        string bad = Write("patient_id,label,f0\np,1,0.5\nq,0,x\n");
        Assert.EndsWith("t.csv:3: column 'f0' is not a number: 'x'", Assert.Throws<InvalidDataException>(() => PeerEmbeddingTable.Read(bad)).Message, StringComparison.Ordinal);
        Assert.Contains("no feature columns", Assert.Throws<InvalidDataException>(() => PeerEmbeddingTable.Read(Write("patient_id,label\np,1\n"))).Message, StringComparison.Ordinal);
    }
}
