using System.Globalization;
using System.Text;
using Crlm.Core.IO;

namespace Crlm.Core.Cohort;

/// <summary>Writes a <see cref="CohortSplit"/> as CSV (one row per patient), atomically.</summary>
public static class SplitTable
{
    public const string Header = "patient_id,site,label,set,fold,external_site";

    public static string ToCsv(CohortSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var p in split.Patients)
        {
            text.Append(CsvTable.Escape(p.PatientId)).Append(',')
                .Append(CsvTable.Escape(p.Site)).Append(',')
                .Append(p.Label.Name()).Append(',')
                .Append(p.Set == SplitSet.Train ? "train" : "test").Append(',')
                .Append(p.Fold.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(p.ExternalSite ? "true" : "false").Append('\n');
        }

        return text.ToString();
    }

    public static void Write(string path, CohortSplit split) => AtomicFile.WriteAllText(path, ToCsv(split));
}
