using System.Globalization;
using System.Text;
using Crlm.Core.Cohort;
using Crlm.Core.IO;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Stages;

namespace Crlm.Pipelines.Benchmark;

/// <summary>
/// One encoder's embeddings as the benchmark's model sees them: training rows with their CV folds, held-out rows
/// (internal test and external), and the scans behind each row. <see cref="EmbeddingDimension"/> columns come from
/// the encoder; any covariates follow them (ComBat harmonises only the encoder's columns).
/// </summary>
public sealed record BenchmarkData(
    BenchmarkRows Train,
    IReadOnlyList<int> FoldOfTrainRow,
    IReadOnlyList<ScanEmbedding> TrainScans,
    BenchmarkRows Test,
    IReadOnlyList<ScanEmbedding> TestScans,
    int EmbeddingDimension)
{
    public int FoldCount => FoldOfTrainRow.Count == 0 ? 0 : FoldOfTrainRow.Max() + 1;

    /// <summary>Held-out patients of external sites are "external", the others "internal_test".</summary>
    public static string Dataset(PatientAssignment assignment) =>
        (assignment ?? throw new ArgumentNullException(nameof(assignment))).ExternalSite ? "external" : "internal_test";

    /// <summary>
    /// Rows from the embed stage's scans. Labels are patient-level (crlm = 1). Folds: the split's, or, when the
    /// spec asks for another number, a fresh stratified patient-grouped k-fold over the training patients.
    /// Missing covariates are an error naming the manifest line: imputing would invent a value the model then
    /// learns from, and the study's cohorts record age and sex for every patient.
    /// </summary>
    public static BenchmarkData Build(IReadOnlyList<ScanEmbedding> scans, BenchmarkSpec spec, long seed)
    {
        ArgumentNullException.ThrowIfNull(scans);
        ArgumentNullException.ThrowIfNull(spec);
        var train = scans.Where(s => s.Assignment.Set == SplitSet.Train).ToArray();
        var test = scans.Where(s => s.Assignment.Set == SplitSet.Test).ToArray();
        if (train.Length == 0 || test.Length == 0)
        {
            throw new StageFailedException($"the benchmark needs training and test scans; the split has {train.Length} training and {test.Length} test scans");
        }

        var missing = new List<string>();
        var folds = spec.Folds is { } k ? Refold(train, k, seed) : train.Select(s => s.Assignment.Fold).ToArray();
        var trainRows = Rows(train, spec.Covariates, missing);
        var testRows = Rows(test, spec.Covariates, missing);
        if (missing.Count > 0)
        {
            throw new StageFailedException(
                $"{missing.Count} scan(s) lack a covariate the benchmark uses (give it in the manifest or drop it from 'covariates'):" +
                Environment.NewLine + string.Join(Environment.NewLine, missing.Take(10)));
        }

        return new BenchmarkData(trainRows, folds, train, testRows, test, scans[0].Vector.Length);
    }

    private static int[] Refold(ScanEmbedding[] train, int folds, long seed)
    {
        var patients = train.GroupBy(s => s.Scan.PatientId, StringComparer.Ordinal)
            .Select(g => new PatientRecord(g.Key, g.First().Scan.Site, g.First().Assignment.Label, []))
            .ToArray();
        var split = PatientSplitter.Split(patients, new SplitOptions { TestFraction = 0, Folds = folds, Seed = seed });
        var foldOf = split.Patients.ToDictionary(p => p.PatientId, p => p.Fold, StringComparer.Ordinal);
        return train.Select(s => foldOf[s.Scan.PatientId]).ToArray();
    }

    private static BenchmarkRows Rows(ScanEmbedding[] scans, IReadOnlyList<BenchmarkCovariate> covariates, List<string> missing)
    {
        var features = new float[scans.Length][];
        for (int n = 0; n < scans.Length; n++)
        {
            var scan = scans[n].Scan;
            var row = new float[scans[n].Vector.Length + covariates.Count];
            scans[n].Vector.CopyTo(row, 0);
            for (int c = 0; c < covariates.Count; c++)
            {
                float? value = covariates[c] switch
                {
                    BenchmarkCovariate.Age => scan.Age is { } age ? (float)age : null,
                    _ => scan.Sex switch
                    {
                        PatientSex.Female => 1f,
                        PatientSex.Male => 0f,
                        _ => null,
                    },
                };
                if (value is null)
                {
                    missing.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{scan.ScanId} (patient {scan.PatientId}, manifest line {scan.Line}): no {covariates[c].ToString().ToLowerInvariant()}"));
                }

                row[scans[n].Vector.Length + c] = value ?? 0;
            }

            features[n] = row;
        }

        return new BenchmarkRows(
            features,
            scans.Select(s => s.Scan.Label == CohortLabel.Crlm).ToArray(),
            scans.Select(s => s.Scan.PatientId).ToArray(),
            scans.Select(s => s.Scan.Site).ToArray());
    }

    /// <summary>Content hash of everything the search's results depend on besides the space, seed and sampler.</summary>
    public string ContentKey(string learner, BenchmarkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder("crlm-benchmark-trials/1\n").Append("learner=").Append(learner).Append('\n')
            .Append("combat=").Append(spec.Combat).Append(';').Append(spec.CombatUnseenSites?.ToString() ?? "none").Append('\n')
            .Append("covariates=").Append(string.Join(',', spec.Covariates)).Append('\n');
        for (int n = 0; n < Train.Count; n++)
        {
            text.Append(Train.PatientIds[n]).Append(',').Append(Train.Sites[n]).Append(',').Append(Train.Labels[n] ? '1' : '0')
                .Append(',').Append(FoldOfTrainRow[n].ToString(CultureInfo.InvariantCulture));
            foreach (float v in Train.Features[n])
            {
                text.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return ContentHash.OfText(text.ToString())[..32];
    }
}
